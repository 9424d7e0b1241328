"""`GET /api/level-history/{id}/`: one change of level, under the access policy and audited
(it answered 500 for everyone: the route was in the schema with no retrieve behind it)."""

import pytest

from audit.models import AuditAction, AuditEvent
from cases.episodes import services as episodes
from tests.cases.episode_api_helpers import make_place
from tests.cases.episode_helpers import allocated_episode, level, new_episode
from thresholds.models import LevelChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(db):
    return make_place()


def test_one_change_of_level_for_who_may_see_the_family(as_user, place):
    episode = allocated_episode(place)
    episodes.episode_change_level(
        by=place.manager, episode=episode, level=level(2), reason="Going well at school"
    )
    change = LevelChange.objects.get(family=episode.family, cause="change")
    response = as_user(place.worker).get(f"/api/level-history/{change.pk}/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == change.pk
    assert body["family"]["uuid"] == str(episode.family.uuid)
    assert body["episode"] == str(episode.uuid)
    assert (body["from_level"]["rank"], body["to_level"]["rank"]) == (3, 2)
    assert body["reason"] == "Going well at school"
    assert body["changed_by"]["uuid"] == str(place.manager.uuid)
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW,
        object_type="thresholds.levelchange",
        object_id=str(change.pk),
        actor=place.worker,
    ).exists()


def test_a_change_of_level_of_a_family_the_user_may_not_see_is_not_found(as_user, place):
    elsewhere = new_episode(make_place("South"))
    change = LevelChange.objects.get(family=elsewhere.family)
    response = as_user(place.worker).get(f"/api/level-history/{change.pk}/")
    assert response.status_code == 404
    assert elsewhere.family.name not in response.content.decode()
    missing = as_user(place.worker).get("/api/level-history/999999999/")
    assert missing.status_code == 404


@pytest.mark.parametrize("changes", [2, 50])
def test_query_count_of_one_change_does_not_grow(
    as_user, django_assert_max_num_queries, place, changes
):
    episode = allocated_episode(place)
    for number in range(changes - 1):
        episodes.episode_change_level(
            by=place.manager, episode=episode, level=level(2 + number % 2), reason=f"{number}"
        )
    last = LevelChange.objects.filter(family=episode.family).order_by("-changed_at", "-id")[0]
    client = as_user(place.manager)
    # Measured: sign-in, roles, teams, the change with its relations, audit.
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/level-history/{last.pk}/")
    assert response.status_code == 200, response.content
