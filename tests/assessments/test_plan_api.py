"""The TAF plan API: plans, outcomes, actions and reviews through `/api/`, from a draft plan
to a review that continues, steps up or closes."""

import datetime

import pytest

from assessments.models import (
    ActionStatus,
    Plan,
    PlanAction,
    PlanOutcome,
    PlanStatus,
    Review,
    ReviewDecision,
    ReviewProgress,
    SupportingFamiliesArea,
)
from audit.models import AuditAction, AuditEvent
from cases.episodes import services as episode_services
from cases.models import ClosureReason, EpisodeStatus
from cases.transitions.models import Transition, TransitionStatus
from tests.assessments.plan_api_helpers import TODAY, action_url, ok, plan_url, refused, review_body
from tests.assessments.plan_helpers import agreed_plan, approved_assessment, family_of_three
from tests.cases.episode_helpers import allocated_episode, level

pytestmark = pytest.mark.django_db


# The whole flow


def test_plan_outcome_action_agree_work_and_review_through_the_api(as_user, north):
    family = family_of_three()
    episode = allocated_episode(north, family=family)
    approved_assessment(north, episode)
    member = episode_services.taf_member_add(
        by=north.worker, episode=episode, user=north.colleague, role="Family support"
    )
    client = as_user(north.worker)

    created = ok(client.post("/api/plans/", {"episode": str(episode.uuid)}, format="json"), 201)
    plan = Plan.objects.get(uuid=created["uuid"])
    assert plan.episode == episode and plan.status == PlanStatus.DRAFT
    assert created["worries"] == "Mornings are chaotic and the children miss school."
    assert created["is_editable"] and created["revision"] == 0
    assert [m["uuid"] for m in created["taf_members"]] == [str(member.uuid)]
    assert created["taf_members"][0]["role"] == "Family support"

    patched = ok(
        client.patch(
            plan_url(plan),
            {
                "family_words": "We want calmer mornings.",
                "contingency": "We meet again sooner.",
                "revision": 0,
            },
            format="json",
        )
    )
    assert patched["revision"] == 1
    plan.refresh_from_db()
    assert plan.family_words == "We want calmer mornings."
    assert plan.worries == "Mornings are chaotic and the children miss school."

    mia = family.members.get(given_name="Mia")
    outcome_body = ok(
        client.post(
            "/api/plan-outcomes/",
            {
                "plan": str(plan.uuid),
                "description": "Mia gets to school on time",
                "people": [str(mia.uuid)],
                "need": "School attendance",
                "area": SupportingFamiliesArea.EDUCATION,
                "baseline": 3,
                "target": 8,
            },
            format="json",
        ),
        201,
    )
    outcome = PlanOutcome.objects.get(uuid=outcome_body["uuid"])
    assert outcome.plan == plan and list(outcome.people.all()) == [mia]
    assert outcome_body["area_display"] == "Getting a good education"
    assert outcome_body["people"][0]["full_name"] == mia.full_name

    action_body = ok(
        client.post(
            "/api/plan-actions/",
            {
                "plan": str(plan.uuid),
                "outcome": str(outcome.uuid),
                "description": "Morning routine chart",
                "owner_user": str(north.colleague.uuid),
                "due_on": (TODAY() + datetime.timedelta(days=14)).isoformat(),
            },
            format="json",
        ),
        201,
    )
    plan_action = PlanAction.objects.get(uuid=action_body["uuid"])
    assert plan_action.owner_user == north.colleague and plan_action.outcome == outcome
    assert action_body["owner"] == north.colleague.get_full_name()
    assert action_body["outcome"] == str(outcome.uuid)

    agreed = ok(client.post(plan_url(plan, "agree"), {}, format="json"))
    assert agreed["status"] == "agreed" and not agreed["is_editable"]
    assert agreed["agreed_by"]["uuid"] == str(north.worker.uuid)
    assert agreed["next_review_on"] is not None
    assert [a["uuid"] for a in agreed["actions"]] == [str(plan_action.uuid)]
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.PLAN_IN_PLACE

    # The action's owner says it is done.
    done = ok(
        as_user(north.colleague).post(
            action_url(plan_action, "status"), {"status": "done"}, format="json"
        )
    )
    assert done["status"] == "done" and done["status_changed_by"]["uuid"] == str(
        north.colleague.uuid
    )
    plan_action.refresh_from_db()
    assert plan_action.status == ActionStatus.DONE

    reviewed = ok(
        as_user(north.worker).post(
            "/api/reviews/",
            review_body(
                plan,
                attendees=[str(member.uuid)],
                progress=[
                    {"outcome": str(outcome.uuid), "rag": "green", "score": 7, "comment": "Good"}
                ],
                new_plan_version=True,
            ),
            format="json",
        ),
        201,
    )
    review = Review.objects.get(uuid=reviewed["uuid"])
    assert review.plan == plan and list(review.attendees.all()) == [member]
    assert ReviewProgress.objects.get(review=review).score == 7
    assert reviewed["progress"] == [
        {
            "outcome": str(outcome.uuid),
            "outcome_description": "Mia gets to school on time",
            "rag": "green",
            "rag_display": "Green: on track or achieved",
            "score": 7,
            "comment": "Good",
            "baseline": 3,
            "target": 8,
        }
    ]
    assert reviewed["held_on_time"] and reviewed["decision_display"] == "Continue with the plan"
    new = Plan.objects.get(episode=episode, version=2)
    assert new.status == PlanStatus.DRAFT and new.from_review == review
    assert reviewed["new_plan"] == str(new.uuid)

    detail = ok(client.get(plan_url(new)))
    assert detail["previous"] == str(plan.uuid) and detail["from_review"] == str(review.uuid)
    assert [o["lineage"] for o in detail["outcomes"]] == [str(outcome.lineage)]
    # Changes are audited on the plan.
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.CHANGE, object_type="assessments.plan", object_id=str(plan.pk)
        ).count()
        >= 4
    )
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="assessments.review", object_id=str(review.pk)
    ).exists()


