"""The transitions API: step up and step down requests, their approval, acceptance and
refusal."""

import pytest

from cases.models import Episode, EpisodeStatus
from cases.transitions.models import Transition, TransitionStatus
from tests.cases.episode_api_helpers import refused, url
from tests.cases.episode_helpers import allocated_episode, level
from tests.factories import FamilyFactory

pytestmark = pytest.mark.django_db


# Transitions


def test_step_up_requested_approved_accepted_closes_the_episode(as_user, place):
    episode = allocated_episode(place)
    client = as_user(place.worker)
    step_up = {
        "to_level": str(level(4).uuid),
        "receiving_team": str(place.social_care_team.uuid),
        "reason": "Significant harm",
        "evidence": "Police report",
    }
    refused(
        client.post(url(episode, "step-up"), {**step_up, "to_level": str(level(2).uuid)}),
        400,
        "to_level",
    )
    refused(
        client.post(url(episode, "step-up"), {**step_up, "receiving_team": str(place.team.uuid)}),
        400,
        "receiving_team",
    )
    refused(as_user(place.colleague).post(url(episode, "step-up"), step_up), 403)
    response = as_user(place.worker).post(url(episode, "step-up"), step_up)
    assert response.status_code == 201, response.json()
    transition = response.json()
    assert transition["direction"] == "up"
    assert transition["status"] == "requested"
    assert transition["episode"] == str(episode.uuid)
    assert transition["bounce_back_of"] is None
    body = refused(as_user(place.worker).post(url(episode, "step-up"), step_up), 400)
    assert body["message"] == "A step up is already waiting for this episode"
    t_url = f"/api/transitions/{transition['uuid']}/"

    # Only a manager over the sending team approves; only the receiving team accepts.
    refused(as_user(place.worker).post(t_url + "approve/"), 403)
    # Social care sees nothing until a manager approves it.
    assert as_user(place.social_care_manager).get(t_url).status_code == 404
    waiting = as_user(place.manager).get("/api/transitions/", {"waiting": "me"}).json()
    assert [row["uuid"] for row in waiting["results"]] == [transition["uuid"]]
    response = as_user(place.manager).post(t_url + "approve/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "approved"
    assert body["acceptance_due_at"] is not None
    assert body["is_waiting_too_long"] is False
    again = refused(as_user(place.manager).post(t_url + "approve/"), 400)
    assert again["message"] == "This is waiting for the receiving team to accept"

    refused(as_user(place.manager).post(t_url + "accept/", {}), 403)
    csc = as_user(place.social_care_manager)
    assert [
        row["uuid"] for row in csc.get("/api/transitions/", {"waiting": "me"}).json()["results"]
    ] == [transition["uuid"]]
    response = csc.post(t_url + "accept/", {"notes": "Allocated to a social worker"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "accepted"
    assert Episode.objects.get(pk=episode.pk).status == EpisodeStatus.CLOSED
    detail = as_user(place.manager).get(url(episode)).json()
    assert detail["closure_reason"] == "stepped_up"
    assert detail["transitions"][0]["status"] == "accepted"


def test_decline_and_reject(as_user, place):
    episode = allocated_episode(place)
    step_up = {
        "to_level": str(level(4).uuid),
        "receiving_team": str(place.social_care_team.uuid),
        "reason": "Harm",
    }
    first = as_user(place.worker).post(url(episode, "step-up"), step_up).json()
    manager = as_user(place.manager)
    refused(manager.post(f"/api/transitions/{first['uuid']}/decline/", {}), 400, "reason")
    body = manager.post(f"/api/transitions/{first['uuid']}/decline/", {"reason": "Not met"}).json()
    assert body["status"] == "declined"
    assert body["response_reason"] == "Not met"

    second = as_user(place.worker).post(url(episode, "step-up"), step_up).json()
    as_user(place.manager).post(f"/api/transitions/{second['uuid']}/approve/")
    csc = as_user(place.social_care_manager)
    refused(csc.post(f"/api/transitions/{second['uuid']}/reject/", {}), 400, "reason")
    body = csc.post(f"/api/transitions/{second['uuid']}/reject/", {"reason": "Early help"}).json()
    assert body["status"] == "rejected"
    assert Episode.objects.get(pk=episode.pk).status == EpisodeStatus.ALLOCATED
    listed = (
        as_user(place.manager)
        .get("/api/transitions/", {"status": "declined", "direction": "up"})
        .json()
    )
    assert [row["uuid"] for row in listed["results"]] == [first["uuid"]]


def test_step_down_approved_opens_a_priority_episode_allocation_accepts_and_bounce_back(
    as_user, place
):
    family = FamilyFactory(owning_team=place.social_care_team)
    step_down = {
        "family": str(family.uuid),
        "from_level": str(level(4).uuid),
        "to_level": str(level(3).uuid),
        "sending_team": str(place.social_care_team.uuid),
        "receiving_team": str(place.team.uuid),
        "reason": "Safety plan working",
        "handover_notes": "Dad engages well",
    }
    client = as_user(place.social_worker)
    refused(
        client.post("/api/transitions/step-down/", {**step_down, "family": str(place.team.uuid)}),
        400,
        "family",
    )
    refused(
        client.post(
            "/api/transitions/step-down/", {**step_down, "sending_team": str(place.team.uuid)}
        ),
        400,
        "sending_team",
    )
    refused(as_user(place.worker).post("/api/transitions/step-down/", step_down), 400, "family")
    response = as_user(place.social_worker).post("/api/transitions/step-down/", step_down)
    assert response.status_code == 201, response.json()
    transition = response.json()
    assert transition["direction"] == "down"
    assert transition["episode"] is None

    refused(
        as_user(place.social_worker).post(f"/api/transitions/{transition['uuid']}/approve/"), 403
    )
    body = (
        as_user(place.social_care_manager)
        .post(f"/api/transitions/{transition['uuid']}/approve/")
        .json()
    )
    assert body["status"] == "approved"
    episode = Episode.objects.get(uuid=body["episode"])
    manager = as_user(place.manager)
    opened = manager.get(url(episode)).json()
    assert opened["priority"] is True
    assert opened["status"] == "awaiting_allocation"

    response = manager.post(
        url(episode, "allocate"),
        {"lead_professional": str(place.worker.uuid), "team": str(place.team.uuid)},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["transitions"][0]["status"] == "accepted"
    assert Transition.objects.get(uuid=transition["uuid"]).status == TransitionStatus.ACCEPTED

    # Stepped up again within 12 months: a bounce-back.
    response = as_user(place.worker).post(
        url(episode, "step-up"),
        {
            "to_level": str(level(4).uuid),
            "receiving_team": str(place.social_care_team.uuid),
            "reason": "Worse",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["bounce_back_of"] == transition["uuid"]
    detail = as_user(place.manager).get(f"/api/transitions/{response.json()['uuid']}/").json()
    assert detail["bounce_back_of"] == transition["uuid"]
