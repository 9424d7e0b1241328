"""Allocation meetings (DESIGN section 5, step 3): scheduled per locality, with an agenda
that builds itself from the locality's episodes awaiting allocation (step-downs from social
care first) and those flagged for discussion, attendance, one decision per item, and
minutes. Once the minutes are completed the meeting is held and no longer changes."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, Locality, Team, User
from audit.models import AuditAction
from audit.services import record
from cases.episodes import services as episodes
from cases.models import (
    AgendaItem,
    AgendaReason,
    AllocationMeeting,
    Attendance,
    ClosureReason,
    Episode,
    EpisodeStatus,
    ItemDecision,
    MeetingAttendee,
)
from cases.transitions import services as transitions
from earlyhelp import access
from earlyhelp.exceptions import ServiceError
from earlyhelp.services import audit_step, locked, next_number, validate
from thresholds.models import Level

Permission = access.Permission

# What the services say when a required answer is missing; the forms and serializers that
# check the same field themselves use these words too.
CHAIR_MESSAGE = "Choose a practitioner or manager to chair"
ATTENDEE_MESSAGE = "Choose a user, or enter the name of the person"
ATTENDANCE_MESSAGE = "Choose present or apologies"
DECISION_MESSAGE = "Choose a decision"


def _require_running(by, meeting_or_locality):
    if not access.can(by, Permission.RUN_MEETING, meeting_or_locality):
        raise PermissionDenied("Only the locality's managers and the chair run its meetings")


def _not_held(meeting):
    if meeting.is_held:
        raise ServiceError("The minutes of this meeting are complete: it can no longer change")


@transaction.atomic
def meeting_schedule(
    *, by: User, locality: Locality, starts_at, chair: User, venue: str
) -> AllocationMeeting:
    """Schedule a locality's meeting and build its agenda."""
    _require_running(by, locality)
    if not access.has_role(chair, *access.PRACTICE_ROLES) or not chair.is_active:
        raise ValidationError({"chair": CHAIR_MESSAGE})
    meeting = AllocationMeeting(
        locality=locality,
        starts_at=starts_at,
        chair=chair,
        venue=venue,
        created_by=by,
        modified_by=by,
    )
    validate(meeting)
    meeting.save()
    MeetingAttendee.objects.create(meeting=meeting, user=chair, attendance=Attendance.PRESENT)
    record(actor=by, action=AuditAction.CREATE, obj=meeting, detail={"locality": locality.name})
    _build_agenda(meeting)
    return meeting


def _agenda_candidates(meeting):
    """Open episodes of the locality that should be discussed, in agenda order."""
    already = meeting.agenda_items.values("episode")
    open_here = (
        Episode.objects.open()
        .filter(locality=meeting.locality)
        .exclude(pk__in=already)
        .select_related("family")
        .order_by("-priority", "opened_at", "pk")
    )
    for episode in open_here:
        if episode.status == EpisodeStatus.AWAITING_ALLOCATION:
            reason = (
                AgendaReason.STEP_DOWN if episode.priority else AgendaReason.AWAITING_ALLOCATION
            )
            yield episode, reason, ""
        elif episode.flagged_for_discussion:
            yield episode, AgendaReason.FLAGGED, episode.flag_reason
    for transition in transitions.waiting_too_long_in(meeting.locality):
        episode = transition.episode
        if episode is not None and episode.is_open and not episode.flagged_for_discussion:
            if not meeting.agenda_items.filter(episode=episode).exists():
                note = (
                    f"{transition.get_direction_display()} to {transition.receiving_team.name} "
                    "not accepted in time"
                )
                yield episode, AgendaReason.FLAGGED, note


def _build_agenda(meeting) -> int:
    added = 0
    position = next_number(meeting.agenda_items, "position")
    seen = set()
    for episode, reason, note in _agenda_candidates(meeting):
        if episode.pk in seen:
            continue
        seen.add(episode.pk)
        AgendaItem.objects.create(
            meeting=meeting, episode=episode, reason=reason, note=note, position=position
        )
        position += 1
        added += 1
    return added


@transaction.atomic
def meeting_build_agenda(*, by: User, meeting: AllocationMeeting) -> int:
    """Add what has come up since the agenda was built; returns how many items were added."""
    meeting = locked(meeting)
    _require_running(by, meeting)
    _not_held(meeting)
    added = _build_agenda(meeting)
    audit_step(by, meeting, "build agenda", added=added)
    return added


@transaction.atomic
def meeting_attendee_add(
    *,
    by: User,
    meeting: AllocationMeeting,
    attendance: str = Attendance.PRESENT,
    user: User | None = None,
    agency: Agency | None = None,
    name: str = "",
) -> MeetingAttendee:
    meeting = locked(meeting)
    _require_running(by, meeting)
    _not_held(meeting)
    if user is None and not name.strip():
        raise ValidationError({"user": ATTENDEE_MESSAGE})
    if user is not None and meeting.attendees.filter(user=user).exists():
        raise ValidationError({"user": f"{user.get_full_name()} is already listed"})
    if attendance not in Attendance.values:
        raise ValidationError({"attendance": ATTENDANCE_MESSAGE})
    attendee = MeetingAttendee.objects.create(
        meeting=meeting, user=user, agency=agency, name=name, attendance=attendance
    )
    audit_step(by, meeting, "add attendee", attendee=attendee.display_name)
    return attendee


