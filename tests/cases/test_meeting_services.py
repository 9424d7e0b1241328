"""Allocation meetings: the agenda builds itself, each item gets one decision, carried out
at once, and completed minutes close the meeting."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.episodes import services as episodes
from cases.meetings import services as meetings
from cases.models import AllocationMeeting, EpisodeStatus
from cases.transitions.models import TransitionStatus
from earlyhelp import access
from earlyhelp.exceptions import ServiceError
from tests.cases.episode_helpers import (
    allocated_episode,
    level,
    make_locality,
    new_episode,
    schedule_meeting,
)

pytestmark = pytest.mark.django_db


def decide(place, item, decision, **extra):
    return meetings.agenda_item_decide(by=place.manager, item=item, decision=decision, **extra)


def test_the_agenda_has_the_localitys_waiting_and_flagged_episodes_only(north):
    waiting = new_episode(north)
    flagged = allocated_episode(north)
    episodes.episode_flag(by=north.worker, episode=flagged, reason="No progress in 8 weeks")
    allocated_episode(north)  # nothing to discuss
    new_episode(make_locality("South"))  # another locality's

    meeting = schedule_meeting(north.manager, north.locality, hours=-1)

    items = {item.episode: item for item in meeting.agenda_items.all()}
    assert set(items) == {waiting, flagged}
    assert items[waiting].reason == "awaiting_allocation"
    assert (items[flagged].reason, items[flagged].note) == ("flagged", "No progress in 8 weeks")
    assert meetings.meeting_build_agenda(by=north.manager, meeting=meeting) == 0
    later = new_episode(north)
    assert meetings.meeting_build_agenda(by=north.manager, meeting=meeting) == 1
    assert meeting.agenda_items.filter(episode=later).exists()


def test_only_the_localitys_managers_run_its_meetings(north):
    south = make_locality("South")
    with pytest.raises(PermissionDenied):
        meetings.meeting_schedule(
            by=south.manager,
            locality=north.locality,
            starts_at=timezone.now(),
            chair=south.manager,
            venue="Online",
        )
    meeting = schedule_meeting(north.manager, north.locality, hours=-1)
    with pytest.raises(PermissionDenied):
        meetings.meeting_build_agenda(by=north.worker, meeting=meeting)


def test_each_decision_is_carried_out(north):
    to_allocate, to_refer, to_close, to_defer = (new_episode(north) for _ in range(4))
    meeting = schedule_meeting(north.manager, north.locality, hours=-1)
    items = {item.episode: item for item in meeting.agenda_items.all()}

    decide(north, items[to_allocate], "allocate", lead_professional=north.worker, team=north.team)
    decide(
        north,
        items[to_refer],
        "refer",
        referred_to="Brackenshire Young Carers",
        notes="Needs are those of a young carer.",
    )
    decide(north, items[to_close], "nfa", notes="Needs met by the school's pastoral team.")
    decide(north, items[to_defer], "defer", notes="Waiting for the health visitor's view.")

    for episode in (to_allocate, to_refer, to_close, to_defer):
        episode.refresh_from_db()
    assert to_allocate.status == EpisodeStatus.ALLOCATED
    assert to_allocate.lead_professional == north.worker
    assert (to_refer.status, to_refer.closure_reason) == ("closed", "referred_elsewhere")
    assert "Brackenshire Young Carers" in to_refer.closure_summary
    assert (to_close.status, to_close.closure_reason) == ("closed", "no_further_action")
    assert to_defer.status == EpisodeStatus.AWAITING_ALLOCATION

    next_meeting = schedule_meeting(north.manager, north.locality, days=14, hours=-1)
    assert [item.episode for item in next_meeting.agenda_items.all()] == [to_defer]


def test_a_meeting_can_step_an_allocated_episode_up(north):
    flagged = allocated_episode(north)
    episodes.episode_flag(by=north.worker, episode=flagged, reason="Escalating concerns")
    [item] = schedule_meeting(north.manager, north.locality, hours=-1).agenda_items.all()

    decide(
        north,
        item,
        "step_up",
        receiving_team=north.social_care_team,
        to_level=level(4),
        notes="Agreed by the panel: threshold for a social care assessment met.",
    )

    transition = flagged.transitions.get()
    assert transition.status == TransitionStatus.APPROVED
    flagged.refresh_from_db()
    assert flagged.is_open, "the early help episode stays open until social care accepts"


def test_an_item_is_decided_once_and_decisions_need_their_details(north):
    new_episode(north)
    [item] = schedule_meeting(north.manager, north.locality, hours=-1).agenda_items.all()
    with pytest.raises(ValidationError) as error:
        decide(north, item, "allocate")
    assert set(error.value.message_dict) == {"lead_professional", "team"}
    with pytest.raises(ValidationError) as error:
        decide(north, item, "refer")
    assert set(error.value.message_dict) == {"referred_to", "notes"}

    decide(north, item, "nfa", notes="No longer needed.")
    with pytest.raises(ServiceError, match="This item was decided: no further action"):
        decide(north, item, "defer")


def test_completed_minutes_need_every_item_decided_and_then_nothing_changes(north):
    new_episode(north)
    meeting = schedule_meeting(north.manager, north.locality, hours=-1)
    with pytest.raises(ServiceError, match="1 agenda item is not decided"):
        meetings.meeting_record_minutes(
            by=north.manager, meeting=meeting, minutes="Quorate.", complete=True
        )
    [item] = meeting.agenda_items.all()
    decide(north, item, "defer")
    meetings.meeting_record_minutes(
        by=north.manager, meeting=meeting, minutes="Quorate. One deferral.", complete=True
    )

    meeting = AllocationMeeting.objects.get(pk=meeting.pk)
    assert meeting.is_held
    with pytest.raises(ServiceError, match="can no longer change"):
        meetings.meeting_attendee_add(by=north.manager, meeting=meeting, name="Late arrival")
    with pytest.raises(ServiceError, match="can no longer change"):
        meetings.meeting_build_agenda(by=north.manager, meeting=meeting)


def test_minutes_cannot_be_completed_before_the_meeting(north):
    meeting = schedule_meeting(north.manager, north.locality, days=3, hours=-1)
    with pytest.raises(ServiceError, match="has not started"):
        meetings.meeting_record_minutes(
            by=north.manager, meeting=meeting, minutes="Early", complete=True
        )


def test_the_meeting_is_seen_by_its_locality_managers_chair_and_attendees(north):
    meeting = schedule_meeting(north.manager, north.locality, hours=-1)
    attendee = north.worker
    meetings.meeting_attendee_add(by=north.manager, meeting=meeting, user=attendee)
    south = make_locality("South")

    def sees(user):
        user = type(user).objects.get(pk=user.pk)
        return access.visible(user, AllocationMeeting.objects.filter(pk=meeting.pk)).exists()

    assert sees(north.manager) and sees(attendee)
    assert not sees(south.manager) and not sees(north.colleague)
