"""The episode API's schema, and query counts that do not grow with rows."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.episodes import services as episodes
from cases.meetings import services as meetings
from cases.models import TafMember
from cases.transitions.models import Direction, Transition, TransitionStatus
from tests.cases.episode_api_helpers import url
from tests.cases.episode_helpers import allocated_episode, level, schedule_meeting
from tests.factories import (
    AgencyFactory,
    AllocatedEpisodeFactory,
    EpisodeAwaitingAllocationFactory,
    led_in,
)

pytestmark = pytest.mark.django_db


# Schema


def test_schema_validates_and_documents_the_endpoints(as_user, place, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    paths = as_user(place.worker).get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in [
        "/api/episodes/",
        "/api/episodes/{uuid}/allocate/",
        "/api/episodes/{uuid}/step-up/",
        "/api/taf-members/{uuid}/end/",
        "/api/meetings/{uuid}/attendees/{attendee_id}/",
        "/api/agenda-items/{uuid}/decide/",
        "/api/transitions/step-down/",
        "/api/level-history/",
    ]:
        assert path in paths, path


# Queries do not grow with the rows


def world_episodes(place, rows):
    for _ in range(rows):
        AllocatedEpisodeFactory(**led_in(place))
    return "/api/episodes/"


def world_taf(place, rows):
    episode = allocated_episode(place)
    for number in range(rows):
        TafMember.objects.create(
            episode=episode, agency=AgencyFactory(), contact_name=f"Contact {number}", role="Helper"
        )
    episodes.episode_start_assessment(by=place.worker, episode=episode)
    return url(episode)


def world_meeting(place, rows):
    for _ in range(rows):
        EpisodeAwaitingAllocationFactory(locality=place.locality)
    meeting = schedule_meeting(place.manager, place.locality, venue="Hall")
    meetings.meeting_attendee_add(by=place.manager, meeting=meeting, user=place.worker)
    return f"/api/meetings/{meeting.uuid}/"


def world_transitions(place, rows):
    down = None
    for _ in range(rows):
        episode = AllocatedEpisodeFactory(**led_in(place))
        down = Transition.objects.create(
            direction=Direction.UP,
            family=episode.family,
            episode=episode,
            from_level=level(3),
            to_level=level(4),
            reason="Harm",
            sending_team=place.team,
            receiving_team=place.social_care_team,
            requested_by=place.worker,
            status=TransitionStatus.APPROVED,
            approved_by=place.manager,
            approved_at=timezone.now(),
            bounce_back_of=down,
        )
    return "/api/transitions/"


def world_level_history(place, rows):
    for _ in range(rows):
        AllocatedEpisodeFactory(**led_in(place))
    return "/api/level-history/"


WORLDS = {
    "episodes": world_episodes,
    "episode detail": world_taf,
    "meeting detail": world_meeting,
    "transitions": world_transitions,
    "level history": world_level_history,
}


@pytest.mark.parametrize("rows", [2, 50])
@pytest.mark.parametrize("endpoint", list(WORLDS))
def test_query_count_does_not_grow_with_rows(
    as_user, django_assert_max_num_queries, place, rows, endpoint
):
    path = WORLDS[endpoint](place, rows)
    client = as_user(place.manager)
    # Measured: 6-9 queries at both sizes (sign-in, roles, teams, count, page, prefetches, audit).
    with django_assert_max_num_queries(10):
        response = client.get(path)
    assert response.status_code == 200, response.json()
    body = response.json()
    if "results" in body:
        assert body["count"] >= rows
    elif endpoint == "episode detail":
        assert len(body["taf_members"]) == rows
    else:
        assert len(body["agenda_items"]) == rows
