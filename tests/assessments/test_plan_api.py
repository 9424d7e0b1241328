"""The TAF plan API: plans, outcomes, actions and reviews through `/api/`, under the access
policy (404 for an outsider, reads for a colleague), the revision check (409), the error
bodies of bad input, the audit of reads and changes, and query counts that do not grow."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
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
from cases.models import ClosureReason, EpisodeStatus, TafMember
from cases.transitions.models import Transition, TransitionStatus
from tests.assessments.plan_helpers import (
    agreed_plan,
    approved_assessment,
    draft_plan,
    family_of_three,
)
from tests.cases.episode_helpers import allocated_episode, level, new_episode
from tests.factories import AgencyFactory, FamilyFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

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


# The revision check and bad input


def test_a_stale_revision_answers_409_with_the_plan_as_it_now_is(as_user, north):
    plan = draft_plan(north)
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
    plan = draft_plan(north)
    refused(
        as_user(north.worker).patch(plan_url(plan), {"worries": "x"}, format="json"),
        400,
        "revision",
    )


def test_bad_outcomes_answer_400_with_field_errors(as_user, north):
    plan = draft_plan(north)
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
    plan = draft_plan(north)
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
    plan = agreed_plan(north, outcomes=2)
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
    plan = draft_plan(north)
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
    plan = agreed_plan(north)
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
    plan = draft_plan(north)
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
    plan = agreed_plan(north)
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


# Who may see and change


def _records(place, as_user):
    plan = agreed_plan(place)
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
    draft_plan(place)
    for _ in range(rows - 1):
        episode = new_episode(place, family=FamilyFactory(owning_team=place.team))
        Plan.objects.create(episode=episode, created_by=place.worker)
    return "/api/plans/", rows


def world_plan_detail(place, rows):
    plan = agreed_plan(place)
    _more_outcomes(plan, rows)
    TafMember.objects.bulk_create(
        TafMember(episode=plan.episode, agency=AgencyFactory(), contact_name=f"C{n}", role="R")
        for n in range(min(rows, 5))
    )
    return plan_url(plan), None


def world_outcome_list(place, rows):
    plan = draft_plan(place)
    _more_outcomes(plan, rows, actions=False)
    return "/api/plan-outcomes/", min(rows + 1, 50)


def world_outcome_detail(place, rows):
    plan = draft_plan(place)
    _more_outcomes(plan, rows)
    return outcome_url(plan.outcomes.first()), None


def world_action_list(place, rows):
    plan = draft_plan(place)
    _more_outcomes(plan, rows)
    return "/api/plan-actions/", min(rows + 3, 50)


def world_action_detail(place, rows):
    plan = draft_plan(place)
    _more_outcomes(plan, rows)
    return action_url(plan.actions.last()), None


def world_review_list(place, rows):
    plan = agreed_plan(place)
    _more_reviews(place, plan, rows)
    return "/api/reviews/", rows


def world_review_detail(place, rows):
    plan = agreed_plan(place)
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
