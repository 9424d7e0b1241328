"""Allocation meetings (CSAM, locality panel): the regular multi-agency meeting that
allocates new episodes and unblocks stuck ones (DESIGN sections 3 and 5, step 3).

The agenda builds itself from the locality's episodes awaiting allocation and those
flagged for discussion; each item gets one decision."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.models.episode import Episode
from earlyhelp.models import TimeStampedModel, optional_reference

# The words for the rule the model holds; the form that checks it first says it in these
# words.
VENUE_MESSAGE = "Enter the venue, or the link for an online meeting"


class AllocationMeeting(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    locality = models.ForeignKey(
        "accounts.Locality", on_delete=models.PROTECT, related_name="allocation_meetings"
    )
    starts_at = models.DateTimeField("date and time")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meetings_chaired"
    )
    venue = models.CharField(
        "venue or online link",
        max_length=300,
        error_messages={"blank": VENUE_MESSAGE},
    )
    # Business other than the families on the agenda. Free text cannot be proven free of
    # family names, so only the chair and the locality's managers read it
    # (access.Permission.VIEW_MEETING_MINUTES); what was said about a family is kept on its
    # agenda item, shown to those who may see that family.
    minutes = models.TextField(
        "general minutes",
        blank=True,
        help_text="Business other than the families on the agenda: no family names",
    )
    held_at = models.DateTimeField(
        null=True, blank=True, help_text="When the minutes were completed"
    )

    class Meta:
        ordering = ["-starts_at", "-id"]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.locality} allocation meeting, {local:%-d %B %Y %H:%M}"

    @property
    def is_held(self):
        return self.held_at is not None


class Attendance(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"


class MeetingAttendee(models.Model):
    """A user of the service, or someone from an agency named in full."""

    meeting = models.ForeignKey(
        AllocationMeeting, on_delete=models.CASCADE, related_name="attendees"
    )
    user = optional_reference(settings.AUTH_USER_MODEL, related_name="+")
    agency = optional_reference("accounts.Agency", related_name="+")
    name = models.CharField(max_length=200, blank=True)
    attendance = models.CharField(
        max_length=10, choices=Attendance.choices, default=Attendance.PRESENT
    )

    class Meta:
        ordering = ["meeting", "attendance", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""),
                name="cases_attendee_is_a_user_or_named",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="cases_attendee_once_per_meeting",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.user.get_full_name() if self.user_id else self.name

    @property
    def agency_name(self):
        if self.agency_id:
            return self.agency.name
        if self.user_id and self.user.agency_id:
            return self.user.agency.name
        return ""


class AgendaReason(models.TextChoices):
    STEP_DOWN = "step_down", "Step-down from children's social care"
    AWAITING_ALLOCATION = "awaiting_allocation", "Awaiting allocation"
    FLAGGED = "flagged", "Flagged for discussion"


class ItemDecision(models.TextChoices):
    ALLOCATE = "allocate", "Allocate a lead professional"
    REFER = "refer", "Refer to a named service"
    STEP_UP = "step_up", "Step up to children's social care"
    NFA = "nfa", "No further action"
    DEFER = "defer", "Defer to the next meeting"


class AgendaItem(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(
        AllocationMeeting, on_delete=models.CASCADE, related_name="agenda_items"
    )
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="agenda_items")
    reason = models.CharField(max_length=30, choices=AgendaReason.choices)
    note = models.CharField(max_length=300, blank=True, help_text="Why it is on the agenda")
    position = models.PositiveIntegerField(default=0)

    decision = models.CharField(max_length=20, choices=ItemDecision.choices, blank=True)
    lead_professional = optional_reference(settings.AUTH_USER_MODEL, related_name="+")
    team = optional_reference("accounts.Team", related_name="+")
    referred_to = models.CharField("service referred to", max_length=200, blank=True)
    decision_notes = models.TextField("notes", blank=True)
    discussion = models.TextField(
        "minute of the discussion",
        blank=True,
        help_text="What the meeting said about this family: shown only to those who may see it",
    )
    decided_by = optional_reference(settings.AUTH_USER_MODEL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "episode"], name="cases_episode_once_per_agenda"
            )
        ]

    def __str__(self):
        return f"{self.episode.family} ({self.get_reason_display().lower()})"

    @property
    def is_decided(self):
        return bool(self.decision)
