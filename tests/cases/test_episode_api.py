"""The episodes and level history API, under the access policy: 404 for what the user may
not see, 403 for what they may not do, 400 with the service's message for a move the
record's state does not allow."""

import pytest

from accounts.models import Role
from audit.models import AuditAction, AuditEvent
from cases.episodes import services as episodes
from cases.models import Episode
from tests.cases.episode_api_helpers import make_place, refused, url
from tests.cases.episode_helpers import allocated_episode, level, new_episode
from tests.factories import UserFactory
from thresholds.models import LevelChange

pytestmark = pytest.mark.django_db


# Episodes: reading


def test_locality_manager_lists_only_their_localitys_episodes(as_user, place):
    here = new_episode(place)
    elsewhere = new_episode(make_place("South"))
    body = as_user(place.manager).get("/api/episodes/").json()
    assert [row["uuid"] for row in body["results"]] == [str(here.uuid)]
    assert str(elsewhere.uuid) not in str(body)
    row = body["results"][0]
    assert row["status"] == "awaiting_allocation"
    assert row["level"]["rank"] == 3
    assert row["locality"]["uuid"] == str(place.locality.uuid)
    event = AuditEvent.objects.filter(action=AuditAction.LIST, object_type="cases.episode").get()
    assert event.detail["ids"] == [str(here.pk)]


def test_episode_filters(as_user, place):
    mine = allocated_episode(place)
    waiting = new_episode(place)
    episodes.episode_flag(by=place.manager, episode=mine, reason="Stuck")
    client = as_user(place.manager)

    def listed(**params):
        return {row["uuid"] for row in client.get("/api/episodes/", params).json()["results"]}

    assert listed(status="awaiting_allocation") == {str(waiting.uuid)}
    assert listed(flagged="true") == {str(mine.uuid)}
    assert listed(locality=str(place.locality.uuid), level=3) == {str(mine.uuid), str(waiting.uuid)}
    assert listed(level=2) == set()
    as_user(place.worker)
    assert listed(lead_professional="me") == {str(mine.uuid)}
    refused(client.get("/api/episodes/", {"locality": "not-a-uuid"}), 400, "locality")


def test_episode_detail_shows_histories_and_is_audited(as_user, place):
    episode = allocated_episode(place)
    episodes.taf_member_add(
        by=place.worker, episode=episode, role="School nurse", user=place.colleague
    )
    response = as_user(place.worker).get(url(episode))
    assert response.status_code == 200
    body = response.json()
    assert body["family"] == {"uuid": str(episode.family.uuid), "name": episode.family.name}
    assert body["lead_professional"]["uuid"] == str(place.worker.uuid)
    assert body["team"]["uuid"] == str(place.team.uuid)
    assert [row["user"]["uuid"] for row in body["lead_history"]] == [str(place.worker.uuid)]
    assert [row["to_status"] for row in body["status_history"]] == [
        "awaiting_allocation",
        "allocated",
    ]
    assert body["taf_members"][0]["role"] == "School nurse"
    assert body["transitions"] == []
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="cases.episode", object_id=str(episode.pk)
    ).exists()


def test_unrelated_user_gets_404(as_user, place):
    episode = allocated_episode(place)
    other = make_place("South")
    client = as_user(other.worker)
    assert client.get(url(episode)).status_code == 404
    assert client.post(url(episode, "start-assessment")).status_code == 404
    assert client.post(url(episode, "allocate"), {}).status_code == 404


# Episodes: the lifecycle


def test_allocate(as_user, place):
    episode = new_episode(place)
    body = {"lead_professional": str(place.worker.uuid), "team": str(place.team.uuid)}
    # The worker does not see an episode awaiting allocation in their locality.
    assert as_user(place.worker).post(url(episode, "allocate"), body).status_code == 404
    client = as_user(place.manager)
    refused(
        client.post(url(episode, "allocate"), {**body, "lead_professional": str(episode.uuid)}),
        400,
        "lead_professional",
    )
    outsider = UserFactory(roles=[Role.PRACTITIONER])
    refused(
        client.post(url(episode, "allocate"), {**body, "lead_professional": str(outsider.uuid)}),
        400,
        "lead_professional",
    )
    response = client.post(url(episode, "allocate"), body)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "allocated"
    assert response.json()["lead_professional"]["uuid"] == str(place.worker.uuid)
    again = refused(client.post(url(episode, "allocate"), body), 400)
    assert again["message"] == "An episode that is allocated cannot become allocated"


def test_colleague_who_may_see_but_not_work_on_it_gets_403(as_user, place):
    episode = allocated_episode(place)
    client = as_user(place.colleague)
    assert client.get(url(episode)).status_code == 200
    body = refused(client.post(url(episode, "start-assessment")), 403)
    assert body["message"] == "Only the lead professional can do this"
    refused(client.post(url(episode, "flag"), {"reason": "Stuck"}), 403)
    refused(
        client.post(
            url(episode, "reallocate"),
            {
                "lead_professional": str(place.colleague.uuid),
                "team": str(place.team.uuid),
                "reason": "Mine now",
            },
        ),
        403,
    )


@pytest.mark.parametrize("step", ["allocate", "reallocate", "level", "step-up"])
def test_refused_before_the_body_is_read(as_user, place, step):
    # Someone who may see the episode but not do this is told so (403), whatever they
    # sent: not a 400 listing the fields they left out. An outsider still gets 404.
    episode = allocated_episode(place)
    body = refused(as_user(place.colleague).post(url(episode, step), {}), 403)
    assert "errors" not in body or not body["errors"], body
    assert AuditEvent.objects.filter(
        action=AuditAction.REFUSED, object_type="cases.episode", object_id=str(episode.pk)
    ).exists()
    assert as_user(make_place("South").worker).post(url(episode, step), {}).status_code == 404


