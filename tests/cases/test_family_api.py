"""The families API: families, memberships, relationships and notes."""

import datetime

from django.utils import timezone

from audit.models import AuditEvent
from cases.families import services
from cases.models import CaseNote, Family, Relationship
from tests.cases.case_api_helpers import all_messages, make_person, years_ago
from tests.factories import TeamFactory

# Families, memberships, relationships, notes


def test_family_create_and_patch(as_user, practitioner, team):
    client = as_user(practitioner)
    created = client.post(
        "/api/families/",
        {"name": "Adeyemi family", "postcode": "sw1a 1aa", "owning_team": str(team.uuid)},
    )
    assert created.status_code == 201, created.json()
    family = Family.objects.get(uuid=created.json()["uuid"])
    assert (family.postcode, family.created_by) == ("SW1A 1AA", practitioner)
    assert created.json()["members"] == [] and created.json()["current_members"] == 0

    changed = client.patch(f"/api/families/{family.uuid}/", {"town": "Wexmoor"})
    assert changed.status_code == 200, changed.json()
    assert [e.action for e in AuditEvent.objects.for_object(family).order_by("id")] == [
        "create",
        "change",
    ]
    moved = client.patch(f"/api/families/{family.uuid}/", {"owning_team": str(TeamFactory().uuid)})
    assert moved.status_code == 400
    assert moved.json()["errors"]["owning_team"]

    empty = client.post("/api/families/", {"name": "", "owning_team": str(team.uuid)})
    assert empty.status_code == 400
    assert empty.json()["errors"]["name"] == ["Enter the family name"]


def test_family_detail_lists_members_and_relationships(as_user, practitioner, household):
    family, mother, child = household["family"], household["mother"], household["child"]
    client = as_user(practitioner)
    related = client.post(
        "/api/relationships/",
        {
            "family": str(family.uuid),
            "from_person": str(mother.uuid),
            "to_person": str(child.uuid),
            "relationship_type": "mother",
            "has_parental_responsibility": True,
        },
    )
    assert related.status_code == 201, related.json()
    assert related.json()["from_person_name"] == "Grace Okafor"

    body = client.get(f"/api/families/{family.uuid}/").json()
    assert body["current_members"] == 3
    assert {m["person"]["full_name"] for m in body["members"]} == {
        "Grace Okafor",
        "Amara Okafor",
        "Tobi Okafor",
    }
    assert body["relationships"][0]["relationship_type"] == "mother"
    assert body["relationships"][0]["to_person"] == str(child.uuid)
    assert AuditEvent.objects.get(actor=practitioner, action="view").object_id == str(family.pk)

    listed = client.get("/api/relationships/", {"family": str(family.uuid)}).json()
    assert listed["count"] == 1
    removed = client.delete(f"/api/relationships/{related.json()['id']}/")
    assert removed.status_code == 204
    assert not Relationship.objects.exists()
    assert AuditEvent.objects.for_object(family).filter(action="change").order_by(
        "id"
    ).last().detail == {"removed": "relationship"}


