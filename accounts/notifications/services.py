"""Notifications (reminders and escalations) as their addressee reads them."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from accounts.models import Notification, User
from earlyhelp import access


def notifications_for(user: User):
    """The user's own notifications, unread first, then newest first."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return (
        access.visible(user, Notification.objects.all())
        .alias(unread=unread)
        .order_by("-unread", "-created_at", "-id")
    )


def unread_count(user: User) -> int:
    return access.visible(user, Notification.objects.filter(read_at__isnull=True)).count()


@transaction.atomic
def notification_mark_read(*, by: User, notification: Notification) -> Notification:
    """Mark one of the user's notifications read (once: the first reading time stays)."""
    if notification.user_id != by.pk:
        raise PermissionDenied("A notification is read only by its addressee")
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


@transaction.atomic
def notifications_mark_all_read(*, by: User) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return (
        access.visible(by, Notification.objects.all())
        .filter(read_at__isnull=True)
        .update(read_at=timezone.now())
    )
