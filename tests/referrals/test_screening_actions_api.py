"""Screening a request through the API: matching children, creating people and families,
consent, notes, indicators and checks."""

import datetime
import uuid

import pytest

from audit.models import AuditAction, AuditEvent
from referrals.models import ScreeningCheck
from referrals.screening import services as screening_services
from tests.factories import AgencyFactory, FamilyFactory, TeamFactory
from tests.referrals.screening_api_helpers import (
    child_of,
    okafor_household,
    request_about_mia,
    url,
)
from tests.referrals.screening_helpers import indicators_at, level, submit_request

pytestmark = pytest.mark.django_db


# Screening


def test_screening_view(as_user, triage_officer, request_for_support, family):
    screening_services.screening_match_person(
        by=triage_officer,
        request_person=child_of(request_for_support),
        person=family.members.get(given_name="Mia"),
    )
    screening_services.screening_indicators_set(
        by=triage_officer, request=request_for_support, indicators=indicators_at(2)
    )
    screening_services.screening_notes_save(
        by=triage_officer, request=request_for_support, notes="Rang"
    )

    response = as_user(triage_officer).get(url(request_for_support, "screening"))

    assert response.status_code == 200
    body = response.json()
    mia = family.members.get(given_name="Mia")
    child = next(person for person in body["people"] if person["role"] == "child")
    assert child["matched_person"] == str(mia.uuid)
    assert body["family"] == str(family.uuid)
    assert body["locality"]["uuid"] == str(family.owning_team.locality.uuid)
    assert [i["uuid"] for i in body["indicators"]] == [str(i.uuid) for i in indicators_at(2)]
    assert body["suggested_level"]["uuid"] == str(level(2).uuid)
    assert body["screening_notes"] == "Rang"
    assert body["consent"] == "given"
    assert body["is_re_referral"] is False
    assert body["known_to"] == {"open_episodes": [], "past_episodes": [], "past_requests": []}
    assert AuditEvent.objects.filter(
        actor=triage_officer, action=AuditAction.VIEW, object_id=str(request_for_support.pk)
    ).exists()