@transaction.atomic
def meeting_attendee_remove(*, by: User, attendee: MeetingAttendee) -> None:
    meeting = locked(attendee.meeting)
    _require_running(by, meeting)
    _not_held(meeting)
    audit_step(by, meeting, "remove attendee", attendee=attendee.display_name)
    attendee.delete()


@transaction.atomic
def agenda_item_decide(
    *,
    by: User,
    item: AgendaItem,
    decision: str,
    notes: str = "",
    discussion: str = "",
    lead_professional: User | None = None,
    team: Team | None = None,
    referred_to: str = "",
    receiving_team: Team | None = None,
    to_level: Level | None = None,
) -> AgendaItem:
    """The meeting's decision on one item, carried out at once: allocate, refer (closes
    the episode), step up (approved by the meeting, waiting for social care to accept),
    no further action (closes it) or defer (it comes back on the next agenda).

    The notes (the reasons) and the discussion (the minute of what was said about the
    family) are kept on the item, shown only to those who may see the family: never in
    the meeting's general minutes."""
    meeting = locked(item.meeting)
    _require_running(by, meeting)
    _not_held(meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.is_decided:
        raise ServiceError(f"This item was decided: {item.get_decision_display().lower()}")
    if decision not in ItemDecision.values:
        raise ValidationError({"decision": DECISION_MESSAGE})
    episode = locked(item.episode)
    if not episode.is_open:
        raise ServiceError("This episode has closed since the agenda was built")
    errors = {}
    if decision == ItemDecision.ALLOCATE:
        if lead_professional is None:
            errors["lead_professional"] = "Choose the lead professional"
        if team is None:
            errors["team"] = "Choose the lead professional's team"
        if episode.status != EpisodeStatus.AWAITING_ALLOCATION:
            errors["decision"] = "This episode is already allocated: reallocate it instead"
    if decision == ItemDecision.REFER and not referred_to.strip():
        errors["referred_to"] = "Enter the service the family is referred to"
    if decision == ItemDecision.STEP_UP:
        if receiving_team is None:
            errors["receiving_team"] = "Choose the children's social care team"
        if to_level is None:
            errors["to_level"] = "Choose the level"
    if decision in (ItemDecision.REFER, ItemDecision.NFA, ItemDecision.STEP_UP) and not (
        notes.strip()
    ):
        errors["notes"] = "Enter the reasons for the decision"
    if errors:
        raise ValidationError(errors)

    label = f"Allocation meeting {timezone.localtime(meeting.starts_at):%-d %B %Y}"
    if decision == ItemDecision.ALLOCATE:
        episodes.allocate_as_decided(
            episode, by=by, lead_professional=lead_professional, team=team, reason=label
        )
    elif decision in (ItemDecision.REFER, ItemDecision.NFA):
        if episode.status == EpisodeStatus.AWAITING_ALLOCATION:
            episodes.close_as_decided(
                episode,
                by=by,
                reason=ClosureReason.REFERRED_ELSEWHERE
                if decision == ItemDecision.REFER
                else ClosureReason.NO_FURTHER_ACTION,
                summary=f"Referred to {referred_to}: {notes}"
                if decision == ItemDecision.REFER
                else notes,
                note=label,
            )
        else:
            raise ValidationError(
                {"decision": "An allocated episode is closed by its lead professional"}
            )
    elif decision == ItemDecision.STEP_UP:
        if episode.team is None:
            raise ValidationError(
                {"decision": "Allocate the episode first: the lead professional hands it over"}
            )
        transition = transitions.request_step_up_as_decided(
            episode,
            by=by,
            to_level=to_level,
            receiving_team=receiving_team,
            reason=notes,
            evidence="",
            handover_notes="",
        )
        transitions.approve_as_decided(transition, by=by)
    item.decision = decision
    item.lead_professional = lead_professional if decision == ItemDecision.ALLOCATE else None
    item.team = team if decision == ItemDecision.ALLOCATE else None
    item.referred_to = referred_to if decision == ItemDecision.REFER else ""
    item.decision_notes = notes
    item.discussion = discussion.strip()
    item.decided_by = by
    item.decided_at = timezone.now()
    item.save()
    audit_step(by, meeting, "decide item", episode=str(episode.uuid), decision=decision)
    return item


@transaction.atomic
def meeting_record_minutes(
    *, by: User, meeting: AllocationMeeting, minutes: str, complete: bool = False
) -> AllocationMeeting:
    """Save the general minutes (business other than the families on the agenda, read only
    by the chair and the locality's managers); completing them holds the meeting (every
    item must be decided)."""
    meeting = locked(meeting)
    _require_running(by, meeting)
    _not_held(meeting)
    if complete:
        if not minutes.strip():
            raise ValidationError({"minutes": "Enter the minutes"})
        undecided = meeting.agenda_items.filter(decision="").count()
        if undecided:
            raise ServiceError(
                f"{undecided} agenda item{'s are' if undecided > 1 else ' is'} not decided: "
                "decide each (or defer it) before completing the minutes"
            )
        if meeting.starts_at > timezone.now():
            raise ServiceError("The meeting has not started yet")
        meeting.held_at = timezone.now()
    meeting.minutes = minutes
    meeting.modified_by = by
    meeting.save()
    audit_step(by, meeting, "complete minutes" if complete else "save minutes")
    return meeting
