"""The people search API: what it shows an outsider and a case worker, and its field errors."""

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from tests.cases.case_api_helpers import NHS_NUMBER

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
