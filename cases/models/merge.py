import uuid

from django.conf import settings
from django.db import models

from cases.models.person import Person
from earlyhelp.models import optional_reference


class PersonMerge(models.Model):
    """A merge of a duplicate person record into a survivor, with what moved, so it can be
    undone exactly."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    duplicate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_absorbed")
    reason = models.TextField()
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    # {"cases.familymembership:person": [pk, …], …}: every link row that moved, by field.
    moved_links = models.JSONField(default=dict)
    # Identifier fields copied onto the survivor, with the survivor's values before.
    copied_identifiers = models.JSONField(default=dict)
    undone_by = optional_reference(settings.AUTH_USER_MODEL, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self):
        return f"{self.duplicate} merged into {self.survivor}"

    @property
    def is_undone(self):
        return self.undone_at is not None
