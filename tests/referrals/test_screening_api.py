"""The triage front door's API: the queue, screening actions on /api/requests/{uuid}/ and
the decision, under the access policy, audited, at a fixed number of queries."""

import datetime
import uuid

import pytest
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from cases.models import Episode, EpisodeStatus
from referrals.models import Consent, Outcome, RequestForSupport, ScreeningCheck, Status
from referrals.screening import services as screening_services
from referrals.screening.decisions import services as decisions
from tests.factories import AgencyFactory, FamilyFactory, PersonFactory, TeamFactory
from tests.referrals.screening_helpers import (
    indicators_at,
    level,
    make_triage_officer,
    submit_request,
)

pytestmark = pytest.mark.django_db

MIA_BORN = datetime.date(2017, 3, 14)


@pytest.fixture
def triage_officer(team):
    return make_triage_officer(team)


@pytest.fixture
def request_for_support(practitioner):
    return submit_request(practitioner)


@pytest.fixture
def family(team):
    """A household owned by the triage officer's team, so the decided request stays open
    to them."""
    family = FamilyFactory(name="Okafor family", owning_team=team)
    PersonFactory(
        given_name="Mia",
        family_name="Okafor",
        date_of_birth=MIA_BORN,
        families=[family],
        owning_team=team,
    )
    return family


