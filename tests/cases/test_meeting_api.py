"""The allocation meetings API: scheduling, attendees, agenda decisions and minutes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.episodes import services as episodes
from cases.models import AgendaItem, Episode
from tests.cases.episode_api_helpers import make_place, refused
from tests.cases.episode_helpers import allocated_episode, new_episode

pytestmark = pytest.mark.django_db


# Allocation meetings


def test_meeting_flow(as_user, place):
    episode = new_episode(place)
    flagged = allocated_episode(place)
    episodes.episode_flag(by=place.worker, episode=flagged, reason="Stuck")
    client = as_user(place.manager)
    schedule = {
        "locality": str(place.locality.uuid),
        "starts_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "chair": str(place.manager.uuid),
        "venue": "Town hall",
    }
    refused(
        client.post("/api/meetings/", {**schedule, "chair": str(place.team.uuid)}), 400, "chair"
    )
    refused(as_user(place.worker).post("/api/meetings/", schedule), 403)
    response = as_user(place.manager).post("/api/meetings/", schedule)
    assert response.status_code == 201, response.json()
    meeting = response.json()
    assert [item["episode"]["uuid"] for item in meeting["agenda_items"]] == [
        str(episode.uuid),
        str(flagged.uuid),
    ]
    assert [item["reason"] for item in meeting["agenda_items"]] == [
        "awaiting_allocation",
        "flagged",
    ]
    meeting_url = f"/api/meetings/{meeting['uuid']}/"

    client = as_user(place.manager)
    assert client.get("/api/meetings/").json()["count"] == 1
    assert as_user(make_place("South").manager).get(meeting_url).status_code == 404

    client = as_user(place.manager)
    later = new_episode(place)
    built = client.post(meeting_url + "build-agenda/").json()
    assert built["agenda_items"][-1]["episode"]["uuid"] == str(later.uuid)

    refused(client.post(meeting_url + "attendees/", {}), 400, "user")
    response = client.post(
        meeting_url + "attendees/", {"name": "Dr Jones", "attendance": "apologies"}
    )
    assert response.status_code == 201, response.json()
    attendee = response.json()
    assert attendee["attendance"] == "apologies"
    response = client.post(meeting_url + "attendees/", {"user": str(place.worker.uuid)})
    assert response.status_code == 201
    assert client.delete(meeting_url + f"attendees/{attendee['id']}/").status_code == 200
    removed = client.post(meeting_url + f"attendees/{response.json()['id']}/remove/").json()
    assert [row["name"] for row in removed["attendees"]] == [place.manager.full_name]
    assert client.delete(meeting_url + "attendees/999999/").status_code == 404

    items = {item["episode"]["uuid"]: item["uuid"] for item in built["agenda_items"]}
    decide = f"/api/agenda-items/{items[str(episode.uuid)]}/decide/"
    refused(client.post(decide, {"decision": "allocate"}), 400, "lead_professional")
    refused(client.post(decide, {"decision": "nfa"}), 400, "notes")
    response = client.post(
        decide,
        {
            "decision": "allocate",
            "lead_professional": str(place.worker.uuid),
            "team": str(place.team.uuid),
        },
    )
    assert response.status_code == 200, response.json()
    assert response.json()["decision"] == "allocate"
    assert Episode.objects.get(pk=episode.pk).lead_professional == place.worker
    body = refused(client.post(decide, {"decision": "defer"}), 400)
    assert body["message"] == "This item was decided: allocate a lead professional"

    body = refused(
        client.post(meeting_url + "minutes/", {"minutes": "Notes", "complete": True}), 400
    )
    assert body["message"].startswith("2 agenda items are not decided")
    for episode_uuid in (str(flagged.uuid), str(later.uuid)):
        decide = f"/api/agenda-items/{items[episode_uuid]}/decide/"
        assert client.post(decide, {"decision": "defer"}).status_code == 200
    response = client.post(meeting_url + "minutes/", {"minutes": "All decided", "complete": True})
    assert response.status_code == 200, response.json()
    assert response.json()["is_held"] is True
    body = refused(client.post(meeting_url + "build-agenda/"), 400)
    assert "minutes of this meeting are complete" in body["message"]
    assert AgendaItem.objects.filter(meeting__uuid=meeting["uuid"], decision="").count() == 0
