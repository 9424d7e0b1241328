"""Background jobs of assessments and plans: they take primary keys and call services."""

from celery import shared_task


@shared_task(name="assessments.send_due_reminders")
def send_due_reminders() -> dict:
    """The daily reminder run (CELERY_BEAT_SCHEDULE): safe to run twice."""
    from assessments import reminders

    return reminders.send_due_reminders()


@shared_task(name="assessments.render_family_plan")
def render_family_plan(document_pk: int) -> str:
    """Render a family plan PDF that was asked for; returns its status."""
    from assessments.documents import services as documents

    return documents.plan_document_render(document_pk=document_pk)
