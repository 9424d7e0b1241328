"""Step up and step down with a handover: the sender keeps the case until the receiver
accepts; step-downs go first on the next agenda; bounce-backs are linked."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.episodes import services as episodes
from cases.models import Episode, EpisodeStatus
from cases.transitions import services as transitions
from cases.transitions.models import Transition, TransitionStatus
from earlyhelp.exceptions import ServiceError
from tests.cases.episode_helpers import (
    allocated_episode,
    level,
    request_step_down,
    request_step_up,
    schedule_meeting,
)
from tests.factories import FamilyFactory
from thresholds.models import LevelChange

pytestmark = pytest.mark.django_db


def test_a_step_up_leaves_the_episode_with_the_sender_until_social_care_accepts(north):
    episode = allocated_episode(north)
    transition = request_step_up(north, episode)

    with pytest.raises(PermissionDenied):
        transitions.transition_approve(by=north.worker, transition=transition)
    transitions.transition_approve(by=north.manager, transition=transition)
    episode.refresh_from_db()
    assert episode.is_open and episode.lead_professional == north.worker

    with pytest.raises(PermissionDenied):
        transitions.transition_accept(by=north.manager, transition=transition)
    transitions.transition_accept(
        by=north.social_care_manager, transition=transition, notes="Allocated to a social worker."
    )

    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSED
    assert episode.closure_reason == "stepped_up"
    change = LevelChange.objects.filter(episode=episode, cause="transition").get()
    assert (change.from_level, change.to_level) == (level(3), level(4))
    assert Transition.objects.get(pk=transition.pk).status == TransitionStatus.ACCEPTED


def test_while_a_step_up_waits_the_episode_cannot_be_closed(north):
    episode = allocated_episode(north)
    request_step_up(north, episode)
    with pytest.raises(ServiceError, match="stays open until it is accepted"):
        episodes.episode_request_closure(
            by=north.worker,
            episode=episode,
            reason="other",
            summary="Social care are taking it.",
            outcomes_achieved="no",
        )


def test_a_step_up_not_accepted_leaves_the_episode_going(north):
    episode = allocated_episode(north)
    transition = request_step_up(north, episode)
    transitions.transition_approve(by=north.manager, transition=transition)
    with pytest.raises(ValidationError):
        transitions.transition_reject(
            by=north.social_care_manager, transition=transition, reason=""
        )
    transitions.transition_reject(
        by=north.social_care_manager,
        transition=transition,
        reason="Threshold for a s47 enquiry not met: continue early help with a TAF.",
    )
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.ALLOCATED


def test_a_step_up_goes_to_social_care_at_a_statutory_level(north):
    episode = allocated_episode(north)
    with pytest.raises(ValidationError) as error:
        transitions.step_up_request(
            by=north.worker,
            episode=episode,
            to_level=level(3),
            receiving_team=north.team,
            reason="x",
        )
    assert "receiving_team" in error.value.message_dict


def test_an_approved_step_down_opens_an_episode_first_on_the_next_agenda(north):
    family = FamilyFactory(owning_team=north.social_care_team)
    waiting = episodes.open_episode(
        by=None,
        family=FamilyFactory(),
        locality=north.locality,
        level=level(3),
        cause="front_door",
        at=timezone.now() - datetime.timedelta(days=10),
    )
    transition = request_step_down(north, family)
    transitions.transition_approve(by=north.social_care_manager, transition=transition)

    transition.refresh_from_db()
    episode = transition.episode
    assert episode.status == EpisodeStatus.AWAITING_ALLOCATION and episode.priority
    assert episode.locality == north.locality and episode.level == level(3)
    assert transition.status == TransitionStatus.APPROVED

    meeting = schedule_meeting(
        north.manager, north.locality, days=2, venue="Brackenford Family Hub, room 2"
    )
    agenda = list(meeting.agenda_items.order_by("position"))
    assert [item.episode for item in agenda] == [episode, waiting]
    assert agenda[0].reason == "step_down"

    episodes.episode_allocate(
        by=north.manager, episode=episode, lead_professional=north.worker, team=north.team
    )
    transition.refresh_from_db()
    assert transition.status == TransitionStatus.ACCEPTED
    assert transition.responded_by == north.manager


def test_a_step_down_not_accepted_closes_its_episode_and_stays_with_social_care(north):
    family = FamilyFactory(owning_team=north.social_care_team)
    transition = transitions.transition_approve(
        by=north.social_care_manager, transition=request_step_down(north, family)
    )
    transitions.transition_reject(
        by=north.manager, transition=transition, reason="Family lives in South: send it there."
    )
    episode = Episode.objects.get(pk=transition.episode_id)
    assert episode.status == EpisodeStatus.CLOSED
    assert not Episode.objects.open().filter(family=family).exists()


def stepped_down_and_allocated(north, *, days_ago):
    """A step down approved `days_ago` days ago, and the episode it opened, allocated."""
    family = FamilyFactory(owning_team=north.social_care_team)
    down = transitions.transition_approve(
        by=north.social_care_manager, transition=request_step_down(north, family)
    )
    episode = episodes.episode_allocate(
        by=north.manager, episode=down.episode, lead_professional=north.worker, team=north.team
    )
    Transition.objects.filter(pk=down.pk).update(
        responded_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return down, episode


def test_a_step_up_within_12_months_of_a_step_down_is_a_bounce_back(north):
    down, episode = stepped_down_and_allocated(north, days_ago=120)

    up = request_step_up(north, episode)

    assert up.bounce_back_of_id == down.pk
    assert Transition.objects.filter(bounce_back_of__isnull=False).count() == 1


def test_a_step_up_long_after_a_step_down_is_not_a_bounce_back(north):
    _, episode = stepped_down_and_allocated(north, days_ago=400)
    assert request_step_up(north, episode).bounce_back_of is None


def test_an_approved_transition_not_accepted_in_time_is_flagged(north, settings):
    settings.TRANSITION_ACCEPTANCE_WORKING_DAYS = 5
    episode = allocated_episode(north)
    transition = request_step_up(north, episode)
    transitions.transition_approve(by=north.manager, transition=transition)
    assert not transitions.is_waiting_too_long(transition)

    Transition.objects.filter(pk=transition.pk).update(
        approved_at=timezone.now() - datetime.timedelta(days=14)
    )
    transition.refresh_from_db()
    assert transitions.is_waiting_too_long(transition)
    assert transitions.waiting_too_long_in(north.locality) == [transition]

    meeting = schedule_meeting(north.manager, north.locality, days=1, venue="Online")
    [item] = meeting.agenda_items.all()
    assert item.episode == episode and "not accepted in time" in item.note


def test_every_move_of_a_transition_is_recorded_with_who_and_why(north):
    episode = allocated_episode(north)
    transition = request_step_up(north, episode)
    transitions.transition_approve(by=north.manager, transition=transition)
    transitions.transition_accept(
        by=north.social_care_manager, transition=transition, notes="Allocated to a social worker."
    )

    moves = [
        (change.from_status, change.to_status, change.changed_by, change.reason)
        for change in transition.status_changes.all()
    ]
    assert moves == [
        ("", "requested", north.worker, "Disclosure of physical harm at school."),
        ("requested", "approved", north.manager, ""),
        ("approved", "accepted", north.social_care_manager, "Allocated to a social worker."),
    ]


def test_a_declined_step_down_records_why(north):
    family = FamilyFactory(owning_team=north.social_care_team)
    transition = request_step_down(north, family)
    with pytest.raises(ServiceError):
        transitions.transition_accept(by=north.manager, transition=transition)
    transitions.transition_decline(
        by=north.social_care_manager, transition=transition, reason="Needs are statutory."
    )

    last = transition.status_changes.last()
    assert (last.from_status, last.to_status, last.reason) == (
        "requested",
        "declined",
        "Needs are statutory.",
    )
    assert transition.status_changes.count() == 2
