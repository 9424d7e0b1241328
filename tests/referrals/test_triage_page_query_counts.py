"""The triage pages' query counts do not grow with requests."""

import pytest
from django.urls import reverse

from accounts.models import Role
from referrals.screening import services as screening_services
from tests.factories import AgencyFactory, SubmittedRequestFactory, UserFactory
from tests.referrals.triage_page_helpers import decide_data, screened, screening_url, submit

pytestmark = pytest.mark.django_db


# Queries: the same bound at 2 rows and at 50


@pytest.mark.parametrize("count", [2, 50])
def test_queue_queries(officer_client, practitioner, django_assert_max_num_queries, count):
    SubmittedRequestFactory.create_batch(
        count, requested_by=practitioner, concerns="Mia is often hungry.", urgency="routine"
    )
    with django_assert_max_num_queries(QUEUE_QUERIES):
        response = officer_client.get(reverse("referrals:triage-queue"))
    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [2, 50])
def test_screening_queries(
    officer_client, triage_officer, practitioner, django_assert_max_num_queries, count
):
    item = submit(practitioner)
    agency = AgencyFactory()
    for n in range(count):
        screening_services.screening_check_add(
            by=triage_officer, request=item, agency=agency, question=f"Question {n}"
        )
    with django_assert_max_num_queries(SCREENING_QUERIES):
        response = officer_client.get(screening_url(item))
    assert len(response.context["check_rows"]) == count


@pytest.mark.parametrize("count", [2, 50])
def test_decision_queries(
    officer_client, triage_officer, practitioner, team, django_assert_max_num_queries, count
):
    item = screened(practitioner, triage_officer, team)
    for n in range(count):
        screening_services.screening_check_add(
            by=triage_officer, request=item, agency_name="Police", question=f"Question {n}"
        )
    with django_assert_max_num_queries(DECIDE_QUERIES):
        assert officer_client.get(screening_url(item, "decide")).status_code == 200
    officer_client.post(screening_url(item, "decide"), decide_data())
    with django_assert_max_num_queries(DECISION_QUERIES):
        assert officer_client.get(screening_url(item, "decision")).status_code == 200


QUEUE_QUERIES = 16
SCREENING_QUERIES = 33
DECIDE_QUERIES = 22
DECISION_QUERIES = 15


@pytest.mark.parametrize("count", [2, 50])
def test_assign_page_queries(
    officer_client, practitioner, team, django_assert_max_num_queries, count
):
    item = submit(practitioner)
    for _ in range(count):
        UserFactory(roles=[Role.TRIAGE_OFFICER], teams=[team])
    with django_assert_max_num_queries(12):
        response = officer_client.get(screening_url(item, "assign"))
    assert response.content.decode().count('name="assigned_to"') == count + 1


@pytest.mark.parametrize("count", [2, 50])
def test_withdraw_page_queries(client, practitioner, django_assert_max_num_queries, count):
    people = [{"role": "child", "given_name": f"Child{n}"} for n in range(count)]
    item = submit(practitioner, people=people)
    client.force_login(practitioner)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("referrals:request-withdraw", args=[item.uuid]))
    assert response.status_code == 200
