"""The audit log: who did what to which record, when, from where and why. Append-only."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.models import optional_reference


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    LIST = "list", "Listed"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    ARCHIVE = "archive", "Archived"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported"
    PRINT = "print", "Printed"
    SEARCH = "search", "Searched"
    BREAK_GLASS = "break_glass", "Break-glass access"
    GRANT = "grant", "Granted access"
    REVOKE = "revoke", "Revoked access"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGN_OUT = "sign_out", "Signed out"
    TOKEN_ISSUED = "token_issued", "API token issued"
    MERGE = "merge", "Merged"
    UNMERGE = "unmerge", "Merge undone"
    # A read or change of a record that exists, refused (answered 404 or 403).
    REFUSED = "refused", "Refused access"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Audit events cannot be changed.")

    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    actor = optional_reference(
        settings.AUTH_USER_MODEL, related_name="audit_events", editable=False
    )
    # The email as it was at the time, or the one typed on a failed sign-in.
    actor_label = models.CharField(max_length=254, blank=True, editable=False)
    action = models.CharField(max_length=30, choices=AuditAction.choices, editable=False)
    object_type = models.CharField(max_length=100, blank=True, editable=False)
    object_id = models.CharField(max_length=64, blank=True, editable=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    user_agent = models.CharField(max_length=300, blank=True, editable=False)
    path = models.CharField(max_length=500, blank=True, editable=False)
    reason = models.TextField(blank=True, editable=False)
    detail = models.JSONField(default=dict, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_idx"),
        ]

    def __str__(self):
        target = f" {self.object_type} {self.object_id}" if self.object_type else ""
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action}{target}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")
