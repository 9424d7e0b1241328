"""Episodes: one period of early help for one family, from the decision to offer help until
closure (DESIGN sections 3 and 4): its status (with every change recorded), its lead
professional (one at a time, with history), its Team Around the Family, and its closure.

Status changes only through `cases.episodes.services`, which checks `ALLOWED_MOVES`."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.models.family import Family
from earlyhelp.models import TimeStampedModel, optional_reference
from earlyhelp.status import StatusMachine

# A request for a family whose episode closed this recently is a re-referral.
RE_REFERRAL_WINDOW_DAYS = 365

# The words for the rules these models hold; services, forms and serializers that check
# the same rule first say it in these words.
OPEN_EPISODE_MESSAGE = "This family already has an open episode"
TAF_ROLE_MESSAGE = "Enter their role in the Team Around the Family"
TAF_CONTACT_NAME_MESSAGE = "Enter the name of the contact at the agency"


class EpisodeStatus(models.TextChoices):
    AWAITING_ALLOCATION = "awaiting_allocation", "Awaiting allocation"
    ALLOCATED = "allocated", "Allocated"
    ASSESSING = "assessing", "Assessing"
    PLAN_IN_PLACE = "plan_in_place", "Plan in place"
    CLOSING = "closing", "Closing"
    CLOSED = "closed", "Closed"


# Which statuses each status may move to. Closing is a request a manager approves (closed)
# or declines (back to where it was); a closed episode reopens within the reopening window.
ALLOWED_MOVES = {
    EpisodeStatus.AWAITING_ALLOCATION: {EpisodeStatus.ALLOCATED, EpisodeStatus.CLOSED},
    EpisodeStatus.ALLOCATED: {EpisodeStatus.ASSESSING, EpisodeStatus.CLOSING},
    EpisodeStatus.ASSESSING: {EpisodeStatus.PLAN_IN_PLACE, EpisodeStatus.CLOSING},
    EpisodeStatus.PLAN_IN_PLACE: {EpisodeStatus.ASSESSING, EpisodeStatus.CLOSING},
    EpisodeStatus.CLOSING: {
        EpisodeStatus.CLOSED,
        EpisodeStatus.ALLOCATED,
        EpisodeStatus.ASSESSING,
        EpisodeStatus.PLAN_IN_PLACE,
    },
    EpisodeStatus.CLOSED: {EpisodeStatus.AWAITING_ALLOCATION, EpisodeStatus.ALLOCATED},
}
# Statuses in which a lead professional is working with the family.
WORKING_STATUSES = (
    EpisodeStatus.ALLOCATED,
    EpisodeStatus.ASSESSING,
    EpisodeStatus.PLAN_IN_PLACE,
    EpisodeStatus.CLOSING,
)


class ClosureReason(models.TextChoices):
    OUTCOMES_ACHIEVED = "outcomes_achieved", "Outcomes achieved"
    STEPPED_DOWN = "stepped_down", "Stepped down to universal services"
    STEPPED_UP = "stepped_up", "Stepped up to children's social care"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Family declined or withdrew consent"
    MOVED_AWAY = "moved_away", "Moved out of the area"
    REACHED_18 = "reached_18", "Child reached 18"
    REFERRED_ELSEWHERE = "referred_elsewhere", "Referred to another service"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    OTHER = "other", "Other"


class OutcomesAchieved(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


EPISODE_STATUS_COLOURS = {
    EpisodeStatus.AWAITING_ALLOCATION: "orange",
    EpisodeStatus.ALLOCATED: "blue",
    EpisodeStatus.ASSESSING: "turquoise",
    EpisodeStatus.PLAN_IN_PLACE: "green",
    EpisodeStatus.CLOSING: "yellow",
    EpisodeStatus.CLOSED: "grey",
}


class EpisodeQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=EpisodeStatus.CLOSED)

    def closed_since(self, moment):
        return self.filter(status=EpisodeStatus.CLOSED, closed_at__gte=moment)


class Episode(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="episodes")
    locality = models.ForeignKey(
        "accounts.Locality", on_delete=models.PROTECT, related_name="episodes"
    )
    level = models.ForeignKey(
        "thresholds.Level",
        on_delete=models.PROTECT,
        related_name="episodes",
        help_text="The level of need the episode was opened at",
    )
    status = models.CharField(
        max_length=24, choices=EpisodeStatus.choices, default=EpisodeStatus.AWAITING_ALLOCATION
    )
    opened_at = models.DateTimeField(default=timezone.now)
    opened_from_request = optional_reference(
        "referrals.RequestForSupport", related_name="episodes_opened"
    )
    lead_professional = optional_reference(settings.AUTH_USER_MODEL, related_name="episodes_led")
    team = optional_reference(
        "accounts.Team",
        related_name="episodes",
        help_text="The team the lead professional works from, once allocated",
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    priority = models.BooleanField(
        default=False, help_text="First on the allocation agenda (a step-down from social care)"
    )
    flagged_for_discussion = models.BooleanField(default=False)
    flag_reason = models.CharField("why it needs discussing", max_length=300, blank=True)

    # Closure: requested by the lead professional, approved by a manager.
    closure_reason = models.CharField(max_length=30, choices=ClosureReason.choices, blank=True)
    closure_summary = models.TextField(blank=True)
    outcomes_achieved = models.CharField(
        "were the outcomes achieved", max_length=10, choices=OutcomesAchieved.choices, blank=True
    )
    family_feedback = models.TextField("the family's feedback", blank=True)
    closure_requested_by = optional_reference(settings.AUTH_USER_MODEL, related_name="+")
    closure_requested_at = models.DateTimeField(null=True, blank=True)
    closure_approved_by = optional_reference(settings.AUTH_USER_MODEL, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["family"],
                condition=~Q(status="closed"),
                name="cases_one_open_episode_per_family",
                violation_error_message=OPEN_EPISODE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=(Q(status="closed") & Q(closed_at__isnull=False))
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="cases_episode_closed_at_matches_status",
            ),
        ]

    def __str__(self):
        return f"{self.family} episode opened {self.opened_at:%-d %B %Y}"

    @property
    def is_open(self):
        return self.status != EpisodeStatus.CLOSED

    @property
    def status_colour(self):
        return EPISODE_STATUS_COLOURS[EpisodeStatus(self.status)]


EPISODE_MOVES = StatusMachine(
    Episode,
    statuses=EpisodeStatus,
    allowed_moves=ALLOWED_MOVES,
    record_field="episode",
    noun="an episode",
)
EpisodeStatusChange = EPISODE_MOVES.history


class LeadProfessional(models.Model):
    """Who led the episode and when: one current (ended_at empty) at a time."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="lead_history")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lead_assignments"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["episode", "started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(ended_at__isnull=True),
                name="cases_one_current_lead_professional",
            )
        ]

    def __str__(self):
        return f"{self.user} leads {self.episode}"


