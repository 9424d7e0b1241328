"""The case records API: people, families, memberships, relationships, notes, search and
merges, under the access policy."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from cases.families import services
from cases.models import (
    CaseNote,
    Family,
    FamilyMembership,
    Person,
    PersonAddress,
    PersonName,
    Relationship,
)
from cases.people import search
from cases.people import services as people_services
from tests.dates import years_before
from tests.factories import TeamFactory, UserFactory

NHS_NUMBER = "4857773457"
OTHER_NHS_NUMBER = "9434765919"


def years_ago(years, *, days=0):
    today = timezone.localdate()
    return years_before(today, years) - datetime.timedelta(days=days)


def all_messages(body):
    return [message for messages in body["errors"].values() for message in messages]


# Small factories: records straight into the database, for reads; writes under test go
# through the services or the API.


def make_person(team, *, by=None, **fields):
    fields = {
        "record_type": "child",
        "given_name": "Amara",
        "family_name": "Okafor",
        "date_of_birth": years_ago(8),
        **fields,
    }
    person = Person.objects.create(owning_team=team, created_by=by, **fields)
    search.index_person(person)
    return person


def make_family(team, *, by=None, **fields):
    fields = {"name": "Okafor family", "line_1": "1 High Street", "town": "Wexmoor", **fields}
    return Family.objects.create(owning_team=team, created_by=by, **fields)


def create_person(by, team, **fields):
    fields = {
        "record_type": "child",
        "given_name": "Amara",
        "family_name": "Okafor",
        "date_of_birth": years_ago(8),
        **fields,
    }
    return people_services.person_create(
        by=by, owning_team=team, confirmed_not_duplicate=True, **fields
    )


@pytest.fixture
def household(practitioner, team):
    """A family of three made by the practitioner: mother, child and a baby."""
    family = services.family_create(by=practitioner, owning_team=team, name="Okafor family")
    mother = create_person(
        practitioner,
        team,
        record_type="adult",
        given_name="Grace",
        date_of_birth=years_ago(34),
        gender="woman",
        phone="07700 900123",
    )
    child = create_person(practitioner, team, nhs_number=NHS_NUMBER, disability="asthma")
    baby = create_person(practitioner, team, given_name="Tobi", date_of_birth=years_ago(1))
    for person in (mother, child, baby):
        services.family_member_add(by=practitioner, family=family, person=person)
    return {"family": family, "mother": mother, "child": child, "baby": baby}


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


# Who may see what


def test_outsider_gets_404s_and_empty_lists(as_user, outsider, practitioner, household):
    note = services.note_add(
        by=practitioner,
        family=household["family"],
        note_type="phone",
        occurred_at=timezone.now(),
        summary="Called mum",
    )
    client = as_user(outsider)
    for url in [
        f"/api/people/{household['child'].uuid}/",
        f"/api/families/{household['family'].uuid}/",
        f"/api/notes/{note.uuid}/",
        f"/api/memberships/{FamilyMembership.objects.first().pk}/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"status": 404, "code": "not_found", "message": "Not found."}
    for url in ["/api/people/", "/api/families/", "/api/memberships/", "/api/relationships/"]:
        assert client.get(url).json()["count"] == 0, url
    notes = client.get("/api/notes/", {"family": str(household["family"].uuid)})
    assert notes.status_code == 400
    assert notes.json()["errors"]["family"] == ["Choose a family you can see"]
    for url in [
        f"/api/people/{household['child'].uuid}/",
        f"/api/families/{household['family'].uuid}/",
    ]:
        assert client.patch(url, {"name": "X", "known_as": "X"}).status_code == 404
    assert "Okafor" not in str([client.get("/api/people/").json()])


def test_outsider_may_not_write_to_records_they_cannot_see(as_user, outsider, household):
    client = as_user(outsider)
    response = client.post(
        "/api/notes/",
        {
            "family": str(household["family"].uuid),
            "note_type": "phone",
            "occurred_at": timezone.now().isoformat(),
            "summary": "Sneaky",
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"]["family"] == ["Choose a family you can see"]
    assert not CaseNote.objects.exists()
    response = client.post(
        f"/api/people/{household['child'].uuid}/names/", {"name_type": "alias", "given_name": "X"}
    )
    assert response.status_code == 404


def test_sensitive_fields_absent_for_a_colleague_and_present_for_the_manager(
    as_user, practitioner, colleague, locality_manager, household
):
    url = f"/api/people/{household['mother'].uuid}/"
    seen_by_colleague = as_user(colleague).get(url).json()
    for name in Person.SENSITIVE_FIELDS:
        assert name not in seen_by_colleague
    assert "07700 900123" not in str(seen_by_colleague)
    listed = as_user(colleague).get("/api/people/").json()["results"]
    assert all("phone" not in person for person in listed)

    for user in (locality_manager, practitioner):
        seen = as_user(user).get(url).json()
        assert (seen["gender"], seen["phone"]) == ("woman", "07700 900123")


def test_a_colleague_cannot_overwrite_sensitive_fields_they_cannot_see(
    as_user, colleague, household
):
    mother = household["mother"]
    response = as_user(colleague).patch(
        f"/api/people/{mother.uuid}/", {"phone": "", "first_language": "Yoruba"}
    )
    assert response.status_code == 200
    mother.refresh_from_db()
    assert (mother.phone, mother.first_language) == ("07700 900123", "Yoruba")


def test_confidential_addresses_are_withheld_from_a_colleague(
    as_user, practitioner, colleague, locality_manager, household
):
    child, family = household["child"], household["family"]
    as_user(practitioner).post(
        f"/api/people/{child.uuid}/addresses/",
        {"line_1": "Refuge", "town": "Wexmoor", "postcode": "SW1A 2AA", "confidential": True},
    )
    services.family_update(
        by=practitioner,
        family=family,
        line_1="Refuge",
        town="Wexmoor",
        postcode="SW1A 2AA",
        address_is_confidential=True,
    )
    person_url, family_url = f"/api/people/{child.uuid}/", f"/api/families/{family.uuid}/"

    colleague_client = as_user(colleague)
    assert colleague_client.get(person_url).json()["addresses"] == [{"confidential": True}]
    family_seen = colleague_client.get(family_url).json()
    assert family_seen["address_is_confidential"] is True
    for name in ("line_1", "line_2", "town", "postcode"):
        assert name not in family_seen
    listed = colleague_client.get("/api/families/").json()["results"][0]
    assert "postcode" not in listed
    assert "SW1A 2AA" not in str(colleague_client.get("/api/families/").json())

    manager_client = as_user(locality_manager)
    assert manager_client.get(person_url).json()["addresses"][0]["line_1"] == "Refuge"
    assert manager_client.get(family_url).json()["postcode"] == "SW1A 2AA"


def test_restricted_note_content_is_withheld_from_a_colleague(
    as_user, practitioner, colleague, locality_manager, household
):
    family = household["family"]
    created = as_user(practitioner).post(
        "/api/notes/",
        {
            "family": str(family.uuid),
            "note_type": "home_visit",
            "occurred_at": timezone.now().isoformat(),
            "summary": "Disclosure",
            "body": "Mum disclosed domestic abuse.",
            "subjects": [str(household["mother"].uuid)],
            "is_restricted": True,
            "is_significant": True,
        },
    )
    assert created.status_code == 201, created.json()
    assert created.json()["summary"] == "Disclosure"
    url = f"/api/notes/{created.json()['uuid']}/"

    withheld = as_user(colleague).get(url).json()
    assert withheld["restricted"] is True
    assert withheld["is_restricted"] is True
    for name in ("summary", "body", "subjects", "subject_names"):
        assert name not in withheld
    assert withheld["note_type"] == "home_visit"
    assert withheld["author"]["uuid"] == str(practitioner.uuid)
    listed = as_user(colleague).get("/api/notes/", {"family": str(family.uuid)}).json()
    assert "domestic abuse" not in str(listed)
    assert listed["results"][0]["restricted"] is True

    for user in (practitioner, locality_manager):
        seen = as_user(user).get(url).json()
        assert seen["body"] == "Mum disclosed domestic abuse."
        assert seen["subject_names"] == ["Grace Okafor"]
        assert "restricted" not in seen


# Search


def test_search_as_outsider_says_known_and_whom_to_contact(as_user, outsider, team, household):
    team.email, team.phone = "eh-south@council.example", "01632 960 222"
    team.save()
    response = as_user(outsider).get(
        "/api/people/search/", {"family_name": "okafor", "given_name": "amara"}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["count"] >= 1
    best = body["results"][0]
    assert best["known"] is True
    assert best["person"] is None
    assert best["contact"] == {
        "team": {
            "uuid": str(team.uuid),
            "name": team.name,
            "email": "eh-south@council.example",
            "phone": "01632 960 222",
        }
    }
    assert best["score"] > 0 and best["reasons"]
    assert str(household["child"].uuid) not in response.content.decode()
    assert "address" not in response.content.decode()
    event = AuditEvent.objects.get(actor=outsider, action="search")
    assert event.detail["terms"] == {"family_name": "okafor", "given_name": "amara"}
    assert event.detail["visible"] == []


def test_search_shows_records_the_user_may_see(as_user, practitioner, household):
    response = as_user(practitioner).get("/api/people/search/", {"nhs_number": "485 777 3457"})
    best = response.json()["results"][0]
    assert best["person"]["uuid"] == str(household["child"].uuid)
    assert best["person"]["nhs_number"] == NHS_NUMBER
    assert best["confidence"] == "Very likely"
    assert "NHS number exact" in best["reasons"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_of_birth": "2019-02-30"}, "date_of_birth"),
        ({"date_of_birth": "27/03/2019"}, "date_of_birth"),
        ({"year_of_birth": "soon"}, "year_of_birth"),
        ({"year_of_birth": str(timezone.localdate().year + 1)}, "year_of_birth"),
        ({"nhs_number": "4857773456"}, "nhs_number"),
        ({"upn": "A12"}, "upn"),
        ({"postcode": "nowhere"}, "postcode"),
        ({}, "non_field_errors"),
        ({"given_name": "  "}, "non_field_errors"),
    ],
)
def test_bad_search_is_a_400_with_field_errors(as_user, practitioner, params, field):
    response = as_user(practitioner).get("/api/people/search/", params)
    assert response.status_code == 400
    assert response.json()["errors"][field]
    assert not AuditEvent.objects.filter(action="search").exists()


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
