"""Who may see and change a plan through the API, and the audit of its reads."""

import pytest

from assessments.models import Plan, Review
from audit.models import AuditAction, AuditEvent
from tests.assessments.plan_api_helpers import (
    action_url,
    ok,
    outcome_url,
    plan_url,
    refused,
    review_body,
    review_url,
)
from tests.assessments.plan_helpers import built_agreed_plan

pytestmark = pytest.mark.django_db


# Who may see and change


def _records(place, as_user):
    plan = built_agreed_plan(place)
    made = ok(as_user(place.worker).post("/api/reviews/", review_body(plan), format="json"), 201)
    return plan, plan.outcomes.get(), plan.actions.get(), Review.objects.get(uuid=made["uuid"])


def test_an_outsider_gets_404_and_empty_lists(as_user, north, outsider):
    plan, outcome, plan_action, review = _records(north, as_user)
    client = as_user(outsider)
    for url in (plan_url(plan), outcome_url(outcome), action_url(plan_action), review_url(review)):
        refused(client.get(url), 404)
    for url in ("/api/plans/", "/api/plan-outcomes/", "/api/plan-actions/", "/api/reviews/"):
        assert ok(client.get(url))["results"] == [], url
    refused(client.get("/api/plan-actions/", {"plan": str(plan.uuid)}), 400, "plan")
    refused(client.get("/api/reviews/", {"episode": str(plan.episode.uuid)}), 400, "episode")
    refused(client.post(plan_url(plan, "new-version")), 404)
    refused(client.post(action_url(plan_action, "status"), {"status": "done"}, format="json"), 404)
    # Naming the plan in a body does not say it exists.
    errors = refused(client.post("/api/reviews/", review_body(plan), format="json"), 400, "plan")
    assert errors["errors"]["plan"] == ["Choose a plan"]
    assert Review.objects.count() == 1


def test_a_colleague_in_the_team_reads_but_does_not_change(as_user, north):
    plan, outcome, plan_action, review = _records(north, as_user)
    client = as_user(north.colleague)
    assert ok(client.get(plan_url(plan)))["uuid"] == str(plan.uuid)
    assert ok(client.get(outcome_url(outcome)))["plan"] == str(plan.uuid)
    assert ok(client.get(action_url(plan_action)))["outcome"] == str(outcome.uuid)
    assert ok(client.get(review_url(review)))["plan"] == str(plan.uuid)
    listed = ok(client.get("/api/plans/", {"episode": str(plan.episode.uuid)}))
    assert [row["uuid"] for row in listed["results"]] == [str(plan.uuid)]
    assert ok(client.get("/api/plans/", {"status": "draft"}))["results"] == []
    assert [
        r["uuid"] for r in ok(client.get("/api/reviews/", {"plan": str(plan.uuid)}))["results"]
    ] == [str(review.uuid)]
    assert ok(client.get("/api/plan-actions/", {"status": "done"}))["results"] == []
    refused(client.post(plan_url(plan, "new-version")), 403)
    refused(client.post("/api/reviews/", review_body(plan), format="json"), 403)
    assert Plan.objects.count() == 1 and Review.objects.count() == 1


def test_reads_are_audited(as_user, north):
    plan, outcome, plan_action, review = _records(north, as_user)
    client = as_user(north.colleague)
    for url, obj in (
        (plan_url(plan), plan),
        (outcome_url(outcome), outcome),
        (action_url(plan_action), plan_action),
        (review_url(review), review),
    ):
        ok(client.get(url))
        assert AuditEvent.objects.filter(
            action=AuditAction.VIEW,
            actor=north.colleague,
            object_type=f"assessments.{type(obj).__name__.lower()}",
            object_id=str(obj.pk),
        ).exists(), url
    for url, model in (
        ("/api/plans/", "plan"),
        ("/api/plan-outcomes/", "planoutcome"),
        ("/api/plan-actions/", "planaction"),
        ("/api/reviews/", "review"),
    ):
        ok(client.get(url))
        assert AuditEvent.objects.filter(
            action=AuditAction.LIST, actor=north.colleague, object_type=f"assessments.{model}"
        ).exists(), url
