"""The plan pages' query counts do not grow with outcomes, actions and reviews."""

import datetime

import pytest
from django.utils import timezone

from assessments.models import PlanAction, PlanOutcome, Review, ReviewProgress
from assessments.plans import services as plan_services
from cases.models import TafMember
from tests.assessments.plan_helpers import family_of_three, url
from tests.conftest import client_for
from tests.factories import AgencyFactory, AgreedPlanFactory, led_in

pytestmark = pytest.mark.django_db


# Query counts


def _with_size(place, size):
    plan = AgreedPlanFactory(
        outcomes=2,
        episode__family=family_of_three(),
        **led_in(place, "episode__"),
    )
    outcome = plan.outcomes.first()
    people = list(outcome.people.all())
    extra = PlanOutcome.objects.bulk_create(
        PlanOutcome(
            plan=plan,
            position=10 + n,
            description=f"Outcome {n}",
            need="Need",
            area="education",
            baseline=2,
            target=8,
        )
        for n in range(size - 2)
    )
    PlanOutcome.people.through.objects.bulk_create(
        PlanOutcome.people.through(planoutcome_id=o.pk, person_id=people[0].pk) for o in extra
    )
    PlanAction.objects.bulk_create(
        PlanAction(
            plan=plan,
            outcome=o,
            position=10 + n,
            description=f"Action {n}",
            owner_agency=AgencyFactory(),
            owner_name="Ms Jones",
            due_on=timezone.localdate() - datetime.timedelta(days=1),
        )
        for n, o in enumerate(extra)
    )
    school = AgencyFactory()
    TafMember.objects.bulk_create(
        TafMember(episode=plan.episode, agency=school, contact_name=f"C {n}", role="R")
        for n in range(size)
    )
    return plan


def _reviews(plan, place, count):
    reviews = Review.objects.bulk_create(
        Review(
            episode=plan.episode,
            plan=plan,
            held_on=timezone.localdate() - datetime.timedelta(days=count - n),
            due_on=timezone.localdate(),
            child_views="v",
            family_views="v",
            decision="continue",
            next_review_on=timezone.localdate() + datetime.timedelta(days=30),
        )
        for n in range(count)
    )
    return reviews


@pytest.mark.parametrize("size", [2, 50])
def test_plan_page_query_count(client, django_assert_max_num_queries, place, size):
    plan = _with_size(place, size)
    _reviews(plan, place, size)
    client = client_for(client, place.worker)
    with django_assert_max_num_queries(18):
        response = client.get(url("detail", plan.uuid))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="govuk-summary-card__title"') == size
    assert page.count(f"/plans/{plan.uuid}/actions/") == size  # a status form per action
    assert len(response.context["reviews"]) == size


@pytest.mark.parametrize("size", [2, 50])
def test_review_page_query_count(client, django_assert_max_num_queries, place, size):
    plan = _with_size(place, size)
    review = _reviews(plan, place, 1)[0]
    ReviewProgress.objects.bulk_create(
        ReviewProgress(review=review, outcome=o, rag="amber", score=5) for o in plan.outcomes.all()
    )
    review.attendees.set(plan.episode.taf_members.all())
    client = client_for(client, place.worker)
    with django_assert_max_num_queries(13):
        response = client.get(url("review-detail", review.uuid))
    assert response.status_code == 200
    assert len(response.context["rows"]) == size
    assert response.content.decode().count("Amber: some progress") == size


@pytest.mark.parametrize("size", [2, 50])
def test_review_form_query_count(client, django_assert_max_num_queries, place, size):
    plan = _with_size(place, size)
    client = client_for(client, place.worker)
    with django_assert_max_num_queries(14):
        response = client.get(url("review-record", plan.uuid))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('value="amber"') == size
    assert page.count("C 1") >= 1


@pytest.mark.parametrize("size", [2, 50])
def test_draft_form_pages_query_count(client, django_assert_max_num_queries, place, size):
    # A new version of a plan with `size` outcomes and actions: the action form lists the
    # outcomes to choose from, the outcome form the household.
    draft = plan_services.plan_new_version(by=place.worker, plan=_with_size(place, size))
    client = client_for(client, place.worker)
    for name in ("edit", "outcome-add", "action-add"):
        with django_assert_max_num_queries(13):
            response = client.get(url(name, draft.uuid))
        assert response.status_code == 200, name
    assert response.content.decode().count("Outcome ") >= size - 2
