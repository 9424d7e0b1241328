"""Screening and deciding a request for support: the records a search offered for someone
on it, checks with other agencies, and the decision (made once, never changed)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from earlyhelp.models import TimeStampedModel, optional_reference
from referrals.models.request import Consent, RequestForSupport, RequestPerson

# The words for the rules the models hold; the forms that check them first say them in
# these words.
QUESTION_MESSAGE = "Enter what was asked"
CHECK_AGENCY_MESSAGE = "Choose the agency, or enter its name"


class ScreeningCandidate(models.Model):
    """A record that the audited search for someone typed on a request offered to a triage
    officer. Matching opens the record's household to the officer, so a match must be to
    one of these (or to a record the officer may already see): never to any UUID sent."""

    request_person = models.ForeignKey(
        RequestPerson, on_delete=models.CASCADE, related_name="candidates_offered"
    )
    person = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    offered_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    offered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request_person", "person"], name="screening_candidate_once"
            )
        ]

    def __str__(self):
        return f"{self.person_id} offered for {self.request_person_id}"


class ScreeningCheck(TimeStampedModel):
    """A check with another agency during screening: who was asked what, and what they said."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(RequestForSupport, on_delete=models.CASCADE, related_name="checks")
    agency = optional_reference("accounts.Agency", related_name="+")
    agency_name = models.CharField(
        "agency name", max_length=200, blank=True, help_text="If the agency is not in the list"
    )
    question = models.TextField("what was asked", error_messages={"blank": QUESTION_MESSAGE})
    asked_at = models.DateTimeField("when it was asked", default=timezone.now)
    answer = models.TextField("their answer", blank=True)
    answered_at = models.DateTimeField("when they answered", null=True, blank=True)

    class Meta:
        ordering = ["request", "asked_at", "id"]

    def __str__(self):
        return f"Check with {self.agency_label}"

    @property
    def agency_label(self):
        return self.agency.name if self.agency_id else self.agency_name

    @property
    def is_answered(self):
        return bool(self.answer.strip())

    def clean(self):
        errors = {}
        if not self.agency_id and not self.agency_name.strip():
            errors["agency"] = CHECK_AGENCY_MESSAGE
        if self.answer.strip() and self.answered_at is None:
            self.answered_at = timezone.now()
        if self.answered_at and self.asked_at and self.answered_at < self.asked_at:
            errors["answered_at"] = "The answer cannot come before the question was asked"
        if self.asked_at and self.asked_at > timezone.now():
            errors["asked_at"] = "When it was asked must be now or in the past"
        if errors:
            raise ValidationError(errors)


class Outcome(models.TextChoices):
    NFA = "nfa", "No further action"
    SIGNPOSTING = "signposting", "Information and signposting"
    UNIVERSAL = "universal", "Universal services"
    SINGLE_AGENCY = "single_agency", "Early help from a single agency (level 2)"
    TAF = "taf", "Early help with a Team Around the Family (level 3)"
    STEP_UP = "step_up", "Step up to children's social care"


EARLY_HELP_OUTCOMES = (Outcome.SINGLE_AGENCY, Outcome.TAF)
OUTCOME_COLOURS = {
    Outcome.NFA: "grey",
    Outcome.SIGNPOSTING: "turquoise",
    Outcome.UNIVERSAL: "green",
    Outcome.SINGLE_AGENCY: "blue",
    Outcome.TAF: "purple",
    Outcome.STEP_UP: "red",
}


class Decision(models.Model):
    """The outcome of screening: what was decided, at which level of need and why, from
    which threshold indicators of which framework version. Made once; never changed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.OneToOneField(
        RequestForSupport, on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    framework = models.ForeignKey(
        "thresholds.Framework",
        on_delete=models.PROTECT,
        related_name="decisions",
        help_text="The framework version the decision was made under",
    )
    indicators = models.ManyToManyField(
        "thresholds.Indicator", blank=True, related_name="decisions"
    )
    suggested_level = optional_reference(
        "thresholds.Level",
        related_name="+",
        help_text="The highest level among the ticked indicators",
    )
    level = models.ForeignKey(
        "thresholds.Level", on_delete=models.PROTECT, related_name="decisions"
    )
    level_override_reason = models.TextField(
        "why the level differs from the suggested one", blank=True
    )
    rationale = models.TextField("reasons for the decision")
    signposted_to = models.CharField("service signposted to", max_length=200, blank=True)
    single_agency = optional_reference("accounts.Agency", related_name="+")
    single_agency_name = models.CharField(max_length=200, blank=True)
    social_care_reference = models.CharField(
        "children's social care reference", max_length=50, blank=True
    )
    episode = optional_reference("cases.Episode", related_name="decisions")
    joined_open_episode = models.BooleanField(
        default=False, help_text="The family already had an open episode, which this joined"
    )
    is_re_referral = models.BooleanField(
        default=False, help_text="The family had an episode closed in the 12 months before"
    )
    consent = models.CharField(
        "consent at the time of the decision", max_length=20, choices=Consent.choices
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions_made"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self):
        return f"{self.request}: {self.get_outcome_display()}"

    @property
    def level_overridden(self) -> bool:
        return self.level_id != self.suggested_level_id

    @property
    def outcome_colour(self) -> str:
        return OUTCOME_COLOURS[Outcome(self.outcome)]

    @property
    def single_agency_label(self) -> str:
        return self.single_agency.name if self.single_agency_id else self.single_agency_name