def current_membership(on=None) -> Q:
    """A TAF membership not ended by `on` (today): it still opens the family's records."""
    on = on or timezone.localdate()
    return Q(ended_on__isnull=True) | Q(ended_on__gt=on)


class TafMemberQuerySet(models.QuerySet):
    def current(self, on=None):
        return self.filter(current_membership(on))


class TafMember(models.Model):
    """Someone in the Team Around the Family: a user of the service, or a named contact at
    an agency (whose users then see the family while the membership lasts)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="taf_members")
    user = optional_reference(settings.AUTH_USER_MODEL, related_name="taf_memberships")
    agency = optional_reference("accounts.Agency", related_name="taf_memberships")
    contact_name = models.CharField("contact name", max_length=200, blank=True)
    contact_email = models.EmailField("contact email", blank=True)
    contact_phone = models.CharField("contact phone", max_length=40, blank=True)
    role = models.CharField(
        "role in the TAF",
        max_length=200,
        error_messages={"blank": TAF_ROLE_MESSAGE},
    )
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TafMemberQuerySet.as_manager()

    class Meta:
        ordering = ["episode", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(agency__isnull=False),
                name="cases_taf_member_is_a_user_or_an_agency",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        if self.user_id:
            return self.user.get_full_name()
        return self.contact_name or self.agency.name

    @property
    def is_current(self):
        return self.ended_on is None or self.ended_on > timezone.localdate()

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if not self.user_id and not self.agency_id:
            errors["user"] = "Choose a user, or an agency and a named contact"
        if not self.user_id and self.agency_id and not self.contact_name.strip():
            errors["contact_name"] = TAF_CONTACT_NAME_MESSAGE
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            errors["ended_on"] = "The end date must be on or after the start date"
        if errors:
            raise ValidationError(errors)
