from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="accounts.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Remove sessions past their inactivity timeout; returns how many were removed."""
    removed, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return removed
