"""The plan API's schema, and query counts that do not grow with rows."""

import datetime

import pytest

from assessments.models import (
    Plan,
    PlanAction,
    PlanOutcome,
    Review,
    ReviewDecision,
    ReviewProgress,
    SupportingFamiliesArea,
)
from cases.models import TafMember
from tests.assessments.plan_api_helpers import (
    TODAY,
    action_url,
    ok,
    outcome_url,
    plan_url,
    review_url,
)
from tests.assessments.plan_helpers import built_agreed_plan, built_draft_plan
from tests.factories import AgencyFactory, EpisodeAwaitingAllocationFactory, FamilyFactory

pytestmark = pytest.mark.django_db


def test_the_schema_documents_the_plan_endpoints(as_user, north):
    paths = ok(as_user(north.worker).get("/api/schema/", {"format": "json"}))["paths"]
    for path in [
        "/api/plans/",
        "/api/plans/{uuid}/agree/",
        "/api/plans/{uuid}/new-version/",
        "/api/plan-outcomes/{uuid}/",
        "/api/plan-actions/{uuid}/status/",
        "/api/reviews/",
    ]:
        assert path in paths, path
    assert "put" not in paths["/api/reviews/{uuid}/"]
    assert "delete" not in paths["/api/reviews/{uuid}/"]


# Queries do not grow with the rows


def _more_outcomes(plan, rows, *, actions=True):
    """`rows` outcomes for Mia on the plan, each with an action, made in a few queries."""
    mia = plan.episode.family.members.get(given_name="Mia")
    agency = AgencyFactory()
    PlanOutcome.objects.bulk_create(
        PlanOutcome(
            plan=plan,
            position=100 + number,
            description=f"Outcome {number}",
            need="Need",
            area=SupportingFamiliesArea.HEALTH,
            baseline=2,
            target=8,
        )
        for number in range(rows)
    )
    outcomes = list(plan.outcomes.filter(position__gte=100))
    PlanOutcome.people.through.objects.bulk_create(
        PlanOutcome.people.through(planoutcome=outcome, person=mia) for outcome in outcomes
    )
    if actions:
        PlanAction.objects.bulk_create(
            PlanAction(
                plan=plan,
                outcome=outcome,
                position=100 + number,
                description=f"Action {number}",
                owner_user=plan.created_by,
                owner_name="" if number % 2 else "Named contact",
                due_on=TODAY(),
            )
            for number, outcome in enumerate(outcomes)
        )
        PlanAction.objects.bulk_create(
            PlanAction(plan=plan, description="Agency", owner_agency=agency, due_on=TODAY())
            for _ in range(2)
        )
    return outcomes


def _more_reviews(place, plan, rows):
    member = TafMember.objects.create(
        episode=plan.episode, agency=AgencyFactory(), contact_name="Jo", role="School"
    )
    outcome = plan.outcomes.first()
    Review.objects.bulk_create(
        Review(
            episode=plan.episode,
            plan=plan,
            held_on=TODAY(),
            due_on=TODAY(),
            child_views="Fine",
            family_views="Fine",
            decision=ReviewDecision.CONTINUE,
            next_review_on=TODAY() + datetime.timedelta(weeks=6),
            created_by=place.worker,
        )
        for _ in range(rows)
    )
    made = list(Review.objects.filter(plan=plan))
    Review.attendees.through.objects.bulk_create(
        Review.attendees.through(review=review, tafmember=member) for review in made
    )
    ReviewProgress.objects.bulk_create(
        ReviewProgress(review=review, outcome=outcome, rag="amber", score=5) for review in made
    )
    return made


def world_plan_list(place, rows):
    built_draft_plan(place)
    for _ in range(rows - 1):
        episode = EpisodeAwaitingAllocationFactory(family=FamilyFactory(owning_team=place.team))
        Plan.objects.create(episode=episode, created_by=place.worker)
    return "/api/plans/", rows


def world_plan_detail(place, rows):
    plan = built_agreed_plan(place)
    _more_outcomes(plan, rows)
    TafMember.objects.bulk_create(
        TafMember(episode=plan.episode, agency=AgencyFactory(), contact_name=f"C{n}", role="R")
        for n in range(min(rows, 5))
    )
    return plan_url(plan), None


def world_outcome_list(place, rows):
    plan = built_draft_plan(place)
    _more_outcomes(plan, rows, actions=False)
    return "/api/plan-outcomes/", min(rows + 1, 50)


def world_outcome_detail(place, rows):
    plan = built_draft_plan(place)
    _more_outcomes(plan, rows)
    return outcome_url(plan.outcomes.first()), None


def world_action_list(place, rows):
    plan = built_draft_plan(place)
    _more_outcomes(plan, rows)
    return "/api/plan-actions/", min(rows + 3, 50)


def world_action_detail(place, rows):
    plan = built_draft_plan(place)
    _more_outcomes(plan, rows)
    return action_url(plan.actions.last()), None


def world_review_list(place, rows):
    plan = built_agreed_plan(place)
    _more_reviews(place, plan, rows)
    return "/api/reviews/", rows


def world_review_detail(place, rows):
    plan = built_agreed_plan(place)
    (review,) = _more_reviews(place, plan, 1)
    outcomes = _more_outcomes(plan, rows, actions=False)
    ReviewProgress.objects.bulk_create(
        ReviewProgress(review=review, outcome=outcome, rag="green", score=6) for outcome in outcomes
    )
    return review_url(review), None


# The queries each request makes (the client is authenticated without a session): the
# access policy's teams, the rows and each prefetch, the audit event, and the page's count.
QUERY_BUDGETS = {
    world_plan_list: 8,
    world_plan_detail: 10,
    world_outcome_list: 8,
    world_outcome_detail: 7,
    world_action_list: 7,
    world_action_detail: 6,
    world_review_list: 10,
    world_review_detail: 9,
}


@pytest.mark.parametrize("rows", [2, 50])
@pytest.mark.parametrize("world", list(QUERY_BUDGETS), ids=lambda world: world.__name__)
def test_the_query_count_does_not_grow(as_user, north, django_assert_max_num_queries, world, rows):
    url, expected = world(north, rows)
    client = as_user(north.worker)
    with django_assert_max_num_queries(QUERY_BUDGETS[world]):
        body = ok(client.get(url))
    if expected is not None:
        assert len(body["results"]) == expected
    if world is world_plan_detail:
        assert len(body["outcomes"]) == rows + 1
        assert len(body["taf_members"]) == min(rows, 5)
    if world is world_review_detail:
        assert len(body["progress"]) == rows + 1