def test_a_review_that_asks_for_a_step_up_makes_a_transition(as_user, north):
    plan = agreed_plan(north)
    body = review_body(
        plan,
        decision=ReviewDecision.STEP_UP,
        decision_reason="Significant harm",
        step_up={
            "to_level": str(level(4).uuid),
            "receiving_team": str(north.social_care_team.uuid),
            "evidence": "Police report",
        },
    )
    reviewed = ok(as_user(north.worker).post("/api/reviews/", body, format="json"), 201)
    transition = Transition.objects.get(episode=plan.episode)
    assert transition.status == TransitionStatus.REQUESTED
    assert transition.receiving_team == north.social_care_team
    assert reviewed["transition"] == str(transition.uuid)
    assert Review.objects.get(uuid=reviewed["uuid"]).transition == transition


def test_a_step_up_review_names_the_missing_step_up_fields(as_user, north):
    plan = agreed_plan(north)
    body = review_body(plan, decision=ReviewDecision.STEP_UP)
    errors = refused(as_user(north.worker).post("/api/reviews/", body, format="json"), 400)
    assert set(errors["errors"]["step_up"]) == {"to_level", "receiving_team"}
    assert "decision_reason" in errors["errors"]
    not_a_team = {"to_level": str(level(4).uuid), "receiving_team": str(plan.uuid)}
    errors = refused(
        as_user(north.worker).post("/api/reviews/", {**body, "step_up": not_a_team}, format="json"),
        400,
    )
    assert errors["errors"]["step_up"]["receiving_team"] == ["Choose a children's social care team"]
    assert not Review.objects.exists() and not Transition.objects.exists()


def test_a_review_that_closes_asks_for_the_closure(as_user, north):
    plan = agreed_plan(north)
    body = review_body(
        plan,
        decision=ReviewDecision.CLOSE,
        closure={
            "reason": ClosureReason.OUTCOMES_ACHIEVED,
            "summary": "Mia is at school every day.",
            "outcomes_achieved": "yes",
        },
    )
    ok(as_user(north.worker).post("/api/reviews/", body, format="json"), 201)
    episode = plan.episode
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSING
    assert episode.closure_reason == ClosureReason.OUTCOMES_ACHIEVED
    assert episode.family_feedback == "Mornings are calmer."

    missing = review_body(plan, decision=ReviewDecision.CLOSE, closure={"reason": "stepped_up"})
    errors = refused(as_user(north.worker).post("/api/reviews/", missing, format="json"), 400)
    assert errors["message"] == "The episode is closing: it is not reviewed now"


def test_a_close_review_names_the_missing_closure_fields(as_user, north):
    plan = agreed_plan(north)
    body = review_body(plan, decision=ReviewDecision.CLOSE, closure={"reason": "stepped_up"})
    errors = refused(as_user(north.worker).post("/api/reviews/", body, format="json"), 400)
    assert set(errors["errors"]["closure"]) == {"reason", "summary", "outcomes_achieved"}