@pytest.fixture
def client_as(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


def url(request_for_support, action=""):
    base = f"/api/requests/{request_for_support.uuid}/"
    return f"{base}{action}/" if action else base


def child_of(request_for_support):
    return request_for_support.people.get(role="child")


def ready_for_taf(officer, request_for_support, family):
    """Matched, linked to the family, and level 3 ticked: ready to decide on a TAF."""
    screening_services.screening_match_person(
        by=officer,
        request_person=child_of(request_for_support),
        person=family.members.get(given_name="Mia"),
    )
    screening_services.screening_indicators_set(
        by=officer, request=request_for_support, indicators=indicators_at(3)
    )
    request_for_support.refresh_from_db()
    return request_for_support


def taf_payload(**overrides):
    return {
        "outcome": Outcome.TAF,
        "level": str(level(3).uuid),
        "rationale": "Several needs across school and home.",
        **overrides,
    }


# The queue


def test_queue_is_open_requests_in_due_order_with_rag_and_children(
    client_as, triage_officer, practitioner
):
    routine = submit_request(practitioner, urgency="routine")
    urgent = submit_request(practitioner, urgency="urgent")
    soon = submit_request(practitioner, urgency="soon")
    decided = submit_request(practitioner, urgency="urgent")
    RequestForSupport.objects.filter(pk=decided.pk).update(status=Status.DECIDED)

    response = client_as(triage_officer).get("/api/triage-queue/")

    assert response.status_code == 200
    body = response.json()
    assert [row["uuid"] for row in body["results"]] == [
        str(urgent.uuid),
        str(soon.uuid),
        str(routine.uuid),
    ]
    row = body["results"][0]
    assert row["children"] == ["Mia Okafor"]
    assert row["rag"] in {"Overdue", "Due today", "Due soon", "On time"}
    assert row["is_overdue"] is (row["rag"] == "Overdue")
    assert row["is_re_referral"] is False
    assert row["assigned_to"] is None
    assert row["status"] == "submitted"


def test_queue_filters(client_as, triage_officer, practitioner):
    mine = submit_request(practitioner, urgency="routine")
    screening_services.request_claim(by=triage_officer, request=mine)
    other = submit_request(practitioner, urgency="urgent")
    overdue = submit_request(practitioner, urgency="soon")
    RequestForSupport.objects.filter(pk=overdue.pk).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    client = client_as(triage_officer)

    def uuids(**params):
        response = client.get("/api/triage-queue/", params)
        assert response.status_code == 200, response.json()
        return {row["uuid"] for row in response.json()["results"]}

    assert uuids(assigned="me") == {str(mine.uuid)}
    assert uuids(assigned="unassigned") == {str(other.uuid), str(overdue.uuid)}
    assert uuids(status="in_screening") == {str(mine.uuid)}
    assert uuids(urgency="urgent") == {str(other.uuid)}
    assert uuids(overdue="true") == {str(overdue.uuid)}
    assert uuids(locality="none") == {str(mine.uuid), str(other.uuid), str(overdue.uuid)}
    response = client.get("/api/triage-queue/", {"status": "decided"})
    assert response.status_code == 400
    assert "status" in response.json()["errors"]


def test_queue_row_shows_who_is_screening(client_as, triage_officer, request_for_support):
    screening_services.request_claim(by=triage_officer, request=request_for_support)
    row = client_as(triage_officer).get("/api/triage-queue/").json()["results"][0]
    assert row["assigned_to"] == {
        "uuid": str(triage_officer.uuid),
        "full_name": triage_officer.full_name,
    }
    assert row["status"] == "in_screening"


def test_queue_is_for_triage_officers(client_as, practitioner, request_for_support):
    response = client_as(practitioner).get("/api/triage-queue/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_queue_list_is_audited(client_as, triage_officer, request_for_support):
    client_as(triage_officer).get("/api/triage-queue/", {"urgency": "soon"})
    event = AuditEvent.objects.get(actor=triage_officer, action=AuditAction.LIST)
    assert event.detail["ids"] == [str(request_for_support.pk)]
    assert event.detail["filters"] == {"urgency": "soon"}


# Claiming and assigning


def test_claim(client_as, triage_officer, request_for_support):
    response = client_as(triage_officer).post(url(request_for_support, "claim"))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "in_screening"
    assert body["assigned_to"]["uuid"] == str(triage_officer.uuid)


def test_claiming_someone_elses_request_is_400(
    client_as, team, triage_officer, request_for_support
):
    other = make_triage_officer(team)
    screening_services.request_claim(by=other, request=request_for_support)
    response = client_as(triage_officer).post(url(request_for_support, "claim"))
    assert response.status_code == 400
    assert "already screening" in response.json()["errors"]["non_field_errors"][0]


def test_assign(client_as, team, triage_officer, practitioner, request_for_support):
    other = make_triage_officer(team)
    client = client_as(triage_officer)

    response = client.post(url(request_for_support, "assign"), {"assigned_to": str(other.uuid)})
    assert response.status_code == 200, response.json()
    assert response.json()["assigned_to"]["uuid"] == str(other.uuid)

    for bad in [str(practitioner.uuid), "not-a-uuid", None]:
        response = client.post(url(request_for_support, "assign"), {"assigned_to": bad})
        assert response.status_code == 400
        assert "assigned_to" in response.json()["errors"]


# Screening


def test_screening_view(client_as, triage_officer, request_for_support, family):
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

    response = client_as(triage_officer).get(url(request_for_support, "screening"))

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


def test_match_and_undo(client_as, triage_officer, request_for_support, family):
    mia = family.members.get(given_name="Mia")
    client = client_as(triage_officer)
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


def test_match_field_errors(client_as, triage_officer, practitioner, request_for_support):
    other_request = submit_request(practitioner)
    client = client_as(triage_officer)

    response = client.post(
        url(request_for_support, "match"),
        {"request_person": child_of(other_request).pk, "person": str(uuid.uuid4())},
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["request_person"] == ["Choose someone on this request"]
    assert errors["person"] == ["Choose a person record found by `candidates/`"]


def test_candidates_include_records_the_officer_cannot_open_yet_which_can_be_matched(
    client_as, triage_officer, practitioner
):
    elsewhere = FamilyFactory(name="Okafor family", owning_team=TeamFactory())
    mia = PersonFactory(
        given_name="Mia",
        family_name="Okafor",
        date_of_birth=MIA_BORN,
        families=[elsewhere],
        owning_team=elsewhere.owning_team,
    )
    request_for_support = submit_request(
        practitioner,
        people=[
            {
                "role": "child",
                "given_name": "Mia",
                "family_name": "Okafor",
                "date_of_birth": MIA_BORN,
            }
        ],
    )
    client = client_as(triage_officer)

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
    client_as, team, triage_officer, practitioner, family
):
    request_for_support = submit_request(
        practitioner,
        people=[
            {
                "role": "child",
                "given_name": "Mia",
                "family_name": "Okafor",
                "date_of_birth": MIA_BORN,
            }
        ],
    )
    client = client_as(triage_officer)
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


def test_link_and_create_family(client_as, team, triage_officer, practitioner, family):
    client = client_as(triage_officer)
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


def test_consent_and_notes(client_as, triage_officer, request_for_support):
    client = client_as(triage_officer)

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


def test_indicators_answer_the_suggested_level(client_as, triage_officer, request_for_support):
    chosen = indicators_at(2) + indicators_at(3)
    response = client_as(triage_officer).put(
        url(request_for_support, "indicators"), {"indicators": [str(i.uuid) for i in chosen]}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["suggested_level"]["uuid"] == str(level(3).uuid)
    assert set(request_for_support.indicators.all()) == set(chosen)

    response = client_as(triage_officer).post(
        url(request_for_support, "indicators"), {"indicators": ["not-a-uuid"]}
    )
    assert response.status_code == 400
    assert "indicators" in response.json()["errors"]


def test_checks_add_list_and_answer(client_as, triage_officer, request_for_support):
    client = client_as(triage_officer)
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


# Deciding


def test_decision_taf_opens_an_episode_awaiting_allocation(
    client_as, triage_officer, request_for_support, family
):
    ready_for_taf(triage_officer, request_for_support, family)
    client = client_as(triage_officer)
    assert client.get(url(request_for_support, "decision")).status_code == 404

    response = client.post(url(request_for_support, "decision"), taf_payload())

    assert response.status_code == 201, response.json()
    body = response.json()
    episode = Episode.objects.get(family=family)
    assert episode.status == EpisodeStatus.AWAITING_ALLOCATION
    assert body["outcome"] == "taf"
    assert body["level"]["uuid"] == str(level(3).uuid)
    assert body["suggested_level"]["uuid"] == str(level(3).uuid)
    assert body["framework"]["uuid"] == str(level(3).framework.uuid)
    assert body["framework"]["version"] == level(3).framework.version
    assert [i["uuid"] for i in body["indicators"]] == [str(i.uuid) for i in indicators_at(3)]
    assert body["episode"]["uuid"] == str(episode.uuid)
    assert body["joined_open_episode"] is False
    assert body["is_re_referral"] is False
    assert body["decided_by"]["uuid"] == str(triage_officer.uuid)
    request_for_support.refresh_from_db()
    assert request_for_support.status == Status.DECIDED

    response = client.get(url(request_for_support, "decision"))
    assert response.status_code == 200
    assert response.json()["uuid"] == body["uuid"]
    decision = request_for_support.decision
    assert AuditEvent.objects.for_object(decision).filter(action=AuditAction.VIEW).exists()

    second = client.post(url(request_for_support, "decision"), taf_payload())
    assert second.status_code == 400
    assert "cannot be decided again" in second.json()["errors"]["non_field_errors"][0]


def test_decision_refused_without_consent(client_as, triage_officer, request_for_support, family):
    ready_for_taf(triage_officer, request_for_support, family)
    screening_services.screening_record_consent(
        by=triage_officer,
        request=request_for_support,
        consent=Consent.NOT_GIVEN,
        consent_not_given_reason="Declined",
    )
    response = client_as(triage_officer).post(url(request_for_support, "decision"), taf_payload())
    assert response.status_code == 400
    assert response.json()["errors"]["outcome"] == [decisions.CONSENT_REFUSAL]
    assert not Episode.objects.exists()


def test_decision_field_errors(client_as, triage_officer, request_for_support):
    response = client_as(triage_officer).post(
        url(request_for_support, "decision"),
        {"outcome": "signposting", "level": "not-a-uuid", "single_agency": "nope"},
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) >= {"level", "single_agency"}


def test_decision_nfa_without_indicators_needs_a_reason(
    client_as, triage_officer, request_for_support
):
    client = client_as(triage_officer)
    payload = {"outcome": "nfa", "level": str(level(1).uuid), "rationale": "Needs are met."}
    response = client.post(url(request_for_support, "decision"), payload)
    assert response.status_code == 400
    assert "level_override_reason" in response.json()["errors"]

    response = client.post(
        url(request_for_support, "decision"),
        {**payload, "level_override_reason": "Nothing in the framework applies"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["episode"] is None


# What each user sees


def test_requester_sees_status_and_outcome_only(
    client_as, triage_officer, practitioner, request_for_support, family
):
    ready_for_taf(triage_officer, request_for_support, family)
    decisions.request_decide(
        by=triage_officer,
        request=request_for_support,
        data=decisions.DecisionInput(
            outcome=Outcome.TAF, level=level(3), rationale="Several needs."
        ),
    )
    client = client_as(practitioner)

    body = client.get(url(request_for_support)).json()
    assert body["status"] == "decided"
    assert "Team Around the Family" in body["outcome_summary"]
    for withheld in ["family", "episode", "indicators", "decision", "assigned_to", "locality"]:
        assert withheld not in body
    listed = client.get("/api/requests/").json()["results"][0]
    assert "decision" not in listed and "family" not in listed
    for action in ["screening", "decision", "checks"]:
        assert client.get(url(request_for_support, action)).status_code == 403


def test_triage_officer_gets_assignment_and_decision_summary(
    client_as, triage_officer, request_for_support
):
    screening_services.request_claim(by=triage_officer, request=request_for_support)
    body = client_as(triage_officer).get(url(request_for_support)).json()
    assert body["assigned_to"]["uuid"] == str(triage_officer.uuid)
    assert body["decision"] is None


def test_non_triage_users_get_403(client_as, practitioner, request_for_support):
    client = client_as(practitioner)
    assert client.post(url(request_for_support, "claim")).status_code == 403
    assert client.post(url(request_for_support, "decision"), taf_payload()).status_code == 403
    assert client.put(url(request_for_support, "indicators"), {"indicators": []}).status_code == 403
    assert not AuditEvent.objects.filter(actor=practitioner, action=AuditAction.CHANGE).exists()


def test_requests_the_officer_cannot_see_are_404(client_as, triage_officer, practitioner):
    decided = submit_request(practitioner)
    RequestForSupport.objects.filter(pk=decided.pk).update(status=Status.DECIDED)
    client = client_as(triage_officer)
    assert client.post(url(decided, "claim")).status_code == 404
    assert client.get(url(decided, "screening")).status_code == 404
    assert client.get(url(decided, "decision")).status_code == 404
    assert (
        client.get("/api/requests/00000000-0000-0000-0000-000000000000/screening/").status_code
        == 404
    )


def test_analysts_get_403(client_as, analyst, request_for_support):
    response = client_as(analyst).get(url(request_for_support, "screening"))
    assert response.status_code == 403


def test_schema_documents_the_triage_endpoints(client_as, practitioner):
    paths = client_as(practitioner).get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in [
        "/api/triage-queue/",
        "/api/requests/{uuid}/screening/",
        "/api/requests/{uuid}/decision/",
        "/api/requests/{uuid}/checks/{check_uuid}/answer/",
        "/api/requests/{uuid}/create-person/",
    ]:
        assert path in paths, path
    assert "/api/triage-queue/{id}/" not in paths
    assert "409" in paths["/api/requests/{uuid}/create-person/"]["post"]["responses"]


# Queries


def _matched_requests(count, practitioner, officer, team):
    """`count` open requests, each with a matched child in its own household (so screening
    and known_to have something to show), a check and indicators."""
    made = []
    for index in range(count):
        family = FamilyFactory(owning_team=team)
        person = PersonFactory(families=[family], owning_team=team)
        request = submit_request(practitioner, urgency=["urgent", "soon", "routine"][index % 3])
        screening_services.screening_match_person(
            by=officer, request_person=child_of(request), person=person
        )
        made.append(request)
    return made


@pytest.mark.parametrize("rows", [2, 50])
def test_queue_queries_do_not_grow_with_rows(
    client_as, django_assert_max_num_queries, team, triage_officer, practitioner, rows
):
    _matched_requests(rows, practitioner, triage_officer, team)
    client = client_as(triage_officer)
    with django_assert_max_num_queries(8):
        response = client.get("/api/triage-queue/", {"page_size": 100})
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [2, 50])
def test_screening_queries_do_not_grow_with_rows(
    client_as, django_assert_max_num_queries, team, triage_officer, practitioner, rows
):
    family = FamilyFactory(owning_team=team)
    people = [
        {"role": "child", "given_name": f"Child{index}", "family_name": "Okafor"}
        for index in range(rows)
    ]
    request = submit_request(practitioner, people=people)
    for request_person in request.people.all():
        person = PersonFactory(families=[family], owning_team=team)
        screening_services.screening_match_person(
            by=triage_officer, request_person=request_person, person=person
        )
        screening_services.screening_check_add(
            by=triage_officer, request=request, agency_name="School", question="Known?"
        )
    screening_services.screening_indicators_set(
        by=triage_officer, request=request, indicators=indicators_at(2, rows)
    )
    for _ in range(min(rows, 10)):
        past = submit_request(practitioner)
        screening_services.screening_link_family(by=triage_officer, request=past, family=family)
    Episode.objects.create(
        family=family,
        locality=team.locality,
        level=level(3),
        status=EpisodeStatus.CLOSED,
        opened_at=timezone.now() - datetime.timedelta(days=60),
        closed_at=timezone.now() - datetime.timedelta(days=30),
    )
    client = client_as(triage_officer)
    with django_assert_max_num_queries(12):
        response = client.get(url(request, "screening"))
    assert response.status_code == 200
    body = response.json()
    assert len(body["people"]) == rows
    assert len(body["checks"]) == rows
    assert body["is_re_referral"] is True


@pytest.mark.parametrize("rows", [2, 50])
def test_decision_queries_do_not_grow_with_rows(
    client_as, django_assert_max_num_queries, triage_officer, request_for_support, family, rows
):
    screening_services.screening_match_person(
        by=triage_officer,
        request_person=child_of(request_for_support),
        person=family.members.get(given_name="Mia"),
    )
    # Every indicator below the statutory level, at most `rows`, level 3 first.
    chosen = (indicators_at(3, 50) + indicators_at(2, 50) + indicators_at(1, 50))[:rows]
    screening_services.screening_indicators_set(
        by=triage_officer, request=request_for_support, indicators=chosen
    )
    client = client_as(triage_officer)
    assert client.post(url(request_for_support, "decision"), taf_payload()).status_code == 201
    with django_assert_max_num_queries(10):
        response = client.get(url(request_for_support, "decision"))
    assert response.status_code == 200
    assert len(response.json()["indicators"]) == len(chosen)


@pytest.mark.parametrize("rows", [2, 50])
def test_candidates_queries_do_not_grow_with_matching_records(
    client_as, django_assert_max_num_queries, team, triage_officer, practitioner, rows
):
    for _ in range(rows):
        PersonFactory(given_name="Mia", family_name="Okafor", owning_team=TeamFactory())
    request = submit_request(
        practitioner, people=[{"role": "child", "given_name": "Mia", "family_name": "Okafor"}]
    )
    client = client_as(triage_officer)
    # Measured: 16 queries with 2 matching records, 14 with 50 (search work, not per record).
    with django_assert_max_num_queries(16):
        response = client.get(url(request, "candidates"))
    assert response.status_code == 200
    assert len(response.json()[0]["candidates"]) == rows


@pytest.mark.parametrize("rows", [2, 50])
def test_checks_list_queries_do_not_grow_with_rows(
    client_as, django_assert_max_num_queries, triage_officer, request_for_support, rows
):
    agency = AgencyFactory()
    for n in range(rows):
        screening_services.screening_check_add(
            by=triage_officer, request=request_for_support, agency=agency, question=f"Q{n}"
        )
    client = client_as(triage_officer)
    with django_assert_max_num_queries(7):
        response = client.get(url(request_for_support, "checks"))
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"] if isinstance(body, dict) else body) == rows
