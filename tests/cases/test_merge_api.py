"""Merging duplicate people through the API, and undoing it."""

import pytest
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from cases.families import services
from cases.models import FamilyMembership
from cases.people import services as people_services
from tests.cases.case_api_helpers import create_person, make_person, years_ago
from tests.factories import TeamFactory, UserFactory

# Merging duplicates


@pytest.fixture
def duplicate_world(practitioner, team, household):
    """A second record of the household's child, with its own household links."""
    family, mother = household["family"], household["mother"]
    other_family = services.family_create(by=practitioner, owning_team=team, name="Dad's house")
    duplicate = create_person(practitioner, team, given_name="Amarah", upn="")
    dad = create_person(
        practitioner, team, record_type="adult", given_name="Ade", date_of_birth=years_ago(40)
    )
    for person in (duplicate, dad):
        services.family_member_add(by=practitioner, family=other_family, person=person)
    relationship = services.relationship_add(
        by=practitioner,
        family=other_family,
        from_person=dad,
        to_person=duplicate,
        relationship_type="father",
    )
    note = services.note_add(
        by=practitioner,
        family=other_family,
        subjects=[duplicate],
        note_type="phone",
        occurred_at=timezone.now(),
        summary="Dad called",
    )
    return {
        **household,
        "other_family": other_family,
        "duplicate": duplicate,
        "relationship": relationship,
        "note": note,
        "mother": mother,
        "family": family,
    }


def test_merge_and_undo_through_the_api(as_user, locality_manager, duplicate_world):
    survivor, duplicate = duplicate_world["child"], duplicate_world["duplicate"]
    relationship, note = duplicate_world["relationship"], duplicate_world["note"]
    client = as_user(locality_manager)

    merged = client.post(
        f"/api/people/{survivor.uuid}/merge/",
        {"duplicate": str(duplicate.uuid), "reason": "Same NHS number on the school's record"},
    )
    assert merged.status_code == 201, merged.json()
    body = merged.json()
    assert body["survivor"]["uuid"] == str(survivor.uuid)
    assert body["duplicate"]["uuid"] == str(duplicate.uuid)
    assert body["merged_by"]["uuid"] == str(locality_manager.uuid)
    assert body["is_undone"] is False
    assert body["moved"]["cases.familymembership:person"] == 1

    tombstone = client.get(f"/api/people/{duplicate.uuid}/").json()
    assert tombstone["merged_into"] == str(survivor.uuid)
    assert str(duplicate.uuid) not in str(client.get("/api/people/").json())
    survivor_seen = client.get(f"/api/people/{survivor.uuid}/").json()
    assert {f["family_name"] for f in survivor_seen["families"]} == {
        "Okafor family",
        "Dad's house",
    }
    assert {"Amarah"} <= {n["given_name"] for n in survivor_seen["other_names"]}
    relationship.refresh_from_db()
    assert relationship.to_person == survivor
    assert list(note.subjects.all()) == [survivor]
    assert client.get("/api/merges/", {"person": str(survivor.uuid)}).json()["count"] == 1
    changed = client.patch(f"/api/people/{duplicate.uuid}/", {"known_as": "X"})
    assert changed.status_code == 400

    url = f"/api/merges/{body['uuid']}/"
    assert client.get(url).json()["reason"] == "Same NHS number on the school's record"
    no_reason = client.post(f"{url}undo/", {"reason": ""})
    assert no_reason.status_code == 400
    assert no_reason.json()["errors"]["reason"] == ["Enter why the merge was wrong"]
    undone = client.post(f"{url}undo/", {"reason": "Twins, not one child"})
    assert undone.status_code == 200, undone.json()
    assert undone.json()["is_undone"] is True
    assert undone.json()["undone_by"]["uuid"] == str(locality_manager.uuid)

    duplicate.refresh_from_db()
    relationship.refresh_from_db()
    assert duplicate.merged_into is None
    assert relationship.to_person == duplicate
    assert list(note.subjects.all()) == [duplicate]
    assert (
        FamilyMembership.objects.get(
            family=duplicate_world["other_family"], person__in=[survivor, duplicate]
        ).person
        == duplicate
    )
    assert client.get(f"/api/people/{duplicate.uuid}/").json()["merged_into"] is None
    assert client.post(f"{url}undo/", {"reason": "Again"}).status_code == 400
    actions = set(AuditEvent.objects.for_object(survivor).values_list("action", flat=True))
    assert {"merge", "unmerge"} <= actions


def test_a_practitioner_may_not_merge(as_user, practitioner, duplicate_world):
    response = as_user(practitioner).post(
        f"/api/people/{duplicate_world['child'].uuid}/merge/",
        {"duplicate": str(duplicate_world["duplicate"].uuid), "reason": "Same child"},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    duplicate_world["duplicate"].refresh_from_db()
    assert duplicate_world["duplicate"].merged_into is None


def test_permission_is_asked_before_the_body_is_read(
    as_user, practitioner, locality_manager, outsider, team, duplicate_world
):
    """An empty body from someone who may not do this is a 403 (or, for a record they may
    not see, a 404), not a 400 about the body."""
    partner = UserFactory(roles=[Role.PARTNER_AGENCY_USER], teams=[team])
    for url in ("/api/people/", "/api/families/"):
        response = as_user(partner).post(url, {})
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
        assert "errors" not in response.json()
    child = duplicate_world["child"]
    merge_url = f"/api/people/{child.uuid}/merge/"
    response = as_user(practitioner).post(merge_url, {})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    response = as_user(outsider).post(merge_url, {})
    assert response.status_code == 404
    assert "Okafor" not in response.content.decode()
    merge = people_services.person_merge(
        by=locality_manager,
        survivor=child,
        duplicate=duplicate_world["duplicate"],
        reason="Same child",
    )
    response = as_user(practitioner).post(f"/api/merges/{merge.uuid}/undo/", {})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    # Those who may still get the body's errors.
    response = as_user(locality_manager).post(merge_url, {})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"duplicate", "reason"}


def test_merge_needs_a_visible_duplicate_and_a_reason(as_user, locality_manager, duplicate_world):
    client = as_user(locality_manager)
    url = f"/api/people/{duplicate_world['child'].uuid}/merge/"
    hidden = make_person(TeamFactory())
    invisible = client.post(url, {"duplicate": str(hidden.uuid), "reason": "Same"})
    assert invisible.status_code == 400
    assert invisible.json()["errors"]["duplicate"] == ["Choose a person you can see"]
    itself = client.post(url, {"duplicate": str(duplicate_world["child"].uuid), "reason": "x"})
    assert itself.status_code == 400
    assert itself.json()["errors"]["duplicate"]
    no_reason = client.post(url, {"duplicate": str(duplicate_world["duplicate"].uuid)})
    assert no_reason.status_code == 400
    assert no_reason.json()["errors"]["reason"]


def test_outsider_cannot_see_merges(as_user, locality_manager, outsider, duplicate_world):
    merge = people_services.person_merge(
        by=locality_manager,
        survivor=duplicate_world["child"],
        duplicate=duplicate_world["duplicate"],
        reason="Same child",
    )
    client = as_user(outsider)
    assert client.get(f"/api/merges/{merge.uuid}/").status_code == 404
    assert client.post(f"/api/merges/{merge.uuid}/undo/", {"reason": "x"}).status_code == 404
    assert client.get("/api/merges/").json()["count"] == 0
