"""Early Help Assessments (DESIGN section 4, assessments).

The form is data: an `AssessmentTemplate` holds a council's template file, versioned, and
an assessment keeps the template version it was written on. An assessment has one
`AssessmentSection` per template section and subject (each child covered, each parent or
carer covered, or the family), saved on its own with a revision number so two people
editing the same section are warned rather than overwriting each other.

Draft → submitted → returned (with comments) or approved. Approved is immutable; a change
starts a new version of the assessment.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from earlyhelp.models import TimeStampedModel, one_current_version, optional_reference
from earlyhelp.status import StatusMachine


class AssessmentTemplate(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveIntegerField(unique=True, editable=False)
    name = models.CharField(max_length=200)
    definition = models.JSONField(
        help_text="The parsed template file (assessments.assessments.loader)"
    )
    source_name = models.CharField(max_length=200, blank=True)
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-version"]
        constraints = [one_current_version("assessments_one_current_template")]

    def __str__(self):
        return f"{self.name} (version {self.version})"

    @property
    def spec(self):
        from assessments.assessments.template_spec import TemplateSpec

        return TemplateSpec.from_dict(self.definition)


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for approval"
    RETURNED = "returned", "Returned for changes"
    APPROVED = "approved", "Approved"


STATUS_COLOURS = {
    AssessmentStatus.DRAFT: "grey",
    AssessmentStatus.SUBMITTED: "blue",
    AssessmentStatus.RETURNED: "orange",
    AssessmentStatus.APPROVED: "green",
}
EDITABLE_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)
# The words for the rule the model holds; the services check it first, in these words.
IN_PROGRESS_MESSAGE = "This episode already has an assessment in progress"
# Which statuses each status may move to: the author submits a draft (or a returned one
# after changing it); a manager returns or approves what was submitted. Approved is final: a
# change is a new version.
ALLOWED_MOVES = {
    AssessmentStatus.DRAFT: {AssessmentStatus.SUBMITTED},
    AssessmentStatus.SUBMITTED: {AssessmentStatus.RETURNED, AssessmentStatus.APPROVED},
    AssessmentStatus.RETURNED: {AssessmentStatus.SUBMITTED},
    AssessmentStatus.APPROVED: set(),
}


class Assessment(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(
        "cases.Episode", on_delete=models.PROTECT, related_name="assessments"
    )
    template = models.ForeignKey(
        AssessmentTemplate, on_delete=models.PROTECT, related_name="assessments"
    )
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    status = models.CharField(
        max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    children = models.ManyToManyField("cases.Person", related_name="assessments_as_child")
    adults = models.ManyToManyField("cases.Person", blank=True, related_name="assessments_as_adult")
    due_at = models.DateTimeField(help_text="ASSESSMENT_DUE_WORKING_DAYS after allocation")
    submitted_by = optional_reference(settings.AUTH_USER_MODEL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = optional_reference(settings.AUTH_USER_MODEL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    return_comments = models.TextField("why it was returned", blank=True)
    recommended_level = optional_reference("thresholds.Level", related_name="+")

    class Meta:
        ordering = ["episode", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "version"], name="assessments_one_version_number"
            ),
            models.UniqueConstraint(
                fields=["episode"],
                condition=~Q(status="approved"),
                name="assessments_one_unapproved_per_episode",
                violation_error_message=IN_PROGRESS_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"Early Help Assessment v{self.version} for {self.episode.family}"

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES

    @property
    def is_chased(self):
        """Only a first assessment not yet approved falls due: a new version of an approved
        one is a change made while that one stays in force, so it is never overdue."""
        return self.previous_id is None and self.status != AssessmentStatus.APPROVED

    @property
    def is_overdue(self):
        return self.is_chased and timezone.now() > self.due_at

    @property
    def status_colour(self):
        return STATUS_COLOURS[AssessmentStatus(self.status)]


ASSESSMENT_MOVES = StatusMachine(
    Assessment,
    statuses=AssessmentStatus,
    allowed_moves=ALLOWED_MOVES,
    record_field="assessment",
    noun="an assessment",
)
AssessmentStatusChange = ASSESSMENT_MOVES.history


FAMILY_SUBJECT = "family"


class AssessmentSection(models.Model):
    """One section of the template for one subject: a child, a parent or carer, or the
    family. `answers` maps question keys to answers; `revision` counts saves."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=64)
    subject = models.CharField(
        max_length=40, help_text='"family", or the person\'s uuid for a child or adult section'
    )
    person = optional_reference("cases.Person", related_name="+")
    position = models.PositiveIntegerField(default=0)
    answers = models.JSONField(default=dict, blank=True)
    revision = models.PositiveIntegerField(default=0)
    completed = models.BooleanField(default=False)
    updated_by = optional_reference(settings.AUTH_USER_MODEL, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "key", "subject"], name="assessments_section_once"
            )
        ]

    def __str__(self):
        return f"{self.key} ({self.subject})"
