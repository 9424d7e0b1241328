"""The status machines of assessments and plans: every move not in `ALLOWED_MOVES` is
refused with a message, and every move the services make is recorded with who, when and
why."""

import pytest
from django.utils import timezone

from assessments.assessments import services as assessments
from assessments.models import (
    ASSESSMENT_MOVES,
    PLAN_MOVES,
    Assessment,
    AssessmentStatus,
    AssessmentStatusChange,
    Plan,
    PlanStatus,
    PlanStatusChange,
)
from assessments.models.assessment import ALLOWED_MOVES as ASSESSMENT_ALLOWED_MOVES
from assessments.models.plan import ALLOWED_MOVES as PLAN_ALLOWED_MOVES
from assessments.plans import services as plans
from earlyhelp.exceptions import ServiceError
from tests.assessments.plan_helpers import agreed_plan, approved_assessment, family_of_three
from tests.cases.episode_helpers import allocated_episode, make_locality
from tests.status_moves import assert_move_refused, illegal_moves

pytestmark = pytest.mark.django_db


@pytest.fixture
def north():
    return make_locality("North")


@pytest.mark.parametrize(
    "before,after",
    illegal_moves(AssessmentStatus, ASSESSMENT_ALLOWED_MOVES),
    ids=lambda s: str(s),
)
def test_every_illegal_assessment_move_is_refused_with_a_message(before, after):
    assert_move_refused(ASSESSMENT_MOVES, Assessment(status=before), after, "An assessment")


@pytest.mark.parametrize(
    "before,after", illegal_moves(PlanStatus, PLAN_ALLOWED_MOVES), ids=lambda s: str(s)
)
def test_every_illegal_plan_move_is_refused_with_a_message(before, after):
    assert_move_refused(PLAN_MOVES, Plan(status=before), after, "A plan")


def _moves(history, **record):
    return list(
        history.objects.filter(**record).values_list(
            "from_status", "to_status", "changed_by", "reason"
        )
    )


def test_every_assessment_move_of_the_services_is_recorded(north):
    worker, manager = north.worker, north.manager
    episode = allocated_episode(north, family=family_of_three())
    before = timezone.now()
    assessment = approved_assessment(north, episode)
    assert assessment.status == AssessmentStatus.APPROVED
    assert _moves(AssessmentStatusChange, assessment=assessment) == [
        ("", "draft", worker.pk, ""),
        ("draft", "submitted", worker.pk, ""),
        ("submitted", "approved", manager.pk, ""),
    ]
    assert all(change.changed_at >= before for change in assessment.status_changes.all())

    new = assessments.assessment_new_version(by=worker, assessment=assessment)
    assessments.assessment_submit(by=worker, assessment=new)
    assessments.assessment_return(by=manager, assessment=new, comments="Add the school's view")
    assessments.assessment_submit(by=worker, assessment=new)
    assert _moves(AssessmentStatusChange, assessment=new) == [
        ("", "draft", worker.pk, "A new version of version 1"),
        ("draft", "submitted", worker.pk, ""),
        ("submitted", "returned", manager.pk, "Add the school's view"),
        ("returned", "submitted", worker.pk, ""),
    ]
    new.refresh_from_db()
    assert new.status == AssessmentStatus.SUBMITTED and new.modified_by == worker


def test_every_plan_move_of_the_services_is_recorded(north):
    worker = north.worker
    before = timezone.now()
    plan = agreed_plan(north)
    assert _moves(PlanStatusChange, plan=plan) == [
        ("", "draft", worker.pk, ""),
        ("draft", "agreed", worker.pk, ""),
    ]
    assert all(change.changed_at >= before for change in plan.status_changes.all())

    new = plans.plan_new_version(by=worker, plan=plan)
    new = plans.plan_agree(by=worker, plan=new)
    assert _moves(PlanStatusChange, plan=new) == [
        ("", "draft", worker.pk, "A new version of version 1"),
        ("draft", "agreed", worker.pk, ""),
    ]
    assert _moves(PlanStatusChange, plan=plan)[-1] == (
        "agreed",
        "superseded",
        worker.pk,
        "Version 2 agreed",
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUPERSEDED and plan.modified_by == worker


def test_a_refused_service_records_no_move(north):
    plan = agreed_plan(north)
    with pytest.raises(ServiceError):
        plans.plan_agree(by=north.worker, plan=plan)
    assert plan.status_changes.count() == 2
