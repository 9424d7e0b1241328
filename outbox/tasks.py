from celery import shared_task


@shared_task(name="outbox.relay", ignore_result=True)
def relay() -> dict:
    """Hand jobs that could not be sent when they were recorded to the broker (every minute,
    CELERY_BEAT_SCHEDULE): the broker was down, or a process stopped before sending them."""
    from .services import relay_pending

    return relay_pending()
