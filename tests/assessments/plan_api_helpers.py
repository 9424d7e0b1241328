"""URLs, request bodies and response checks shared by the plan API tests."""

from django.utils import timezone

from assessments.models import ReviewDecision

TODAY = timezone.localdate


def plan_url(plan, step=""):
    return f"/api/plans/{plan.uuid}/" + (f"{step}/" if step else "")


def outcome_url(outcome):
    return f"/api/plan-outcomes/{outcome.uuid}/"


def action_url(plan_action, step=""):
    return f"/api/plan-actions/{plan_action.uuid}/" + (f"{step}/" if step else "")


def review_url(review):
    return f"/api/reviews/{review.uuid}/"


def ok(response, code=200):
    assert response.status_code == code, response.content
    return response.json() if response.content else None


def refused(response, code, field=None):
    assert response.status_code == code, response.content
    body = response.json()
    assert body["status"] == code
    if field:
        assert field in body["errors"], body
    return body


def progress_on(plan, rag="amber", score=5):
    return [
        {"outcome": str(outcome.uuid), "rag": rag, "score": score}
        for outcome in plan.outcomes.all()
    ]


def review_body(plan, **overrides):
    return {
        "plan": str(plan.uuid),
        "held_on": TODAY().isoformat(),
        "child_views": "I like the chart on the fridge.",
        "family_views": "Mornings are calmer.",
        "progress": progress_on(plan),
        "decision": ReviewDecision.CONTINUE,
        **overrides,
    }
