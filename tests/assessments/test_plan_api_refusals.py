"""What the plan API refuses: a stale revision (409), bad outcomes, actions and reviews
(400 with field errors), and changes the plan's state does not allow."""

import pytest

from accounts.models import Role
from assessments.models import ActionStatus, Plan, PlanStatus, Review, SupportingFamiliesArea
from tests.assessments.plan_api_helpers import (
    TODAY,
    action_url,
    ok,
    outcome_url,
    plan_url,
    progress_on,
    refused,
    review_body,
)
from tests.assessments.plan_helpers import (
    approved_assessment,
    built_agreed_plan,
    built_draft_plan,
    family_of_three,
)
from tests.cases.episode_helpers import allocated_episode
from tests.factories import AgencyFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


# The revision check and bad input


def test_a_stale_revision_answers_409_with_the_plan_as_it_now_is(as_user, north):
    plan = built_draft_plan(north)
    client = as_user(north.worker)
    stale = plan.revision
    ok(client.patch(plan_url(plan), {"worries": "Theirs", "revision": stale}, format="json"))
    response = client.patch(plan_url(plan), {"worries": "Mine", "revision": stale}, format="json")
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "conflict"
    assert "since you opened it" in body["message"]
    assert body["plan"]["worries"] == "Theirs"
    assert body["plan"]["revision"] == stale + 1
    plan.refresh_from_db()
    assert plan.worries == "Theirs"


def test_a_patch_without_a_revision_is_a_field_error(as_user, north):
    plan = built_draft_plan(north)
    refused(
        as_user(north.worker).patch(plan_url(plan), {"worries": "x"}, format="json"),
        400,
        "revision",
    )


def test_bad_outcomes_answer_400_with_field_errors(as_user, north):
    plan = built_draft_plan(north)
    mia = plan.episode.family.members.get(given_name="Mia")
    client = as_user(north.worker)
    body = {
        "plan": str(plan.uuid),
        "description": "Calmer mornings",
        "people": [str(mia.uuid)],
        "need": "Routine",
        "area": SupportingFamiliesArea.HEALTH,
        "baseline": 11,
        "target": 8,
    }
    errors = refused(client.post("/api/plan-outcomes/", body, format="json"), 400, "baseline")
    assert errors["errors"]["baseline"] == [
        "Enter where things are now as a whole number from 0 to 10"
    ]
    errors = refused(
        client.post("/api/plan-outcomes/", {"plan": str(plan.uuid)}, format="json"), 400
    )
    assert {"description", "need", "area", "baseline", "target", "people"} <= set(errors["errors"])
    # Someone from another family is refused without saying they exist.
    stranger = family_of_three("Stranger").members.first()
    errors = refused(
        client.post(
            "/api/plan-outcomes/",
            {**body, "baseline": 3, "people": [str(stranger.uuid)]},
            format="json",
        ),
        400,
        "people",
    )
    assert plan.outcomes.count() == 1


def test_bad_actions_answer_400_with_field_errors(as_user, north):
    plan = built_draft_plan(north)
    client = as_user(north.worker)
    errors = refused(
        client.post("/api/plan-actions/", {"plan": str(plan.uuid)}, format="json"), 400
    )
    assert {"description", "owner_user", "due_on"} <= set(errors["errors"])
    unseen = UserFactory(roles=[Role.PARTNER_AGENCY_USER], teams=[TeamFactory()])
    body = {
        "plan": str(plan.uuid),
        "description": "Call school",
        "owner_user": str(unseen.uuid),
        "due_on": TODAY().isoformat(),
    }
    errors = refused(client.post("/api/plan-actions/", body, format="json"), 400, "owner_user")
    assert errors["errors"]["owner_user"] == [
        "Choose the lead professional, someone in the episode's team or a user in the TAF"
    ]
    agency = AgencyFactory()
    made = ok(
        client.post(
            "/api/plan-actions/",
            {**body, "owner_user": None, "owner_agency": str(agency.uuid), "owner_name": "Jo"},
            format="json",
        ),
        201,
    )
    assert made["owner"] == f"Jo, {agency.name}"
    assert made["owner_agency"] == {"uuid": str(agency.uuid), "name": agency.name}


def test_reviews_need_views_and_progress_on_every_outcome(as_user, north):
    plan = built_agreed_plan(north, outcomes=2)
    first, second = plan.outcomes.all()
    client = as_user(north.worker)
    body = review_body(plan, child_views="", progress=progress_on(plan)[:1])
    errors = refused(client.post("/api/reviews/", body, format="json"), 400, "child_views")
    assert errors["errors"]["child_views"] == [
        "Enter the child's views, or why they could not be gathered"
    ]
    assert list(errors["errors"]["progress"]) == [str(second.uuid)]
    bad_score = review_body(
        plan, progress=[{**progress_on(plan)[0], "score": 12}, progress_on(plan)[1]]
    )
    errors = refused(client.post("/api/reviews/", bad_score, format="json"), 400, "progress")
    assert list(errors["errors"]["progress"]) == [str(first.uuid)]
    assert not Review.objects.exists()


