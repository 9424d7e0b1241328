"""Step up and step down: a family's move between early help and children's social care.

The models keep the `thresholds` app label and tables they were made with (no data
migration); they live here, with the rest of the transition domain (decision 0012). Status
changes only through `TRANSITION_MOVES` (cases.transitions.services).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.models import optional_reference
from earlyhelp.status import StatusMachine
from thresholds.models import Level

# The words for the rule the model holds; the forms and serializers that check it first
# say it in these words.
REASON_MESSAGE = "Enter the reason"


class Direction(models.TextChoices):
    UP = "up", "Step up"
    DOWN = "down", "Step down"


class TransitionStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for a manager's approval"
    APPROVED = "approved", "Waiting for the receiving team to accept"
    DECLINED = "declined", "Declined by the manager"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Not accepted by the receiving team"


TRANSITION_STATUS_COLOURS = {
    TransitionStatus.REQUESTED: "yellow",
    TransitionStatus.APPROVED: "orange",
    TransitionStatus.DECLINED: "grey",
    TransitionStatus.ACCEPTED: "green",
    TransitionStatus.REJECTED: "red",
}


class Transition(models.Model):
    """A step up (early help to children's social care) or step down (social care to early
    help): requested, approved by a manager, then accepted or not by the receiving team.
    The sending side stays responsible until the receiving side accepts (DESIGN section 4:
    "never do nothing")."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    direction = models.CharField(max_length=4, choices=Direction.choices)
    family = models.ForeignKey("cases.Family", on_delete=models.PROTECT, related_name="transitions")
    episode = optional_reference(
        "cases.Episode",
        related_name="transitions",
        help_text="The early help episode stepped up, or the one a step-down opened",
    )
    from_level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+")
    to_level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(error_messages={"blank": REASON_MESSAGE})
    evidence = models.TextField(blank=True)
    handover_notes = models.TextField(blank=True)
    sending_team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="transitions_sent"
    )
    receiving_team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="transitions_received"
    )
    status = models.CharField(
        max_length=12, choices=TransitionStatus.choices, default=TransitionStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="transitions_requested"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    approved_by = optional_reference(settings.AUTH_USER_MODEL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    responded_by = optional_reference(settings.AUTH_USER_MODEL, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)
    response_reason = models.TextField(
        blank=True, help_text="Why the manager declined, or the receiving team did not accept"
    )
    bounce_back_of = optional_reference(
        "self",
        related_name="bounced_back_by",
        help_text="The step-down this step-up follows within 12 months",
    )

    class Meta:
        app_label = "thresholds"
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.get_direction_display()} for {self.family}: {self.get_status_display()}"

    @property
    def is_pending(self):
        return self.status in (TransitionStatus.REQUESTED, TransitionStatus.APPROVED)

    @property
    def status_colour(self):
        return TRANSITION_STATUS_COLOURS[TransitionStatus(self.status)]


ALLOWED_MOVES = {
    TransitionStatus.REQUESTED: {TransitionStatus.APPROVED, TransitionStatus.DECLINED},
    TransitionStatus.APPROVED: {TransitionStatus.ACCEPTED, TransitionStatus.REJECTED},
    TransitionStatus.DECLINED: set(),
    TransitionStatus.ACCEPTED: set(),
    TransitionStatus.REJECTED: set(),
}


TRANSITION_MOVES = StatusMachine(
    Transition,
    statuses=TransitionStatus,
    allowed_moves=ALLOWED_MOVES,
    record_field="transition",
    noun="a transition",
)
TransitionStatusChange = TRANSITION_MOVES.history