def test_reallocate(as_user, place):
    episode = allocated_episode(place)
    client = as_user(place.manager)
    body = {"lead_professional": str(place.colleague.uuid), "team": str(place.team.uuid)}
    refused(client.post(url(episode, "reallocate"), body), 400, "reason")
    response = client.post(url(episode, "reallocate"), {**body, "reason": "Caseload"})
    assert response.status_code == 200, response.json()
    history = response.json()["lead_history"]
    assert [row["user"]["uuid"] for row in history] == [
        str(place.worker.uuid),
        str(place.colleague.uuid),
    ]
    assert history[0]["ended_at"] is not None
    waiting = new_episode(place)
    refused(client.post(url(waiting, "reallocate"), {**body, "reason": "x"}), 400)


def test_assessing_and_no_shortcut_to_a_plan_in_place(as_user, place):
    episode = allocated_episode(place)
    client = as_user(place.worker)
    assert client.post(url(episode, "start-assessment")).json()["status"] == "assessing"
    # A plan is in place when the TAF plan is agreed (/api/plans/), never by itself.
    assert client.post(url(episode, "plan-agreed")).status_code == 404
    assert Episode.objects.get(pk=episode.pk).status == "assessing"


def test_flag(as_user, place):
    episode = allocated_episode(place)
    client = as_user(place.worker)
    refused(client.post(url(episode, "flag"), {"reason": " "}), 400, "reason")
    body = client.post(url(episode, "flag"), {"reason": "No engagement"}).json()
    assert body["flagged_for_discussion"] is True
    assert body["flag_reason"] == "No engagement"


def test_change_level(as_user, place):
    episode = allocated_episode(place)
    client = as_user(place.manager)
    refused(
        client.post(url(episode, "level"), {"level": str(episode.uuid), "reason": "x"}),
        400,
        "level",
    )
    refused(
        client.post(url(episode, "level"), {"level": str(level(4).uuid), "reason": "x"}),
        400,
        "level",
    )
    refused(
        as_user(place.worker).post(
            url(episode, "level"), {"level": str(level(2).uuid), "reason": "x"}
        ),
        403,
    )
    response = as_user(place.manager).post(
        url(episode, "level"), {"level": str(level(2).uuid), "reason": "Improving"}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["level"]["rank"] == 2
    change = LevelChange.objects.filter(episode=episode).latest("changed_at")
    assert change.to_level.rank == 2


def test_closure_requested_declined_approved_and_reopened(as_user, place):
    episode = allocated_episode(place)
    worker = as_user(place.worker)
    body = refused(worker.post(url(episode, "request-closure"), {}), 400)
    assert {"closure_reason", "closure_summary", "outcomes_achieved"} <= set(body["errors"])
    closure = {
        "closure_reason": "outcomes_achieved",
        "closure_summary": "Things are better",
        "outcomes_achieved": "yes",
        "family_feedback": "Thank you",
    }
    response = worker.post(url(episode, "request-closure"), closure)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "closing"
    assert response.json()["closure_requested_by"]["uuid"] == str(place.worker.uuid)
    refused(worker.post(url(episode, "approve-closure")), 403)

    manager = as_user(place.manager)
    refused(manager.post(url(episode, "decline-closure"), {}), 400, "reason")
    body = manager.post(url(episode, "decline-closure"), {"reason": "Not yet"}).json()
    assert body["status"] == "allocated"
    assert body["closure_reason"] == ""
    refused(manager.post(url(episode, "approve-closure")), 400)

    as_user(place.worker).post(url(episode, "request-closure"), closure)
    body = as_user(place.manager).post(url(episode, "approve-closure")).json()
    assert body["status"] == "closed"
    assert body["closure_approved_by"]["uuid"] == str(place.manager.uuid)
    assert body["outcomes_achieved"] == "yes"

    manager = as_user(place.manager)
    refused(manager.post(url(episode, "reopen"), {}), 400, "reason")
    body = manager.post(url(episode, "reopen"), {"reason": "New concerns"}).json()
    assert body["status"] == "allocated"
    body = refused(manager.post(url(episode, "reopen"), {"reason": "Again"}), 400)
    assert body["message"] == "Only a closed episode can be reopened"


# Level history


def test_level_history(as_user, place):
    episode = allocated_episode(place)
    episodes.episode_change_level(
        by=place.manager, episode=episode, level=level(2), reason="Better"
    )
    other = new_episode(make_place("South"))
    client = as_user(place.worker)
    response = client.get("/api/level-history/", {"family": str(episode.family.uuid)})
    assert response.status_code == 200, response.json()
    rows = response.json()["results"]
    assert [(row["from_level"], row["to_level"]["rank"]) for row in rows][0] == (None, 3)
    assert rows[1]["from_level"]["rank"] == 3
    assert rows[1]["cause"] == "change"
    assert rows[1]["changed_by"]["uuid"] == str(place.manager.uuid)
    refused(client.get("/api/level-history/", {"family": str(other.family.uuid)}), 400, "family")
    everything = client.get("/api/level-history/").json()
    assert {row["family"]["uuid"] for row in everything["results"]} == {str(episode.family.uuid)}
    assert AuditEvent.objects.filter(
        action=AuditAction.LIST, object_type="thresholds.levelchange"
    ).exists()
