"""TAF reviews: what a review must record, the next review date on the cadence, held on
time or late, and each decision carried out by the episode services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessments.models import PlanStatus, Review, ReviewProgress
from assessments.reviews import services as reviews
from cases.episodes import services as episode_services
from cases.models import ClosureReason, EpisodeStatus, OutcomesAchieved
from cases.transitions.models import TransitionStatus
from earlyhelp.exceptions import ServiceError
from tests.assessments.plan_helpers import agreed_plan, draft_plan
from tests.cases.episode_helpers import level, make_locality

pytestmark = pytest.mark.django_db


def progress_on(plan, rag="amber", score=5):
    return [
        reviews.Progress(outcome=str(outcome.uuid), rag=rag, score=score)
        for outcome in plan.outcomes.all()
    ]


def record(place, plan, **overrides):
    fields = {
        "held_on": timezone.localdate(),
        "child_views": "I like the chart on the fridge.",
        "family_views": "Mornings are calmer.",
        "progress": progress_on(plan),
        "decision": "continue",
        **overrides,
    }
    return reviews.review_record(by=place.worker, plan=plan, **fields)


def test_a_review_records_progress_and_sets_the_next_review_on_the_cadence(north):
    plan = agreed_plan(north, outcomes=2)
    member = episode_services.taf_member_add(
        by=north.worker, episode=plan.episode, user=north.colleague, role="Family support"
    )
    due = plan.next_review_on
    review = record(
        north, plan, attendees=[member], other_attendees="Grace (mum)", progress=progress_on(plan)
    )
    assert review.due_on == due and review.held_on_time
    assert review.next_review_on == timezone.localdate() + datetime.timedelta(weeks=6)
    assert list(review.attendees.all()) == [member]
    assert ReviewProgress.objects.filter(review=review, rag="amber", score=5).count() == 2
    plan.refresh_from_db()
    assert plan.next_review_on == review.next_review_on


def test_the_next_review_date_can_be_chosen_but_must_be_after_this_one(north):
    plan = agreed_plan(north)
    with pytest.raises(ValidationError) as error:
        record(north, plan, next_review_on=timezone.localdate())
    assert "next_review_on" in error.value.message_dict
    chosen = timezone.localdate() + datetime.timedelta(weeks=4)
    assert record(north, plan, next_review_on=chosen).next_review_on == chosen


def test_a_late_review_is_recorded_as_late(north):
    plan = agreed_plan(north)
    plan.__class__.objects.filter(pk=plan.pk).update(
        next_review_on=timezone.localdate() - datetime.timedelta(days=3),
        agreed_on=timezone.localdate() - datetime.timedelta(days=50),
    )
    plan.refresh_from_db()
    review = record(north, plan)
    assert review.held_on_time is False


def test_every_outcome_needs_a_rating_and_a_score(north):
    plan = agreed_plan(north, outcomes=2)
    first, second = plan.outcomes.all()
    with pytest.raises(ValidationError) as error:
        record(
            north,
            plan,
            child_views="",
            family_views=" ",
            progress=[reviews.Progress(outcome=str(first.uuid), rag="purple", score=11)],
        )
    messages = error.value.message_dict
    assert set(messages) == {
        "child_views",
        "family_views",
        f"progress-{first.uuid}",
        f"progress-{second.uuid}",
    }
    assert (
        "choose red, amber or green and enter a scaling score from 0 to 10"
        in (messages[f"progress-{first.uuid}"][0])
    )
    assert not Review.objects.exists()


def test_the_review_date_is_not_in_the_future_nor_before_the_plan(north):
    plan = agreed_plan(north)
    with pytest.raises(ValidationError) as error:
        record(north, plan, held_on=timezone.localdate() + datetime.timedelta(days=1))
    assert "today or in the past" in error.value.message_dict["held_on"][0]
    with pytest.raises(ValidationError) as error:
        record(north, plan, held_on=plan.agreed_on - datetime.timedelta(days=1))
    assert "after the plan was agreed" in error.value.message_dict["held_on"][0]


def test_only_the_agreed_plan_is_reviewed_by_someone_working_on_it(north):
    plan = draft_plan(north)
    with pytest.raises(ServiceError, match="agree the plan first"):
        record(north, plan)
    plan = agreed_plan(make_locality("South"))
    with pytest.raises(PermissionDenied):
        record(north, plan)


def test_continuing_with_a_changed_plan_starts_a_new_version(north):
    plan = agreed_plan(north)
    review = record(north, plan, new_plan_version=True)
    new = plan.episode.plans.get(status=PlanStatus.DRAFT)
    assert new.from_review == review and new.previous == plan
    with pytest.raises(ValidationError) as error:
        record(north, plan, new_plan_version=True)
    assert "already being written" in error.value.message_dict["new_plan_version"][0]


def test_a_step_up_decision_asks_for_a_step_up(north):
    plan = agreed_plan(north)
    review = record(
        north,
        plan,
        decision="step_up",
        decision_reason="Neglect has got worse despite the plan",
        step_up=reviews.StepUp(
            to_level=level(4), receiving_team=north.social_care_team, evidence="Two missed visits"
        ),
    )
    transition = review.transition
    assert transition.status == TransitionStatus.REQUESTED
    assert transition.reason == "Neglect has got worse despite the plan"
    assert transition.receiving_team == north.social_care_team
    plan.episode.refresh_from_db()
    assert plan.episode.status == EpisodeStatus.PLAN_IN_PLACE  # open until social care accepts


def test_a_step_up_needs_its_reason_level_and_team(north):
    plan = agreed_plan(north)
    with pytest.raises(ValidationError) as error:
        record(north, plan, decision="step_up", step_up=reviews.StepUp(None, None))
    assert {"decision_reason", "to_level", "receiving_team"} <= set(error.value.message_dict)


def test_a_step_down_asks_to_close_as_stepped_down(north):
    plan = agreed_plan(north)
    record(
        north,
        plan,
        decision="step_down",
        closure=reviews.Closure(
            reason="", summary="Universal services can carry on", outcomes_achieved="yes"
        ),
    )
    episode = plan.episode
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSING
    assert episode.closure_reason == ClosureReason.STEPPED_DOWN
    assert episode.family_feedback == "Mornings are calmer."


def test_a_close_decision_asks_to_close_with_its_reason(north):
    plan = agreed_plan(north)
    with pytest.raises(ValidationError) as error:
        record(
            north,
            plan,
            decision="close",
            closure=reviews.Closure(reason="stepped_up", summary="", outcomes_achieved=""),
        )
    assert {"closure_reason", "closure_summary", "outcomes_achieved"} <= set(
        error.value.message_dict
    )
    record(
        north,
        plan,
        decision="close",
        closure=reviews.Closure(
            reason=ClosureReason.OUTCOMES_ACHIEVED,
            summary="Attendance back above 95%",
            outcomes_achieved=OutcomesAchieved.YES,
        ),
    )
    plan.episode.refresh_from_db()
    assert plan.episode.status == EpisodeStatus.CLOSING
    assert plan.episode.closure_reason == ClosureReason.OUTCOMES_ACHIEVED
    with pytest.raises(ServiceError, match="closing"):
        record(north, plan)
