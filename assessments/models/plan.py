"""The Team Around the Family plan and its reviews (DESIGN section 4, assessments; section 5,
step 5).

A `Plan` is versioned like an assessment: a draft is written with the family and the TAF,
then agreed, after which it no longer changes (but for the status of its actions, which the
TAF works through); a change is a new version, a draft copy, which replaces the agreed one
when it is agreed in turn. An outcome keeps its `lineage` across versions, so a review's
progress on it can be followed from the first review to the last.

A `Review` is a TAF review meeting on the plan in force: who came, progress per outcome
(RAG and a 0-10 scaling score), the child's and family's views, and a decision (continue,
step up, step down, close) carried out by the episode services. It sets the next review
date, which the daily reminder job watches.
"""

from datetime import timedelta
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from earlyhelp.models import TimeStampedModel, optional_reference
from earlyhelp.status import StatusMachine


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"
    SUPERSEDED = "superseded", "Replaced by a newer version"


# Which statuses each status may move to: a draft is agreed; the agreed plan is replaced when
# a newer version is agreed. Replaced is final.
ALLOWED_MOVES = {
    PlanStatus.DRAFT: {PlanStatus.AGREED},
    PlanStatus.AGREED: {PlanStatus.SUPERSEDED},
    PlanStatus.SUPERSEDED: set(),
}

PLAN_STATUS_COLOURS = {
    PlanStatus.DRAFT: "grey",
    PlanStatus.AGREED: "green",
    PlanStatus.SUPERSEDED: "light-blue",
}


class SupportingFamiliesArea(models.TextChoices):
    """The Supporting Families programme's headline outcome areas."""

    EDUCATION = "education", "Getting a good education"
    EARLY_YEARS = "early_years", "Good early years development"
    HEALTH = "health", "Improved mental and physical health"
    SUBSTANCE_USE = "substance_use", "Promoting recovery and reducing harm from substance use"
    FAMILY_RELATIONSHIPS = "family_relationships", "Improved family relationships"
    SAFETY = "safety", "Children safe from abuse and exploitation"
    CRIME = "crime", "Crime prevention and tackling crime"
    DOMESTIC_ABUSE = "domestic_abuse", "Safe from domestic abuse"
    HOUSING = "housing", "Secure housing"
    FINANCIAL_STABILITY = "financial_stability", "Financial stability"


class Plan(TimeStampedModel):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    episode = models.ForeignKey("cases.Episode", on_delete=models.PROTECT, related_name="plans")
    assessment = optional_reference(
        "assessments.Assessment",
        related_name="plans",
        help_text="The approved assessment the plan answers",
    )
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    worries = models.TextField("what we are worried about", blank=True)
    working_well = models.TextField("what is working well", blank=True)
    family_words = models.TextField("the family's own words", blank=True)
    contingency = models.TextField("what happens if things do not improve", blank=True)
    revision = models.PositiveIntegerField(default=0)
    agreed_on = models.DateField(null=True, blank=True)
    agreed_by = optional_reference(settings.AUTH_USER_MODEL, related_name="+")
    next_review_on = models.DateField(
        null=True, blank=True, help_text="When the next TAF review is due (agreed plans)"
    )
    from_review = optional_reference(
        "assessments.Review",
        related_name="plans_started",
        help_text="The review that started this version",
    )

    class Meta:
        ordering = ["episode", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "version"], name="plans_one_version_number"),
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(status="draft"),
                name="plans_one_draft_per_episode",
                violation_error_message="This episode already has a draft plan",
            ),
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(status="agreed"),
                name="plans_one_agreed_per_episode",
            ),
            models.CheckConstraint(
                condition=~Q(status="agreed")
                | (Q(agreed_on__isnull=False) & Q(next_review_on__isnull=False)),
                name="plans_agreed_has_dates",
            ),
        ]

    def __str__(self):
        return f"TAF plan v{self.version} for {self.episode.family}"

    @property
    def is_editable(self):
        return self.status == PlanStatus.DRAFT

    @property
    def status_colour(self):
        return PLAN_STATUS_COLOURS[PlanStatus(self.status)]

    @property
    def is_review_overdue(self):
        return (
            self.status == PlanStatus.AGREED
            and self.next_review_on is not None
            and self.next_review_on < timezone.localdate()
        )


PLAN_MOVES = StatusMachine(
    Plan, statuses=PlanStatus, allowed_moves=ALLOWED_MOVES, record_field="plan", noun="a plan"
)
PlanStatusChange = PLAN_MOVES.history