def test_reviews_of_a_draft_plan_are_refused(as_user, north):
    plan = built_draft_plan(north)
    body = refused(
        as_user(north.worker).post("/api/reviews/", review_body(plan), format="json"), 400
    )
    assert body["message"] == "Reviews are of the plan in force: agree the plan first"


def test_agreeing_needs_an_outcome(as_user, north):
    episode = allocated_episode(north, family=family_of_three())
    approved_assessment(north, episode)
    client = as_user(north.worker)
    plan = ok(client.post("/api/plans/", {"episode": str(episode.uuid)}, format="json"), 201)
    plan = Plan.objects.get(uuid=plan["uuid"])
    errors = refused(client.post(plan_url(plan, "agree"), {}, format="json"), 400)
    assert set(errors["errors"]) == {"family_words", "contingency"}
    ok(
        client.patch(
            plan_url(plan),
            {"family_words": "Yes", "contingency": "Meet again", "revision": 0},
            format="json",
        )
    )
    errors = refused(client.post(plan_url(plan, "agree"), {}, format="json"), 400)
    assert errors["message"] == "Add at least one outcome before agreeing the plan"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    # A second plan for the episode is refused.
    errors = refused(client.post("/api/plans/", {"episode": str(episode.uuid)}, format="json"), 400)
    assert errors["message"].startswith("This episode already has a plan")


def test_an_agreed_plan_refuses_outcome_and_action_changes(as_user, north):
    plan = built_agreed_plan(north)
    outcome, plan_action = plan.outcomes.get(), plan.actions.get()
    client = as_user(north.worker)
    message = "The plan is agreed: start a new version to change it"
    body = refused(
        client.patch(outcome_url(outcome), {"description": "Changed"}, format="json"), 400
    )
    assert body["message"] == message
    assert refused(client.delete(outcome_url(outcome)), 400)["message"] == message
    new_outcome = {
        "plan": str(plan.uuid),
        "description": "More",
        "people": [str(outcome.people.get().uuid)],
        "need": "More",
        "area": "health",
        "baseline": 1,
        "target": 2,
    }
    assert refused(client.post("/api/plan-outcomes/", new_outcome, format="json"), 400)
    assert refused(client.delete(action_url(plan_action)), 400)["message"] == message
    assert refused(client.patch(plan_url(plan), {"revision": 0}, format="json"), 400)
    outcome.refresh_from_db()
    assert outcome.description != "Changed" and plan.outcomes.count() == 1
    assert plan.actions.count() == 1

    new = ok(client.post(plan_url(plan, "new-version")), 201)
    assert new["version"] == 2 and new["status"] == "draft"
    assert new["previous"] == str(plan.uuid)
    assert Plan.objects.filter(episode=plan.episode).count() == 2


def test_a_draft_outcome_and_action_change_and_go(as_user, north):
    plan = built_draft_plan(north)
    outcome, plan_action = plan.outcomes.get(), plan.actions.get()
    client = as_user(north.worker)
    changed = ok(client.patch(outcome_url(outcome), {"target": 9}, format="json"))
    assert changed["target"] == 9 and changed["description"] == outcome.description
    replaced = ok(
        client.put(
            outcome_url(outcome),
            {
                "description": "Calmer mornings",
                "people": [str(p.uuid) for p in plan.episode.family.members.all()],
                "need": "Routine",
                "area": "family_relationships",
                "baseline": 2,
                "target": 7,
            },
            format="json",
        )
    )
    assert len(replaced["people"]) == 3
    outcome.refresh_from_db()
    assert (outcome.description, outcome.baseline, outcome.target) == ("Calmer mornings", 2, 7)
    # A PUT leaving fields out blanks them, which the service refuses.
    refused(client.put(outcome_url(outcome), {"target": 9}, format="json"), 400, "description")

    moved = ok(client.patch(action_url(plan_action), {"owner_name": "Grace"}, format="json"))
    assert moved["owner_name"] == "Grace" and moved["owner_user"]["uuid"] == str(north.worker.uuid)
    assert (
        refused(
            client.post(action_url(plan_action, "status"), {"status": "done"}, format="json"), 400
        )["message"]
        == "Actions are worked once the plan is agreed"
    )
    assert client.delete(action_url(plan_action)).status_code == 204
    assert client.delete(outcome_url(outcome)).status_code == 204
    assert not plan.outcomes.exists() and not plan.actions.exists()


def test_only_the_owner_or_lead_professional_sets_an_action_status(as_user, north):
    plan = built_agreed_plan(north)
    plan_action = plan.actions.get()
    # The colleague may read the action but does not own it.
    body = refused(
        as_user(north.colleague).post(
            action_url(plan_action, "status"), {"status": "done"}, format="json"
        ),
        403,
    )
    assert body["message"] == "Only the action's owner or the lead professional can do this"
    refused(
        as_user(north.worker).post(
            action_url(plan_action, "status"), {"status": "finished"}, format="json"
        ),
        400,
        "status",
    )
    plan_action.refresh_from_db()
    assert plan_action.status == ActionStatus.NOT_STARTED
