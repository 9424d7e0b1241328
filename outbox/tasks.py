from celery import shared_task


@shared_task(name="outbox.relay", ignore_result=True)
def relay() -> dict:
    """Hand jobs that could not be sent when they were recorded to the broker (every minute,
    CELERY_BEAT_SCHEDULE): the broker was down, or a process stopped before sending them.
    Messages sent more than KEEP_SENT_DAYS ago are removed."""
    from outbox.services import prune_sent, relay_pending

    result = relay_pending()
    result["pruned"] = prune_sent()
    return result
