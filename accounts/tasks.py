import smtplib

from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from accounts.models import Notification


@shared_task(name="accounts.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Remove sessions past their inactivity timeout; returns how many were removed."""
    removed, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return removed


@shared_task(
    name="accounts.send_notification_email",
    autoretry_for=(smtplib.SMTPException, ConnectionError),
    retry_backoff=60,
    max_retries=5,
)
def send_notification_email(notification_pk: int) -> bool:
    """Email one notification to its user, once: the row is locked and `emailed_at` set in
    the same transaction, so a second run (or a retry after success) sends nothing.
    Returns whether an email was sent."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_pk).first()
        if notification is None or notification.emailed_at is not None:
            return False
        user = notification.user
        if not user.is_active or not user.email:
            return False
        body = notification.body
        if notification.link:
            url = f"{settings.SERVICE_URL}{notification.link}"
            body = f"{body}\n\nOpen it in {settings.SERVICE_NAME}: {url}"
        send_mail(notification.subject, body, None, [user.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True
