"""Requests for support through the API: creating, field errors, access and query counts."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from referrals.models import PresentingNeed, RequestForSupport, RequestPerson
from tests.referrals.request_helpers import RequestFactory

pytestmark = pytest.mark.django_db


# The API


def api_payload(**overrides):
    return {
        "requester_agency_name": "Brackenford Primary",
        "presenting_needs": ["neglect", "housing"],
        "concerns": "Often hungry.",
        "consent": "given",
        "consent_given_by": "Grace Okafor",
        "consent_covers": "assessment",
        "consent_given_on": str(timezone.localdate()),
        "urgency": "urgent",
        "people": [
            {"role": "child", "given_name": "Mia", "postcode": "bk1 2ab"},
            {"role": "parent_or_carer", "given_name": "Grace"},
        ],
        **overrides,
    }


def test_api_create(api_client, practitioner, django_capture_on_commit_callbacks):
    api_client.force_authenticate(practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/requests/", api_payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith("EH-")
    assert body["status"] == "submitted"
    assert body["requester_email"] == practitioner.email
    assert sorted(body["presenting_needs"]) == ["housing", "neglect"]
    assert body["people"][0]["postcode"] == "BK1 2AB"
    assert len(mail.outbox) == 1
    assert api_client.get(f"/api/requests/{body['uuid']}/").status_code == 200


def test_api_create_400_with_field_errors(api_client, practitioner):
    api_client.force_authenticate(practitioner)
    response = api_client.post(
        "/api/requests/",
        api_payload(presenting_needs=["not-a-need"], urgency="now"),
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"presenting_needs", "urgency"} <= set(errors)
    response = api_client.post(
        "/api/requests/",
        api_payload(consent_given_by="", people=[{"role": "other_adult", "given_name": "Al"}]),
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["consent_given_by"] == ["Enter who gave consent"]
    assert errors["people"] == ["Add at least one child or unborn child"]
    assert not RequestForSupport.objects.exists()


def test_api_other_practitioner_gets_404(api_client, practitioner, colleague):
    request = RequestFactory(requested_by=practitioner)
    api_client.force_authenticate(colleague)
    assert api_client.get(f"/api/requests/{request.uuid}/").status_code == 404
    assert api_client.get("/api/requests/").json()["count"] == 0


# Query counts


def _requests(user, count):
    needs = list(PresentingNeed.objects.filter(code__in=["neglect", "housing"]))
    created = RequestFactory.create_batch(count, requested_by=user)
    for request in created:
        RequestPerson.objects.create(request=request, role="child", given_name="Mia")
        request.presenting_needs.set(needs)
    return created


@pytest.mark.parametrize("count", [2, 50])
def test_query_counts(client, api_client, practitioner, django_assert_max_num_queries, count):
    requests = _requests(practitioner, count)
    client.force_login(practitioner)
    api_client.force_authenticate(practitioner)
    # One query more than a list of own requests needs: the user's teams, for the requests
    # of families whose records are open to them.
    with django_assert_max_num_queries(11):
        assert client.get(reverse("referrals:request-list")).status_code == 200
    with django_assert_max_num_queries(13):
        response = client.get(reverse("referrals:request-detail", args=[requests[0].uuid]))
        assert response.status_code == 200
    with django_assert_max_num_queries(8):
        assert api_client.get("/api/requests/").status_code == 200
    with django_assert_max_num_queries(6):
        assert api_client.get(f"/api/requests/{requests[0].uuid}/").status_code == 200
