"""Background jobs recorded with the change that asks for them (the transactional outbox).

A job is a row written in the same transaction as the change, so it exists exactly when the
change does. After the commit it is handed to the Celery broker; if the broker does not
answer, the row waits for the relay job (`outbox.relay`, every minute) or `relay_outbox`.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxMessage(models.Model):
    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Tries to hand it to the broker (or, with eager tasks, to run it).
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # When the broker took it (with eager tasks: when it ran). Empty while it waits.
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["id"], condition=Q(sent_at__isnull=True), name="outbox_unsent_idx")
        ]

    def __str__(self):
        state = f"sent {self.sent_at:%Y-%m-%d %H:%M:%S}" if self.sent_at else "waiting"
        return f"{self.task_name}{tuple(self.args)} ({state})"


class DoneOnce(models.Model):
    """A job's effect that must happen once (an email to a family): the job inserts its key
    in the transaction that does the work, so a second run, or a message delivered twice,
    finds the key and does nothing. If the work fails, the key goes with the rollback."""

    key = models.CharField(max_length=200, unique=True)
    done_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.key