def test_match_and_undo(as_user, triage_officer, request_for_support, family):
    mia = family.members.get(given_name="Mia")
    client = as_user(triage_officer)
    child = child_of(request_for_support)

    response = client.post(
        url(request_for_support, "match"), {"request_person": child.pk, "person": str(mia.uuid)}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["family"] == str(family.uuid)
    child.refresh_from_db()
    assert child.matched_person == mia

    response = client.post(
        url(request_for_support, "match"), {"request_person": child.pk, "person": None}
    )
    assert response.status_code == 200
    child.refresh_from_db()
    assert child.matched_person is None


def test_match_field_errors(as_user, triage_officer, practitioner, request_for_support):
    other_request = submit_request(practitioner)
    client = as_user(triage_officer)

    response = client.post(
        url(request_for_support, "match"),
        {"request_person": child_of(other_request).pk, "person": str(uuid.uuid4())},
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["request_person"] == ["Choose someone on this request"]
    assert errors["person"] == ["Choose a person record found by `candidates/`"]


def test_candidates_include_records_the_officer_cannot_open_yet_which_can_be_matched(
    as_user, triage_officer, practitioner
):
    elsewhere, mia = okafor_household(TeamFactory())
    request_for_support = request_about_mia(practitioner)
    client = as_user(triage_officer)

    response = client.get(url(request_for_support, "candidates"))

    assert response.status_code == 200
    [row] = response.json()
    assert row["name"] == "Mia Okafor"
    [candidate] = row["candidates"]
    assert candidate["person"] is None, "the record is not open to the officer yet"
    assert candidate["contact"]["team"]["name"] == elsewhere.owning_team.name
    assert candidate["person_uuid"] == str(mia.uuid)
    assert AuditEvent.objects.filter(actor=triage_officer, action=AuditAction.SEARCH).exists()

    response = client.post(
        url(request_for_support, "match"),
        {"request_person": row["request_person"], "person": candidate["person_uuid"]},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["family"] == str(elsewhere.uuid)
    assert client.get(f"/api/families/{elsewhere.uuid}/").status_code == 200


def test_create_person_answers_409_with_matches_then_creates(
    as_user, team, triage_officer, practitioner, family
):
    request_for_support = request_about_mia(practitioner)
    client = as_user(triage_officer)
    payload = {
        "request_person": child_of(request_for_support).pk,
        "owning_team": str(team.uuid),
    }

    response = client.post(url(request_for_support, "create-person"), payload)
    assert response.status_code == 409, response.json()
    body = response.json()
    assert body["code"] == "possible_duplicates"
    assert body["matches"]

    response = client.post(
        url(request_for_support, "create-person"), {**payload, "confirmed_not_duplicate": True}
    )
    assert response.status_code == 201, response.json()
    child = next(person for person in response.json()["people"] if person["role"] == "child")
    assert child["matched_person"] is not None
    assert child["matched_person"] != str(family.members.get(given_name="Mia").uuid)


def test_link_and_create_family(as_user, team, triage_officer, practitioner, family):
    client = as_user(triage_officer)
    linked = submit_request(practitioner)
    response = client.post(url(linked, "family"), {"family": str(family.uuid)})
    assert response.status_code == 200, response.json()
    assert response.json()["family"] == str(family.uuid)

    response = client.post(url(linked, "family"), {"family": str(FamilyFactory().uuid)})
    assert response.status_code == 400
    assert "family" in response.json()["errors"]

    created = submit_request(
        practitioner,
        people=[
            {
                "role": "child",
                "given_name": "Zebedee",
                "family_name": "Quill",
                "date_of_birth": datetime.date(2019, 1, 2),
            }
        ],
    )
    response = client.post(
        url(created, "create-family"), {"name": "Quill family", "owning_team": str(team.uuid)}
    )
    assert response.status_code == 400  # nobody matched yet
    screening_services.screening_create_person(
        by=triage_officer,
        request_person=child_of(created),
        owning_team=team,
        confirmed_not_duplicate=True,
    )
    response = client.post(
        url(created, "create-family"), {"name": "Quill family", "owning_team": str(team.uuid)}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["family_name"] == "Quill family"


def test_consent_and_notes(as_user, triage_officer, request_for_support):
    client = as_user(triage_officer)

    response = client.post(url(request_for_support, "consent"), {"consent": "not_given"})
    assert response.status_code == 400
    assert "consent_not_given_reason" in response.json()["errors"]

    response = client.post(
        url(request_for_support, "consent"),
        {"consent": "not_given", "consent_not_given_reason": "Mother declined on the phone"},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["consent"] == "not_given"

    response = client.post(url(request_for_support, "notes"), {"screening_notes": "Called GP"})
    assert response.status_code == 200
    assert response.json()["screening_notes"] == "Called GP"


def test_indicators_answer_the_suggested_level(as_user, triage_officer, request_for_support):
    chosen = indicators_at(2) + indicators_at(3)
    response = as_user(triage_officer).put(
        url(request_for_support, "indicators"), {"indicators": [str(i.uuid) for i in chosen]}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["suggested_level"]["uuid"] == str(level(3).uuid)
    assert set(request_for_support.indicators.all()) == set(chosen)

    response = as_user(triage_officer).post(
        url(request_for_support, "indicators"), {"indicators": ["not-a-uuid"]}
    )
    assert response.status_code == 400
    assert "indicators" in response.json()["errors"]


def test_checks_add_list_and_answer(as_user, triage_officer, request_for_support):
    client = as_user(triage_officer)
    agency = AgencyFactory(name="Brackenford Health Visiting")

    response = client.post(url(request_for_support, "checks"), {"question": "Known to you?"})
    assert response.status_code == 400
    assert response.json()["errors"]["agency"] == ["Choose the agency, or enter its name"]

    response = client.post(
        url(request_for_support, "checks"),
        {"agency": str(agency.uuid), "question": "Known to you?"},
    )
    assert response.status_code == 201, response.json()
    check = response.json()
    assert check["agency_label"] == agency.name
    assert check["is_answered"] is False

    response = client.get(url(request_for_support, "checks"))
    assert [row["uuid"] for row in response.json()] == [check["uuid"]]
    assert AuditEvent.objects.filter(
        actor=triage_officer, action=AuditAction.LIST, object_type="referrals.screeningcheck"
    ).exists()

    answer_url = f"{url(request_for_support)}checks/{check['uuid']}/answer/"
    response = client.post(answer_url, {"answer": "Yes, seen last month"})
    assert response.status_code == 200, response.json()
    assert response.json()["is_answered"] is True
    assert ScreeningCheck.objects.get(uuid=check["uuid"]).answer == "Yes, seen last month"

    response = client.post(answer_url, {"answer": " "})
    assert response.status_code == 400
    assert "answer" in response.json()["errors"]
    assert client.post(f"{url(request_for_support)}checks/nope/answer/", {}).status_code == 404
