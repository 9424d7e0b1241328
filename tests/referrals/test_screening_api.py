"""The triage front door's API: the queue, claiming and assigning requests, and what each
role may see of a request."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from referrals.models import Outcome, RequestForSupport, Status
from referrals.screening import services as screening_services
from tests.referrals.screening_api_helpers import ready_for_taf, taf_payload, url
from tests.referrals.screening_helpers import decide, make_triage_officer, submit_request

pytestmark = pytest.mark.django_db


# The queue


def test_queue_is_open_requests_in_due_order_with_rag_and_children(
    as_user, triage_officer, practitioner
):
    routine = submit_request(practitioner, urgency="routine")
    urgent = submit_request(practitioner, urgency="urgent")
    soon = submit_request(practitioner, urgency="soon")
    decided = submit_request(practitioner, urgency="urgent")
    RequestForSupport.objects.filter(pk=decided.pk).update(status=Status.DECIDED)

    response = as_user(triage_officer).get("/api/triage-queue/")

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


def test_queue_filters(as_user, triage_officer, practitioner):
    mine = submit_request(practitioner, urgency="routine")
    screening_services.request_claim(by=triage_officer, request=mine)
    other = submit_request(practitioner, urgency="urgent")
    overdue = submit_request(practitioner, urgency="soon")
    RequestForSupport.objects.filter(pk=overdue.pk).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    client = as_user(triage_officer)

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


def test_queue_row_shows_who_is_screening(as_user, triage_officer, request_for_support):
    screening_services.request_claim(by=triage_officer, request=request_for_support)
    row = as_user(triage_officer).get("/api/triage-queue/").json()["results"][0]
    assert row["assigned_to"] == {
        "uuid": str(triage_officer.uuid),
        "full_name": triage_officer.full_name,
    }
    assert row["status"] == "in_screening"


def test_queue_is_for_triage_officers(as_user, practitioner, request_for_support):
    response = as_user(practitioner).get("/api/triage-queue/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_queue_list_is_audited(as_user, triage_officer, request_for_support):
    as_user(triage_officer).get("/api/triage-queue/", {"urgency": "soon"})
    event = AuditEvent.objects.get(actor=triage_officer, action=AuditAction.LIST)
    assert event.detail["ids"] == [str(request_for_support.pk)]
    assert event.detail["filters"] == {"urgency": "soon"}


# Claiming and assigning


def test_claim(as_user, triage_officer, request_for_support):
    response = as_user(triage_officer).post(url(request_for_support, "claim"))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "in_screening"
    assert body["assigned_to"]["uuid"] == str(triage_officer.uuid)


def test_claiming_someone_elses_request_is_400(as_user, team, triage_officer, request_for_support):
    other = make_triage_officer(team)
    screening_services.request_claim(by=other, request=request_for_support)
    response = as_user(triage_officer).post(url(request_for_support, "claim"))
    assert response.status_code == 400
    assert "already screening" in response.json()["errors"]["non_field_errors"][0]


def test_assign(as_user, team, triage_officer, practitioner, request_for_support):
    other = make_triage_officer(team)
    client = as_user(triage_officer)

    response = client.post(url(request_for_support, "assign"), {"assigned_to": str(other.uuid)})
    assert response.status_code == 200, response.json()
    assert response.json()["assigned_to"]["uuid"] == str(other.uuid)

    for bad in [str(practitioner.uuid), "not-a-uuid", None]:
        response = client.post(url(request_for_support, "assign"), {"assigned_to": bad})
        assert response.status_code == 400
        assert "assigned_to" in response.json()["errors"]


# What each user sees


def test_requester_sees_status_and_outcome_only(
    as_user, triage_officer, practitioner, request_for_support, family
):
    ready_for_taf(triage_officer, request_for_support, family)
    decide(triage_officer, request_for_support, Outcome.TAF, rank=3, rationale="Several needs.")
    client = as_user(practitioner)

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
    as_user, triage_officer, request_for_support
):
    screening_services.request_claim(by=triage_officer, request=request_for_support)
    body = as_user(triage_officer).get(url(request_for_support)).json()
    assert body["assigned_to"]["uuid"] == str(triage_officer.uuid)
    assert body["decision"] is None


def test_non_triage_users_get_403(as_user, practitioner, request_for_support):
    client = as_user(practitioner)
    assert client.post(url(request_for_support, "claim")).status_code == 403
    assert client.post(url(request_for_support, "decision"), taf_payload()).status_code == 403
    assert client.put(url(request_for_support, "indicators"), {"indicators": []}).status_code == 403
    assert not AuditEvent.objects.filter(actor=practitioner, action=AuditAction.CHANGE).exists()


def test_requests_the_officer_cannot_see_are_404(as_user, triage_officer, practitioner):
    decided = submit_request(practitioner)
    RequestForSupport.objects.filter(pk=decided.pk).update(status=Status.DECIDED)
    client = as_user(triage_officer)
    assert client.post(url(decided, "claim")).status_code == 404
    assert client.get(url(decided, "screening")).status_code == 404
    assert client.get(url(decided, "decision")).status_code == 404
    assert (
        client.get("/api/requests/00000000-0000-0000-0000-000000000000/screening/").status_code
        == 404
    )


def test_analysts_get_403(as_user, analyst, request_for_support):
    response = as_user(analyst).get(url(request_for_support, "screening"))
    assert response.status_code == 403


def test_schema_documents_the_triage_endpoints(as_user, practitioner):
    paths = as_user(practitioner).get("/api/schema/", {"format": "json"}).json()["paths"]
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
