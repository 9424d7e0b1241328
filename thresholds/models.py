"""The continuum of need: versioned threshold frameworks.

A framework version holds its own levels, domains and indicators. A draft can be edited;
publishing makes it the one current version and freezes it for good. Decisions (a later
piece of work) point at the framework version and the level they used, so publishing a new
version never changes a decision already made.

Level history (`LevelChange`) lives here too: it is movement along the continuum. Step up
and step down (`Transition`) keep this app's label and tables but live with the rest of
their domain in `cases.transitions.models` (decision 0012).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from earlyhelp.models import TimeStampedModel, one_current_version, optional_reference


class Colour(models.TextChoices):
    """The GOV.UK tag colours the templates can show (earlyhelp.templatetags.gds)."""

    GREY = "grey"
    GREEN = "green"
    TEAL = "teal"
    TURQUOISE = "turquoise"
    PURPLE = "purple"
    MAGENTA = "magenta"
    PINK = "pink"
    RED = "red"
    ORANGE = "orange"
    YELLOW = "yellow"
    BLUE = "blue"


COLOURS = tuple(Colour.values)


class FrameworkLocked(ValidationError):
    """A published framework version, or anything in it, may not be changed."""


class Framework(TimeStampedModel):
    """One version of the council's thresholds of need."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CURRENT = "current", "Current"
        SUPERSEDED = "superseded", "Superseded"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveIntegerField(unique=True, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source_name = models.CharField(
        max_length=255, blank=True, editable=False, help_text="The file it was imported from."
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = optional_reference("accounts.User", editable=False, related_name="+")
    is_current = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-version"]
        constraints = [
            one_current_version("thresholds_one_current_framework"),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(published_at__isnull=False),
                name="thresholds_current_framework_is_published",
            ),
        ]

    def __str__(self):
        return f"{self.name} (version {self.version}, {self.get_status_display().lower()})"

    @property
    def is_published(self):
        return self.published_at is not None

    @property
    def status(self):
        if self.is_current:
            return self.Status.CURRENT
        if self.is_published:
            return self.Status.SUPERSEDED
        return self.Status.DRAFT

    def get_status_display(self):
        return self.Status(self.status).label

    @property
    def status_colour(self):
        return {"draft": "yellow", "current": "green", "superseded": "grey"}[self.status]


class FrameworkPart(models.Model):
    """Levels, domains and indicators: frozen once their framework version is published."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._check_draft()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_draft()
        return super().delete(*args, **kwargs)

    def _check_draft(self):
        framework_id = self.framework_id
        if framework_id is None:
            return
        if Framework.objects.filter(pk=framework_id, published_at__isnull=False).exists():
            raise FrameworkLocked(
                "This framework version is published and cannot be changed: "
                "copy it to a new draft and edit that."
            )


class Level(FrameworkPart):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    rank = models.PositiveSmallIntegerField(help_text="1 is the lowest level of need.")
    name = models.CharField(max_length=200)
    description = models.TextField("short description")
    colour = models.CharField(max_length=16, choices=Colour.choices, default=Colour.BLUE)
    statutory = models.BooleanField(
        default=False, help_text="Children's social care: a statutory level, not early help."
    )

    class Meta:
        ordering = ["framework", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "rank"], name="thresholds_level_rank"),
            models.UniqueConstraint(fields=["framework", "name"], name="thresholds_level_name"),
        ]

    def __str__(self):
        return f"Level {self.rank}: {self.name}"


class Domain(FrameworkPart):
    """An area of the Assessment Framework triangle, e.g. parenting capacity."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="domains")
    key = models.SlugField(max_length=64, help_text="How the framework file names the domain.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="thresholds_domain_key"),
            models.UniqueConstraint(fields=["framework", "name"], name="thresholds_domain_name"),
        ]

    def __str__(self):
        return self.name


class Indicator(FrameworkPart):
    """A descriptor that places a need at a level, within a domain."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="indicators")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="indicators")
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["framework", "position", "pk"]

    def __str__(self):
        return self.text

    def clean(self):
        super().clean()
        errors = {}
        if self.domain_id and self.framework_id and self.domain.framework_id != self.framework_id:
            errors["domain"] = "Choose a domain of this framework version."
        if self.level_id and self.framework_id and self.level.framework_id != self.framework_id:
            errors["level"] = "Choose a level of this framework version."
        if errors:
            raise ValidationError(errors)


class LevelChangeCause(models.TextChoices):
    FRONT_DOOR = "front_door", "Front door decision"
    TRANSITION = "transition", "Step up or step down"
    REVIEW = "review", "Review"
    CHANGE = "change", "Level changed"
    CLOSURE = "closure", "Episode closed"


class LevelChange(models.Model):
    """One change of a family's level of need: who, when, why, and what caused it
    (DESIGN section 4, "Level history"). `to_level` is empty when help ends."""

    family = models.ForeignKey(
        "cases.Family", on_delete=models.PROTECT, related_name="level_changes"
    )
    episode = optional_reference("cases.Episode", related_name="level_changes")
    from_level = optional_reference(Level, related_name="+")
    to_level = optional_reference(Level, related_name="+")
    cause = models.CharField(max_length=20, choices=LevelChangeCause.choices)
    transition = optional_reference("Transition", related_name="+")
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["family", "changed_at", "id"]

    def __str__(self):
        before = self.from_level.name if self.from_level_id else "none"
        after = self.to_level.name if self.to_level_id else "none"
        return f"{self.family}: {before} → {after}"
