"""The episodes, TAF, allocation meetings, transitions and level history API, under the
access policy: 404 for what the user may not see, 403 for what they may not do, 400 with
the service's message for a move the record's state does not allow."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AgencyType, Role
from audit.models import AuditAction, AuditEvent
from cases.episodes import services as episodes
from cases.meetings import services as meetings
from cases.models import AgendaItem, Episode, EpisodeStatus, TafMember
from cases.transitions.models import Direction, Transition, TransitionStatus
from tests.factories import AgencyFactory, FamilyFactory, LocalityFactory, TeamFactory, UserFactory
from thresholds.models import Level, LevelChange

pytestmark = pytest.mark.django_db


def level(rank):
    return Level.objects.get(framework__is_current=True, rank=rank)


@dataclass
class Place:
    locality: object
    team: object
    manager: object
    worker: object
    colleague: object
    csc_team: object
    social_worker: object
    csc_manager: object


def make_place(name="North"):
    locality = LocalityFactory(name=name)
    team = TeamFactory(name=f"Early Help {name}", locality=locality)
    csc = TeamFactory(
        name=f"Social Care {name}",
        locality=locality,
        agency=AgencyFactory(agency_type=AgencyType.CHILDRENS_SOCIAL_CARE),
    )
    return Place(
        locality=locality,
        team=team,
        manager=UserFactory(roles=[Role.LOCALITY_MANAGER], manages=[team], agency=team.agency),
        worker=UserFactory(roles=[Role.PRACTITIONER], teams=[team], agency=team.agency),
        colleague=UserFactory(roles=[Role.PRACTITIONER], teams=[team], agency=team.agency),
        csc_team=csc,
        social_worker=UserFactory(roles=[Role.SOCIAL_WORKER], teams=[csc], agency=csc.agency),
        csc_manager=UserFactory(roles=[Role.SOCIAL_WORKER], manages=[csc], agency=csc.agency),
    )


def new_episode(place, *, family=None, rank=3, **extra):
    family = family or FamilyFactory(owning_team=TeamFactory())
    return episodes.open_episode(
        by=None,
        family=family,
        locality=place.locality,
        level=level(rank),
        cause="front_door",
        **extra,
    )


def allocated_episode(place, **extra):
    episode = new_episode(place, **extra)
    return episodes.episode_allocate(
        by=place.manager, episode=episode, lead_professional=place.worker, team=place.team
    )


@pytest.fixture
def place(db):
    return make_place()


def url(episode, step=""):
    return f"/api/episodes/{episode.uuid}/" + (f"{step}/" if step else "")


def refused(response, code, field=None):
    assert response.status_code == code, response.json()
    body = response.json()
    if field:
        assert field in body["errors"], body
    return body


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


# The Team Around the Family


def test_taf_agency_member_opens_the_family_to_its_users(as_user, place):
    episode = allocated_episode(place)
    school = AgencyFactory(name="Brackenford Primary", agency_type=AgencyType.SCHOOL)
    teacher = UserFactory(
        roles=[Role.PARTNER_AGENCY_USER], agency=school, teams=[TeamFactory(agency=school)]
    )
    stranger = UserFactory(roles=[Role.PARTNER_AGENCY_USER], teams=[TeamFactory()])
    family_url = f"/api/families/{episode.family.uuid}/"
    assert as_user(teacher).get(family_url).status_code == 404

    client = as_user(place.worker)
    refused(
        client.post(
            "/api/taf-members/",
            {"episode": str(episode.uuid), "role": "Teacher", "agency": str(school.uuid)},
        ),
        400,
        "contact_name",
    )
    refused(
        client.post(
            "/api/taf-members/",
            {"episode": str(place.team.uuid), "role": "x", "agency": str(school.uuid)},
        ),
        400,
        "episode",
    )
    refused(
        client.post(
            "/api/taf-members/",
            {
                "episode": str(episode.uuid),
                "role": "x",
                "agency": str(place.team.uuid),
                "contact_name": "x",
            },
        ),
        400,
        "agency",
    )
    response = client.post(
        "/api/taf-members/",
        {
            "episode": str(episode.uuid),
            "role": "Class teacher",
            "agency": str(school.uuid),
            "contact_name": "Ms Patel",
            "contact_email": "patel@school.example",
        },
    )
    assert response.status_code == 201, response.json()
    member = response.json()
    assert member["name"] == "Ms Patel"
    assert member["agency"]["uuid"] == str(school.uuid)
    assert member["is_current"] is True

    assert as_user(teacher).get(family_url).status_code == 200
    assert as_user(teacher).get(url(episode)).status_code == 200
    assert as_user(stranger).get(family_url).status_code == 404
    assert as_user(stranger).get(url(episode)).status_code == 404
    assert as_user(stranger).get(f"/api/taf-members/{member['uuid']}/").status_code == 404

    listed = as_user(place.worker).get("/api/taf-members/", {"episode": str(episode.uuid)}).json()
    assert [row["uuid"] for row in listed["results"]] == [member["uuid"]]
    # A TAF member may read, not change the TAF.
    refused(as_user(teacher).post(f"/api/taf-members/{member['uuid']}/end/", {}), 403)

    response = as_user(place.worker).post(f"/api/taf-members/{member['uuid']}/end/", {})
    assert response.status_code == 200, response.json()
    assert response.json()["ended_on"] == str(timezone.localdate())
    body = refused(as_user(place.worker).post(f"/api/taf-members/{member['uuid']}/end/", {}), 400)
    assert body["message"] == "Ms Patel has already left the TAF"
    assert as_user(teacher).get(family_url).status_code == 404


def test_taf_user_member(as_user, place):
    episode = allocated_episode(place)
    nurse = UserFactory(roles=[Role.PARTNER_AGENCY_USER], teams=[TeamFactory()])
    client = as_user(place.worker)
    body = {"episode": str(episode.uuid), "role": "School nurse", "user": str(nurse.uuid)}
    response = client.post("/api/taf-members/", body)
    assert response.status_code == 201, response.json()
    assert response.json()["user"]["uuid"] == str(nurse.uuid)
    refused(client.post("/api/taf-members/", body), 400, "user")
    assert as_user(nurse).get(url(episode)).status_code == 200


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


# Transitions


def test_step_up_requested_approved_accepted_closes_the_episode(as_user, place):
    episode = allocated_episode(place)
    client = as_user(place.worker)
    step_up = {
        "to_level": str(level(4).uuid),
        "receiving_team": str(place.csc_team.uuid),
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
    assert as_user(place.csc_manager).get(t_url).status_code == 404
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
    csc = as_user(place.csc_manager)
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
        "receiving_team": str(place.csc_team.uuid),
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
    csc = as_user(place.csc_manager)
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
    family = FamilyFactory(owning_team=place.csc_team)
    step_down = {
        "family": str(family.uuid),
        "from_level": str(level(4).uuid),
        "to_level": str(level(3).uuid),
        "sending_team": str(place.csc_team.uuid),
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
    body = as_user(place.csc_manager).post(f"/api/transitions/{transition['uuid']}/approve/").json()
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
            "receiving_team": str(place.csc_team.uuid),
            "reason": "Worse",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["bounce_back_of"] == transition["uuid"]
    detail = as_user(place.manager).get(f"/api/transitions/{response.json()['uuid']}/").json()
    assert detail["bounce_back_of"] == transition["uuid"]


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
        allocated_episode(place)
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
        new_episode(place)
    meeting = meetings.meeting_schedule(
        by=place.manager,
        locality=place.locality,
        starts_at=timezone.now(),
        chair=place.manager,
        venue="Hall",
    )
    meetings.meeting_attendee_add(by=place.manager, meeting=meeting, user=place.worker)
    return f"/api/meetings/{meeting.uuid}/"


def world_transitions(place, rows):
    down = None
    for _ in range(rows):
        episode = allocated_episode(place)
        down = Transition.objects.create(
            direction=Direction.UP,
            family=episode.family,
            episode=episode,
            from_level=level(3),
            to_level=level(4),
            reason="Harm",
            sending_team=place.team,
            receiving_team=place.csc_team,
            requested_by=place.worker,
            status=TransitionStatus.APPROVED,
            approved_by=place.manager,
            approved_at=timezone.now(),
            bounce_back_of=down,
        )
    return "/api/transitions/"


def world_level_history(place, rows):
    for _ in range(rows):
        allocated_episode(place)
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
