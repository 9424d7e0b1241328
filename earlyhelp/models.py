"""Abstract bases shared by every app's models."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def optional_reference(to, *, related_name, **options):
    """A link to another record that may be empty (on forms too). The record it names is
    never deleted from under it: records are archived, so the history stays whole."""
    return models.ForeignKey(
        to, null=True, blank=True, on_delete=models.PROTECT, related_name=related_name, **options
    )


def one_current_version(name):
    """Of a versioned file's versions (a template, a framework), at most one is current: the
    one new records use."""
    return models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name=name)


class TimeStampedModel(models.Model):
    """When a record was made and last changed, and by whom."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    modified_at = models.DateTimeField(auto_now=True)
    created_by = optional_reference(settings.AUTH_USER_MODEL, editable=False, related_name="+")
    modified_by = optional_reference(settings.AUTH_USER_MODEL, editable=False, related_name="+")

    class Meta:
        abstract = True


class ArchivableQuerySet(models.QuerySet):
    def current(self):
        return self.filter(archived_on__isnull=True)


class ArchivableModel(TimeStampedModel):
    """Records are archived, never deleted, so history that refers to them stays whole.

    The public identifier is a UUID: sequential ids are never shown in URLs.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    archived_on = models.DateField(null=True, blank=True)

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_archived(self):
        return self.archived_on is not None


class StatusChange(models.Model):
    """A move of a record's status: who, when and why (django-oscar's pattern). Each record
    with a status machine has one concrete subclass, made by `for_record`."""

    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_from_status_display() or 'New'} → {self.get_to_status_display()}"

    @classmethod
    def for_record(cls, record_model, *, statuses, record_field, noun):
        """The concrete subclass for one kind of record, named after `record_field`
        (`EpisodeStatusChange` for "episode"): a foreign key to the record, which reaches
        its moves as `record.status_changes`, and the record's own status choices."""

        class Meta:
            app_label = record_model._meta.app_label
            ordering = [record_field, "changed_at", "id"]

        return type(
            f"{record_field.capitalize()}StatusChange",
            (cls,),
            {
                "__module__": record_model.__module__,
                "__doc__": f"Every move of {noun}'s status: who, when and why.",
                record_field: models.ForeignKey(
                    record_model, on_delete=models.CASCADE, related_name="status_changes"
                ),
                "from_status": models.CharField(
                    max_length=24, choices=statuses.choices, blank=True
                ),
                "to_status": models.CharField(max_length=24, choices=statuses.choices),
                "Meta": Meta,
            },
        )
