"""Bad input to the plan and review API and pages: wrong types, malformed dates and UUIDs,
nested bodies of the wrong shape answer 400 with the field named (API) or the error summary
with everything typed kept (pages); never a 500."""

import pytest

from tests.assessments.plan_helpers import built_agreed_plan, built_draft_plan
from tests.form_pages import shown_again_with_errors

pytestmark = pytest.mark.django_db

NOT_A_UUID = "not-a-uuid"


def _post(api_client, user, path, body):
    api_client.force_authenticate(user)
    return api_client.post(path, body, format="json")


def _assert_refused_with_errors(api_client, user, path, body):
    response = _post(api_client, user, path, body)
    assert response.status_code == 400, response.content
    assert response.json()["errors"]


@pytest.mark.parametrize(
    "body",
    [
        {"progress": "all good"},
        {"progress": [{"outcome": NOT_A_UUID, "rag": "green", "score": 5}]},
        {"progress": [{"outcome": None, "rag": 3, "score": "ten"}]},
        {"held_on": "31/02/2026"},
        {"attendees": [NOT_A_UUID]},
        {"attendees": "everyone"},
        {"decision": "step_up", "step_up": ["level 4"]},
        {"decision": "step_up", "step_up": {"to_level": NOT_A_UUID, "receiving_team": 7}},
        {"decision": "close", "closure": "yes"},
        {"next_review_on": 20270101},
        {"new_plan_version": "perhaps"},
    ],
)
def test_a_review_body_of_the_wrong_shape_is_a_400(api_client, place, body):
    plan = built_agreed_plan(place)
    full = {
        "plan": str(plan.uuid),
        "held_on": plan.agreed_on.isoformat(),
        "child_views": "ok",
        "family_views": "ok",
        "decision": "continue",
        "progress": [
            {"outcome": str(outcome.uuid), "rag": "green", "score": 5}
            for outcome in plan.outcomes.all()
        ],
        **body,
    }
    _assert_refused_with_errors(api_client, place.worker, "/api/reviews/", full)


@pytest.mark.parametrize(
    "body",
    [
        {"due_on": "tomorrow"},
        {"owner_user": NOT_A_UUID},
        {"owner_agency": 12},
        {"outcome": NOT_A_UUID},
        {"description": ["a", "list"]},
    ],
)
def test_an_action_body_of_the_wrong_shape_is_a_400(api_client, place, body):
    plan = built_draft_plan(place)
    full = {
        "plan": str(plan.uuid),
        "description": "Visit",
        "owner_name": "Mum",
        "due_on": plan.created_at.date().isoformat(),
        **body,
    }
    _assert_refused_with_errors(api_client, place.worker, "/api/plan-actions/", full)


@pytest.mark.parametrize(
    "body",
    [
        {"baseline": "three"},
        {"target": -1},
        {"people": NOT_A_UUID},
        {"people": [NOT_A_UUID]},
        {"area": None},
    ],
)
def test_an_outcome_body_of_the_wrong_shape_is_a_400(api_client, place, body):
    plan = built_draft_plan(place)
    mia = plan.episode.family.members.get(given_name="Mia")
    full = {
        "plan": str(plan.uuid),
        "description": "Calmer mornings",
        "people": [str(mia.uuid)],
        "need": "Routine",
        "area": "education",
        "baseline": 3,
        "target": 8,
        **body,
    }
    _assert_refused_with_errors(api_client, place.worker, "/api/plan-outcomes/", full)


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/plans/", {"episode": NOT_A_UUID}),
        ("/api/plans/", {}),
        ("/api/family-plans/", {"plan": NOT_A_UUID}),
        ("/api/family-plans/", {"plan": 5}),
    ],
)
def test_bad_references_are_a_400(api_client, place, path, body):
    response = _post(api_client, place.worker, path, body)
    assert response.status_code == 400, response.content


def test_a_stale_or_malformed_revision_is_refused(api_client, place):
    plan = built_draft_plan(place)
    api_client.force_authenticate(place.worker)
    response = api_client.patch(
        f"/api/plans/{plan.uuid}/", {"revision": "latest", "worries": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "revision" in response.json()["errors"]
    response = api_client.post(f"/api/plans/{plan.uuid}/agree/", {"agreed_on": "soon"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "data",
    [
        {"held_on-day": "31", "held_on-month": "2", "held_on-year": "2026"},
        {"decision": "retire"},
        {"attendees": [NOT_A_UUID]},
        {"to_level": NOT_A_UUID, "decision": "step_up"},
        {"receiving_team": "x", "decision": "step_up"},
        {"next_review_on-day": "x", "next_review_on-month": "y", "next_review_on-year": "z"},
    ],
)
def test_a_review_form_with_nonsense_shows_the_errors_and_keeps_the_words(client, place, data):
    plan = built_agreed_plan(place)
    client.force_login(place.worker)
    post = {
        "child_views": "Words the child said",
        "family_views": "Words the family said",
        **data,
    }
    for outcome in plan.outcomes.all():
        post[f"progress-{outcome.uuid}-rag"] = "purple"
        post[f"progress-{outcome.uuid}-score"] = "eleven"
    response = client.post(f"/plans/{plan.uuid}/review/", post)
    page = shown_again_with_errors(response)
    assert "Words the child said" in page and "Words the family said" in page


@pytest.mark.parametrize(
    "data",
    [
        {"owner_kind": "user", "owner_user": "999999"},
        {"owner_kind": "agency", "owner_agency": NOT_A_UUID},
        {"owner_kind": "martian"},
        {"outcome": "nope"},
        {"due_on-day": "1", "due_on-month": "13", "due_on-year": "2026"},
    ],
)
def test_an_action_form_with_nonsense_shows_the_errors_and_keeps_the_words(client, place, data):
    plan = built_draft_plan(place)
    client.force_login(place.worker)
    response = client.post(
        f"/plans/{plan.uuid}/actions/add/", {"description": "Walk to school together", **data}
    )
    page = shown_again_with_errors(response)
    assert "Walk to school together" in page
