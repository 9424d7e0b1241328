"""The case records API's schema, and query counts that do not grow with rows."""

import datetime

import pytest
from django.utils import timezone

from cases.models import CaseNote, FamilyMembership, PersonAddress, PersonName, Relationship
from cases.people import services as people_services
from tests.cases.case_api_helpers import make_family, make_person, years_ago
from tests.factories import UserFactory

# Schema


def test_schema_documents_the_case_endpoints(as_user, practitioner):
    paths = as_user(practitioner).get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in [
        "/api/people/",
        "/api/people/{uuid}/",
        "/api/people/search/",
        "/api/people/{uuid}/merge/",
        "/api/merges/{uuid}/undo/",
        "/api/families/",
        "/api/memberships/{id}/leave/",
        "/api/relationships/{id}/",
        "/api/notes/",
    ]:
        assert path in paths, path
    assert "409" in paths["/api/people/"]["post"]["responses"]


# Queries do not grow with the data


def build_world(team, manager, rows):
    """`rows` of everything, visible to `manager`: people in one family (with names,
    addresses, relationships and notes), and one person in `rows` families."""
    family = make_family(team, by=manager, postcode="SW1A 1AA")
    people = [
        make_person(team, by=manager, given_name=f"Child{i:02d}", date_of_birth=years_ago(5))
        for i in range(rows)
    ]
    first = people[0]
    for i, person in enumerate(people):
        FamilyMembership.objects.create(family=family, person=person)
        PersonName.objects.create(person=first, name_type="alias", given_name=f"Alias{i}")
        PersonAddress.objects.create(
            person=first,
            line_1=f"{i} Road",
            town="Wexmoor",
            postcode="SW1A 1AA",
            is_confidential=i % 2 == 0,
            moved_in=datetime.date(2000 + i % 20, 1, 1),
            moved_out=datetime.date(2001 + i % 20, 1, 1),
        )
        other = make_family(team, by=manager, name=f"Family {i:02d}")
        FamilyMembership.objects.create(family=other, person=first, left_on=years_ago(1))
        if i:
            Relationship.objects.create(
                family=family,
                from_person=people[i - 1],
                to_person=person,
                relationship_type="sibling",
            )
        note = CaseNote.objects.create(
            family=family,
            note_type="phone",
            occurred_at=timezone.now() - datetime.timedelta(days=i),
            summary=f"Note {i}",
            author=manager if i % 3 else UserFactory(),
            is_restricted=i % 2 == 0,
            is_significant=True,
        )
        note.subjects.set([person, first])
    duplicate = make_person(team, by=manager, given_name="Child00", date_of_birth=years_ago(5))
    merge = people_services.person_merge(
        by=manager, survivor=people[1], duplicate=duplicate, reason="Same"
    )
    return {
        "family": family,
        "person": first,
        "note": note,
        "merge": merge,
        "membership": FamilyMembership.objects.filter(family=family).last(),
        "relationship": Relationship.objects.last(),
    }


ENDPOINTS = {
    "people": lambda w: "/api/people/",
    "people-in-family": lambda w: f"/api/people/?family={w['family'].uuid}&q=child",
    "person": lambda w: f"/api/people/{w['person'].uuid}/",
    "search": lambda w: (
        "/api/people/search/?family_name=Okafor&year_of_birth=" + str(years_ago(5).year)
    ),
    "families": lambda w: "/api/families/",
    "family": lambda w: f"/api/families/{w['family'].uuid}/",
    "memberships": lambda w: "/api/memberships/",
    "memberships-of-family": lambda w: f"/api/memberships/?family={w['family'].uuid}",
    "membership": lambda w: f"/api/memberships/{w['membership'].pk}/",
    "relationships": lambda w: f"/api/relationships/?family={w['family'].uuid}",
    "relationship": lambda w: f"/api/relationships/{w['relationship'].pk}/",
    "notes": lambda w: f"/api/notes/?family={w['family'].uuid}",
    "chronology": lambda w: (
        f"/api/notes/?family={w['family'].uuid}&chronology=true&person={w['person'].uuid}"
    ),
    "note": lambda w: f"/api/notes/{w['note'].uuid}/",
    "merges": lambda w: "/api/merges/",
    "merge": lambda w: f"/api/merges/{w['merge'].uuid}/",
}


@pytest.mark.parametrize("rows", [2, 50])
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_endpoint_query_count_does_not_grow_with_rows(
    as_user, django_assert_max_num_queries, locality_manager, team, rows, endpoint
):
    world = build_world(team, locality_manager, rows)
    client = as_user(locality_manager)
    with django_assert_max_num_queries(12):
        response = client.get(ENDPOINTS[endpoint](world))
    assert response.status_code == 200, response.json()
    body = response.json()
    if "results" in body and endpoint != "merges":
        assert body["count"] >= rows - 1