def test_relationship_between_non_members_is_a_400(as_user, practitioner, team, household):
    stranger = make_person(team, given_name="Sam", family_name="Stone")
    response = as_user(practitioner).post(
        "/api/relationships/",
        {
            "family": str(household["family"].uuid),
            "from_person": str(stranger.uuid),
            "to_person": str(household["child"].uuid),
            "relationship_type": "carer",
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"]["from_person"] == ["Choose a member of this family"]


def test_membership_add_and_leave(as_user, practitioner, team, household):
    family = household["family"]
    lodger = make_person(
        team,
        record_type="adult",
        given_name="Sam",
        family_name="Stone",
        date_of_birth=years_ago(40),
    )
    client = as_user(practitioner)
    joined = client.post(
        "/api/memberships/",
        {
            "family": str(family.uuid),
            "person": str(lodger.uuid),
            "joined_on": "2024-01-10",
            "lives_at_family_address": False,
        },
    )
    assert joined.status_code == 201, joined.json()
    assert joined.json()["person_name"] == "Sam Stone"
    assert joined.json()["is_current"] is True

    again = client.post(
        "/api/memberships/", {"family": str(family.uuid), "person": str(lodger.uuid)}
    )
    assert again.status_code == 400
    assert "This person is already a member of the family" in all_messages(again.json())

    url = f"/api/memberships/{joined.json()['id']}/leave/"
    too_early = client.post(url, {"left_on": "2023-12-31"})
    assert too_early.status_code == 400
    left = client.post(url, {"left_on": "2024-06-30"})
    assert left.status_code == 200, left.json()
    assert (left.json()["left_on"], left.json()["is_current"]) == ("2024-06-30", False)
    twice = client.post(url, {"left_on": "2024-07-01"})
    assert twice.status_code == 400
    assert twice.json()["errors"]["left_on"]

    current = client.get("/api/memberships/", {"family": str(family.uuid), "current": "true"})
    assert current.json()["count"] == 3
    past = client.get("/api/memberships/", {"person": str(lodger.uuid)}).json()
    assert [m["left_on"] for m in past["results"]] == ["2024-06-30"]


def test_notes_list_filters_and_chronology(as_user, practitioner, household):
    family, child, mother = household["family"], household["child"], household["mother"]
    now = timezone.now()
    for days, note_type, significant, subjects in [
        (30, "home_visit", True, [child]),
        (20, "phone", False, [mother]),
        (10, "significant_event", True, [child, mother]),
    ]:
        services.note_add(
            by=practitioner,
            family=family,
            subjects=subjects,
            note_type=note_type,
            occurred_at=now - datetime.timedelta(days=days),
            summary=f"{note_type} {days}",
            is_significant=significant,
        )
    client = as_user(practitioner)
    url = "/api/notes/"
    newest_first = client.get(url, {"family": str(family.uuid)}).json()["results"]
    assert [n["summary"] for n in newest_first] == [
        "significant_event 10",
        "phone 20",
        "home_visit 30",
    ]
    chronology = client.get(url, {"family": str(family.uuid), "chronology": "true"}).json()
    assert [n["summary"] for n in chronology["results"]] == [
        "home_visit 30",
        "significant_event 10",
    ]
    about_mum = client.get(url, {"family": str(family.uuid), "person": str(mother.uuid)}).json()
    assert {n["summary"] for n in about_mum["results"]} == {"phone 20", "significant_event 10"}
    phone = client.get(url, {"family": str(family.uuid), "note_type": "phone"}).json()
    assert [n["summary"] for n in phone["results"]] == ["phone 20"]

    assert client.get(url).json()["errors"]["family"]
    bad_type = client.get(url, {"family": str(family.uuid), "note_type": "gossip"})
    assert bad_type.json()["errors"]["note_type"]


def test_note_about_the_future_or_a_stranger_is_a_400(as_user, practitioner, team, household):
    stranger = make_person(team, given_name="Sam", family_name="Stone")
    client = as_user(practitioner)
    base = {"family": str(household["family"].uuid), "note_type": "phone", "summary": "Call"}
    future = client.post(
        "/api/notes/",
        {**base, "occurred_at": (timezone.now() + datetime.timedelta(days=1)).isoformat()},
    )
    assert future.status_code == 400
    assert future.json()["errors"]["occurred_at"]
    stranger_note = client.post(
        "/api/notes/",
        {**base, "occurred_at": timezone.now().isoformat(), "subjects": [str(stranger.uuid)]},
    )
    assert stranger_note.status_code == 400
    assert stranger_note.json()["errors"]["subjects"]
    no_summary = client.post(
        "/api/notes/", {**base, "summary": "", "occurred_at": timezone.now().isoformat()}
    )
    assert no_summary.json()["errors"]["summary"] == ["Enter a short summary"]
    assert not CaseNote.objects.exists()