class PlanOutcome(models.Model):
    """What will be different, and for whom."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="outcomes")
    lineage = models.UUIDField(
        default=uuid4, help_text="The same outcome in every version of the plan"
    )
    position = models.PositiveIntegerField(default=0)
    description = models.TextField("what will be different")
    people = models.ManyToManyField(
        "cases.Person", blank=True, related_name="plan_outcomes", verbose_name="for whom"
    )
    need = models.TextField("the need it answers")
    area = models.CharField(
        "Supporting Families outcome area", max_length=30, choices=SupportingFamiliesArea.choices
    )
    baseline = models.PositiveSmallIntegerField("where things are now (0 to 10)")
    target = models.PositiveSmallIntegerField("where the family wants to get to (0 to 10)")

    class Meta:
        ordering = ["plan", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "lineage"], name="plans_outcome_once"),
            models.CheckConstraint(
                condition=Q(baseline__lte=10) & Q(target__lte=10),
                name="plans_outcome_scores_out_of_ten",
            ),
        ]

    def __str__(self):
        return self.description[:80]


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_DONE = "not_done", "Not done"
    NO_LONGER_NEEDED = "no_longer_needed", "No longer needed"


ACTION_STATUS_COLOURS = {
    ActionStatus.NOT_STARTED: "grey",
    ActionStatus.IN_PROGRESS: "blue",
    ActionStatus.DONE: "green",
    ActionStatus.NOT_DONE: "red",
    ActionStatus.NO_LONGER_NEEDED: "light-blue",
}
OPEN_ACTION_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


class PlanAction(models.Model):
    """What someone will do, and by when: the owner is a user of the service or an agency
    (a named contact there, or the agency as a whole)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    outcome = models.ForeignKey(
        PlanOutcome, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    position = models.PositiveIntegerField(default=0)
    description = models.TextField("what will be done")
    owner_user = optional_reference(
        settings.AUTH_USER_MODEL, related_name="plan_actions", verbose_name="who (a person)"
    )
    owner_agency = optional_reference(
        "accounts.Agency", related_name="plan_actions", verbose_name="who (an agency)"
    )
    owner_name = models.CharField(
        "named contact", max_length=200, blank=True, help_text="At the agency, or in the family"
    )
    due_on = models.DateField("by when")
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    status_changed_by = optional_reference(settings.AUTH_USER_MODEL, related_name="+")
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_user__isnull=False)
                | Q(owner_agency__isnull=False)
                | ~Q(owner_name=""),
                name="plans_action_has_an_owner",
            )
        ]

    def __str__(self):
        return self.description[:80]

    @property
    def owner(self):
        """Who, in words: the person, or the named contact and their agency."""
        if self.owner_user_id:
            return self.owner_user.get_full_name()
        if self.owner_agency_id and self.owner_name:
            return f"{self.owner_name}, {self.owner_agency.name}"
        if self.owner_agency_id:
            return self.owner_agency.name
        return self.owner_name

    @property
    def status_colour(self):
        return ACTION_STATUS_COLOURS[ActionStatus(self.status)]

    @property
    def is_overdue(self):
        return self.status in OPEN_ACTION_STATUSES and self.due_on < timezone.localdate()


class ReviewDecision(models.TextChoices):
    CONTINUE = "continue", "Continue with the plan"
    STEP_UP = "step_up", "Step up to children's social care"
    STEP_DOWN = "step_down", "Step down to universal services"
    CLOSE = "close", "Close the episode"


class Review(TimeStampedModel):
    """A TAF review meeting."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    episode = models.ForeignKey("cases.Episode", on_delete=models.PROTECT, related_name="reviews")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField("date of the review")
    due_on = models.DateField(help_text="When it was due: held on time if on or before")
    attendees = models.ManyToManyField(
        "cases.TafMember", blank=True, related_name="reviews_attended"
    )
    other_attendees = models.TextField(
        "anyone else who came", blank=True, help_text="The family, and others, one to a line"
    )
    child_views = models.TextField("the child's views")
    family_views = models.TextField("the family's views")
    summary = models.TextField("what has changed since the last review", blank=True)
    decision = models.CharField(max_length=12, choices=ReviewDecision.choices)
    decision_reason = models.TextField("why", blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    transition = optional_reference(
        "thresholds.Transition", related_name="+", help_text="The step up the review asked for"
    )

    class Meta:
        ordering = ["episode", "-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="continue") | Q(next_review_on__isnull=False),
                name="reviews_continue_has_next_date",
            )
        ]

    def __str__(self):
        return f"TAF review on {self.held_on:%-d %B %Y}"

    @property
    def held_on_time(self):
        return self.held_on <= self.due_on


class Rag(models.TextChoices):
    RED = "red", "Red: no progress or worse"
    AMBER = "amber", "Amber: some progress"
    GREEN = "green", "Green: on track or achieved"


class ReviewProgress(models.Model):
    """Progress on one outcome at one review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="progress")
    outcome = models.ForeignKey(PlanOutcome, on_delete=models.PROTECT, related_name="progress")
    rag = models.CharField("RAG rating", max_length=5, choices=Rag.choices)
    score = models.PositiveSmallIntegerField("scaling score now (0 to 10)")
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "outcome__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "outcome"], name="reviews_progress_once"),
            models.CheckConstraint(condition=Q(score__lte=10), name="reviews_score_out_of_ten"),
        ]

    def __str__(self):
        return f"{self.get_rag_display()} ({self.score}/10)"


class FamilyPlanDocumentStatus(models.TextChoices):
    QUEUED = "queued", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be made"


class FamilyPlanDocument(models.Model):
    """The family's copy of a plan, rendered to PDF by a background job and stored."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="documents")
    status = models.CharField(
        max_length=8,
        choices=FamilyPlanDocumentStatus.choices,
        default=FamilyPlanDocumentStatus.QUEUED,
    )
    file = models.FileField(upload_to="family-plans/%Y/%m/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    rendered_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "-requested_at", "-id"]

    def __str__(self):
        return f"Family plan PDF of {self.plan}"

    @property
    def is_stale(self) -> bool:
        """Still queued long after it was asked for: its job was lost or is stuck."""
        limit = timedelta(minutes=settings.FAMILY_PLAN_PDF_STALE_MINUTES)
        return (
            self.status == FamilyPlanDocumentStatus.QUEUED
            and self.requested_at < timezone.now() - limit
        )

    @property
    def shown_status(self) -> str:
        """The status to show: a stale document counts as failed, so it can be asked again."""
        return FamilyPlanDocumentStatus.FAILED if self.is_stale else self.status

    def get_shown_status_display(self) -> str:
        return FamilyPlanDocumentStatus(self.shown_status).label

    @property
    def filename(self):
        return f"family-plan-v{self.plan.version}-{self.requested_at:%Y-%m-%d}.pdf"
