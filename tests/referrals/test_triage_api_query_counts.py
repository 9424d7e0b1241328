"""The triage API's query counts do not grow with rows."""

import datetime

import pytest
from django.utils import timezone

from cases.models import Episode, EpisodeStatus
from referrals.screening import services as screening_services
from tests.factories import (
    AgencyFactory,
    FamilyFactory,
    PersonFactory,
    RequestInScreeningFactory,
    TeamFactory,
)
from tests.referrals.screening_api_helpers import child_of, taf_payload, url
from tests.referrals.screening_helpers import indicators_at, level, submit_request

pytestmark = pytest.mark.django_db


# Queries


def _matched_requests(count, practitioner, officer, team):
    """`count` open requests, each with a matched child in its own household (so screening
    and known_to have something to show), a check and indicators."""
    return [
        RequestInScreeningFactory(
            requested_by=practitioner,
            urgency=["urgent", "soon", "routine"][index % 3],
            assigned_to=officer,
            matched=PersonFactory(families=[FamilyFactory(owning_team=team)], owning_team=team),
        )
        for index in range(count)
    ]


@pytest.mark.parametrize("rows", [2, 50])
def test_queue_queries_do_not_grow_with_rows(
    as_user, django_assert_max_num_queries, team, triage_officer, practitioner, rows
):
    _matched_requests(rows, practitioner, triage_officer, team)
    client = as_user(triage_officer)
    with django_assert_max_num_queries(8):
        response = client.get("/api/triage-queue/", {"page_size": 100})
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [2, 50])
def test_screening_queries_do_not_grow_with_rows(
    as_user, django_assert_max_num_queries, team, triage_officer, practitioner, rows
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
    client = as_user(triage_officer)
    with django_assert_max_num_queries(12):
        response = client.get(url(request, "screening"))
    assert response.status_code == 200
    body = response.json()
    assert len(body["people"]) == rows
    assert len(body["checks"]) == rows
    assert body["is_re_referral"] is True


@pytest.mark.parametrize("rows", [2, 50])
def test_decision_queries_do_not_grow_with_rows(
    as_user, django_assert_max_num_queries, triage_officer, request_for_support, family, rows
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
    client = as_user(triage_officer)
    assert client.post(url(request_for_support, "decision"), taf_payload()).status_code == 201
    with django_assert_max_num_queries(10):
        response = client.get(url(request_for_support, "decision"))
    assert response.status_code == 200
    assert len(response.json()["indicators"]) == len(chosen)


@pytest.mark.parametrize("rows", [2, 50])
def test_candidates_queries_do_not_grow_with_matching_records(
    as_user, django_assert_max_num_queries, team, triage_officer, practitioner, rows
):
    for _ in range(rows):
        PersonFactory(given_name="Mia", family_name="Okafor", owning_team=TeamFactory())
    request = submit_request(
        practitioner, people=[{"role": "child", "given_name": "Mia", "family_name": "Okafor"}]
    )
    client = as_user(triage_officer)
    # Measured: 16 queries with 2 matching records, 14 with 50 (search work, not per record).
    with django_assert_max_num_queries(16):
        response = client.get(url(request, "candidates"))
    assert response.status_code == 200
    assert len(response.json()[0]["candidates"]) == rows


@pytest.mark.parametrize("rows", [2, 50])
def test_checks_list_queries_do_not_grow_with_rows(
    api_client, django_assert_max_num_queries, triage_officer, request_for_support, rows
):
    agency = AgencyFactory()
    for n in range(rows):
        screening_services.screening_check_add(
            by=triage_officer, request=request_for_support, agency=agency, question=f"Q{n}"
        )
    # Signed in as the very object that added the checks, as when this budget was set: a
    # fresh copy of the officer (as_user) takes one query more.
    api_client.force_authenticate(triage_officer)
    client = api_client
    with django_assert_max_num_queries(7):
        response = client.get(url(request_for_support, "checks"))
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"] if isinstance(body, dict) else body) == rows
