"""The people API: creating, reading, changing and listing people, under the access
policy."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from cases.models import FamilyMembership, Person, PersonAddress, PersonName
from cases.people import search
from cases.people import services as people_services
from tests.cases.case_api_helpers import (
    NHS_NUMBER,
    all_messages,
    make_family,
    make_person,
    years_ago,
)
from tests.factories import TeamFactory, UserFactory

# Access to the API at all


def test_case_records_need_authentication(api_client, db):
    response = api_client.get("/api/people/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("role", [Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMINISTRATOR])
def test_roles_without_case_work_get_403(as_user, db, role):
    client = as_user(UserFactory(roles=[role]))
    for url in ["/api/people/", "/api/families/", "/api/people/search/?family_name=Okafor"]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json()["code"] == "permission_denied"


def test_put_is_not_offered(as_user, practitioner, household):
    response = as_user(practitioner).put(
        f"/api/people/{household['child'].uuid}/", {"family_name": "Okafor"}
    )
    assert response.status_code == 405


# People: create


def person_body(team, **fields):
    return {
        "record_type": "child",
        "given_name": "Kemi",
        "family_name": "Adeyemi",
        "date_of_birth": years_ago(6).isoformat(),
        "owning_team": str(team.uuid),
        **fields,
    }


def test_create_person_answers_201_and_is_audited(as_user, practitioner, team):
    response = as_user(practitioner).post(
        "/api/people/", person_body(team, nhs_number="485 777 3457", gender="girl")
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    person = Person.objects.get(uuid=body["uuid"])
    assert (person.full_name, person.nhs_number, person.created_by) == (
        "Kemi Adeyemi",
        NHS_NUMBER,
        practitioner,
    )
    assert body["owning_team"] == str(team.uuid)
    assert body["owning_team_name"] == team.name
    assert body["gender"] == "girl"  # the creator sees the sensitive fields
    assert body["merged_into"] is None
    assert body["other_names"] == [] and body["addresses"] == [] and body["families"] == []
    assert "confirmed_not_duplicate" not in body
    event = AuditEvent.objects.for_object(person).get()
    assert (event.action, event.actor) == ("create", practitioner)


def test_possible_duplicates_answer_409_with_the_matches_and_create_nothing(
    as_user, practitioner, team
):
    mine = make_person(team, given_name="Kemi", family_name="Adeyemi", date_of_birth=years_ago(6))
    elsewhere_team = TeamFactory(email="north@council.example", phone="01632 960 000")
    theirs = make_person(
        elsewhere_team, given_name="Kemi", family_name="Adeyemi", date_of_birth=years_ago(6)
    )
    before = Person.objects.count()

    response = as_user(practitioner).post("/api/people/", person_body(team))

    assert response.status_code == 409
    body = response.json()
    assert body["status"] == 409
    assert body["code"] == "possible_duplicates"
    assert body["errors"]["confirmed_not_duplicate"]
    assert Person.objects.count() == before
    matches = {(match["person"] or {}).get("uuid", "hidden"): match for match in body["matches"]}
    assert set(matches) == {str(mine.uuid), "hidden"}
    seen = matches[str(mine.uuid)]
    assert seen["person"]["full_name"] == "Kemi Adeyemi"
    assert seen["known"] is True
    assert seen["score"] >= search.DUPLICATE_SCORE
    assert seen["confidence"] in ("Likely", "Very likely")
    assert "date of birth exact" in seen["reasons"]
    hidden = matches["hidden"]
    assert hidden["person"] is None
    assert hidden["known"] is True
    assert hidden["contact"]["team"] == {
        "uuid": str(elsewhere_team.uuid),
        "name": elsewhere_team.name,
        "email": "north@council.example",
        "phone": "01632 960 000",
    }
    assert str(theirs.uuid) not in response.content.decode()
    # Telling the user who is known is a search, and is audited as one.
    event = AuditEvent.objects.get(actor=practitioner, action="search")
    assert event.detail["terms"]["family_name"] == "Adeyemi"
    assert set(event.detail["matched"]) == {str(mine.pk), str(theirs.pk)}
    assert event.detail["visible"] == [str(mine.pk)]


def test_confirmed_not_duplicate_creates_the_record(as_user, practitioner, team):
    make_person(team, given_name="Kemi", family_name="Adeyemi", date_of_birth=years_ago(6))
    response = as_user(practitioner).post(
        "/api/people/", person_body(team, confirmed_not_duplicate=True)
    )
    assert response.status_code == 201, response.json()
    assert Person.objects.filter(given_name="Kemi").count() == 2
    person = Person.objects.get(uuid=response.json()["uuid"])
    event = AuditEvent.objects.for_object(person).get(action="create")
    assert event.detail["confirmed_not_duplicate"] is True


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"nhs_number": "485 777 3456"}, "nhs_number"),
        ({"nhs_number": "not a number"}, "nhs_number"),
        ({"upn": "A12345678901"}, "upn"),
        (
            {"date_of_birth": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()},
            "date_of_birth",
        ),
        ({"date_of_birth": years_ago(19).isoformat()}, "date_of_birth"),
        ({"date_of_birth": "2019-02-30"}, "date_of_birth"),
        ({"family_name": ""}, "family_name"),
        ({"given_name": ""}, "given_name"),
        ({"record_type": "alien"}, "record_type"),
        ({"email": "not-an-email"}, "email"),
    ],
    ids=[
        "nhs-check-digit",
        "nhs-format",
        "upn-length",
        "future-birth",
        "child-aged-19",
        "impossible-date",
        "empty-family-name",
        "empty-given-name",
        "record-type",
        "email",
    ],
)
def test_bad_person_is_a_400_with_field_errors_and_nothing_saved(
    as_user, practitioner, team, fields, field
):
    response = as_user(practitioner).post(
        "/api/people/", person_body(team, confirmed_not_duplicate=True, **fields)
    )
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"][field], body
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_the_owning_team_must_be_one_of_the_users(as_user, practitioner):
    response = as_user(practitioner).post("/api/people/", person_body(TeamFactory()))
    assert response.status_code == 400
    assert response.json()["errors"]["owning_team"] == ["Choose one of your own teams"]
    assert not Person.objects.exists()


def test_partner_agency_users_may_not_create_people(as_user, db, team):
    partner = UserFactory(roles=[Role.PARTNER_AGENCY_USER], teams=[team])
    response = as_user(partner).post("/api/people/", person_body(team))
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_an_unborn_child_and_the_birth(as_user, practitioner, team):
    client = as_user(practitioner)
    due = timezone.localdate() + datetime.timedelta(weeks=10)
    created = client.post(
        "/api/people/",
        {
            "record_type": "unborn",
            "family_name": "Okafor",
            "expected_date_of_delivery": due.isoformat(),
            "owning_team": str(team.uuid),
        },
    )
    assert created.status_code == 201, created.json()
    assert created.json()["full_name"] == "Unborn child Okafor"
    url = f"/api/people/{created.json()['uuid']}/birth/"

    future = client.post(url, {"date_of_birth": due.isoformat()})
    assert future.status_code == 400
    assert future.json()["errors"]["date_of_birth"]

    born = client.post(
        url,
        {"date_of_birth": timezone.localdate().isoformat(), "given_name": "Ada", "sex": "female"},
    )
    assert born.status_code == 200, born.json()
    assert (born.json()["record_type"], born.json()["full_name"]) == ("child", "Ada Okafor")
    assert born.json()["expected_date_of_delivery"] is None


# People: read and change


def test_person_detail_with_names_addresses_and_families(as_user, practitioner, household):
    child, family = household["child"], household["family"]
    client = as_user(practitioner)
    named = client.post(
        f"/api/people/{child.uuid}/names/",
        {"name_type": "previous", "family_name": "Smith", "used_to": "2020-01-31"},
    )
    assert named.status_code == 201, named.json()
    moved = client.post(
        f"/api/people/{child.uuid}/addresses/",
        {
            "line_1": "2 Low Road",
            "town": "Wexmoor",
            "postcode": "sw1a1aa",
            "moved_in": "2021-05-01",
        },
    )
    assert moved.status_code == 201, moved.json()
    assert moved.json()["postcode"] == "SW1A 1AA"

    body = client.get(f"/api/people/{child.uuid}/").json()
    assert body["other_names"] == [
        {
            "name_type": "previous",
            "given_name": "",
            "family_name": "Smith",
            "used_from": None,
            "used_to": "2020-01-31",
        }
    ]
    assert [a["postcode"] for a in body["addresses"]] == ["SW1A 1AA"]
    assert body["addresses"][0]["is_current"] is True
    assert body["addresses"][0]["confidential"] is False
    membership = FamilyMembership.objects.get(person=child)
    assert body["families"] == [
        {
            "id": membership.pk,
            "family": str(family.uuid),
            "family_name": "Okafor family",
            "joined_on": None,
            "left_on": None,
            "lives_at_family_address": True,
            "is_current": True,
        }
    ]
    assert AuditEvent.objects.filter(actor=practitioner, action="view").count() == 1


def test_bad_address_and_name_are_400s(as_user, practitioner, household):
    client = as_user(practitioner)
    url = f"/api/people/{household['child'].uuid}"
    bad_postcode = client.post(
        f"{url}/addresses/", {"line_1": "2 Low Road", "town": "Wexmoor", "postcode": "QQ1 1QQ"}
    )
    assert bad_postcode.status_code == 400
    assert bad_postcode.json()["errors"]["postcode"]
    no_name = client.post(f"{url}/names/", {"name_type": "alias"})
    assert no_name.status_code == 400
    # Under "non_field_errors" once earlyhelp.api maps Django's "__all__" key.
    assert "Enter a given name or a family name" in all_messages(no_name.json())
    assert not PersonAddress.objects.exists()
    assert not PersonName.objects.exists()


def test_families_of_a_person_leave_out_families_the_user_may_not_see(
    as_user, practitioner, household
):
    other_family = make_family(TeamFactory(), name="Hidden household")
    FamilyMembership.objects.create(family=other_family, person=household["child"])
    body = as_user(practitioner).get(f"/api/people/{household['child'].uuid}/").json()
    assert [f["family_name"] for f in body["families"]] == ["Okafor family"]
    assert "Hidden household" not in str(body)


def test_patch_a_person(as_user, practitioner, household):
    child = household["child"]
    response = as_user(practitioner).patch(
        f"/api/people/{child.uuid}/",
        # The NHS number as typed, unchanged: not reported as a change.
        {"known_as": "Mara", "school_or_setting": "Kingsmere", "nhs_number": "485 777 3457"},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["known_as"] == "Mara"
    child.refresh_from_db()
    assert (child.known_as, child.school_or_setting) == ("Mara", "Kingsmere")
    event = AuditEvent.objects.for_object(child).filter(action="change").order_by("id").last()
    assert event.detail["fields"] == ["known_as", "school_or_setting"]
    # A known-as name is a name to find them by.
    results = people_services.search_people(
        by=practitioner, criteria=search.Criteria(given_name="Mara", family_name="Okafor")
    )
    assert child in [result.person for result in results]


def test_patch_with_bad_values_is_a_400_and_changes_nothing(as_user, practitioner, household):
    child = household["child"]
    response = as_user(practitioner).patch(
        f"/api/people/{child.uuid}/", {"given_name": "Changed", "nhs_number": "1234567890"}
    )
    assert response.status_code == 400
    assert response.json()["errors"]["nhs_number"]
    child.refresh_from_db()
    assert child.given_name == "Amara"


def test_list_people_filtered_by_family_and_name(as_user, practitioner, team, household):
    make_person(team, given_name="Lone", family_name="Walker")
    client = as_user(practitioner)
    everyone = client.get("/api/people/").json()
    assert everyone["count"] == 4
    in_family = client.get("/api/people/", {"family": str(household["family"].uuid)}).json()
    assert {p["full_name"] for p in in_family["results"]} == {
        "Grace Okafor",
        "Amara Okafor",
        "Tobi Okafor",
    }
    named = client.get("/api/people/", {"q": "tobi okaf"}).json()
    assert [p["full_name"] for p in named["results"]] == ["Tobi Okafor"]
    assert "addresses" not in named["results"][0]
    listed = AuditEvent.objects.filter(actor=practitioner, action="list").order_by("id").last()
    assert listed.detail["ids"] == [str(household["baby"].pk)]
    assert listed.detail["filters"] == {"q": "tobi okaf"}


def test_filtering_by_a_family_the_user_may_not_see_is_a_400_that_reveals_nothing(
    as_user, practitioner, household
):
    hidden = make_family(TeamFactory())
    client = as_user(practitioner)
    for value in [str(hidden.uuid), "00000000-0000-0000-0000-000000000000", "nonsense"]:
        response = client.get("/api/people/", {"family": value})
        assert response.status_code == 400
        assert response.json()["errors"]["family"] == ["Choose a family you can see"]
