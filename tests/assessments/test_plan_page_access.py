"""Who may see and change the plan pages, and the audit of what they show."""

import pytest
from django.utils import timezone

from accounts.models import Role
from assessments.models import ActionStatus, PlanAction, PlanStatus, ReviewDecision
from assessments.plans import services as plan_services
from assessments.reviews import services as review_services
from audit.models import AuditAction, AuditEvent
from cases.models import TafMember
from tests.assessments.plan_helpers import built_agreed_plan, built_draft_plan, url
from tests.conftest import client_for
from tests.factories import AgencyFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


# Who may see and change


def _every_page(plan, review):
    outcome, action = plan.outcomes.first(), plan.actions.first()
    return [
        ("get", url("detail", plan.uuid)),
        ("get", url("edit", plan.uuid)),
        ("post", url("edit", plan.uuid)),
        ("get", url("outcome-add", plan.uuid)),
        ("get", url("outcome-change", plan.uuid, outcome.uuid)),
        ("post", url("outcome-remove", plan.uuid, outcome.uuid)),
        ("get", url("action-add", plan.uuid)),
        ("get", url("action-change", plan.uuid, action.uuid)),
        ("post", url("action-remove", plan.uuid, action.uuid)),
        ("post", url("action-status", plan.uuid, action.uuid)),
        ("post", url("agree", plan.uuid)),
        ("post", url("new-version", plan.uuid)),
        ("get", url("review-record", plan.uuid)),
        ("post", url("review-record", plan.uuid)),
        ("get", url("review-detail", review.uuid)),
        ("post", url("start", plan.episode.uuid)),
    ]


def _reviewed(place):
    plan = built_agreed_plan(place)
    review = review_services.review_record(
        by=place.worker,
        plan=plan,
        held_on=timezone.localdate(),
        child_views="Fine",
        family_views="Fine",
        progress=[
            review_services.Progress(outcome=str(o.uuid), rag="amber", score=5)
            for o in plan.outcomes.all()
        ],
        decision=ReviewDecision.CONTINUE,
    )
    return plan, review


def test_an_outsider_gets_404_everywhere(client, place, outsider):
    plan, review = _reviewed(place)
    client = client_for(client, outsider)
    for method, address in _every_page(plan, review):
        response = getattr(client, method)(address)
        assert response.status_code == 404, (method, address)


def test_a_colleague_sees_the_plan_read_only(client, place):
    plan = built_draft_plan(place)
    client = client_for(client, place.colleague)
    page = client.get(url("detail", plan.uuid)).content.decode()
    assert "Mia gets to school on time" in page
    assert "Agree the plan" not in page
    assert url("edit", plan.uuid) not in page
    assert "Add an outcome" not in page
    assert client.get(url("edit", plan.uuid)).status_code == 403
    assert client.post(url("agree", plan.uuid)).status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_an_action_owner_in_another_agency_sets_its_status(client, place):
    plan = built_draft_plan(place)
    agency = AgencyFactory()
    partner = UserFactory(roles=[Role.PARTNER_AGENCY_USER], agency=agency, teams=[TeamFactory()])
    TafMember.objects.create(episode=plan.episode, agency=agency, role="School nurse")
    action = plan.actions.get()
    PlanAction.objects.filter(pk=action.pk).update(owner_user=None, owner_agency=agency)
    plan = plan_services.plan_agree(by=place.worker, plan=plan)
    client = client_for(client, partner)
    page = client.get(url("detail", plan.uuid)).content.decode()
    assert url("action-status", plan.uuid, action.uuid) in page
    assert "Record a review" not in page
    client.post(
        url("action-status", plan.uuid, action.uuid),
        {f"status-{action.uuid}-status": "in_progress"},
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS


def test_views_are_audited(client, place):
    plan, review = _reviewed(place)
    client = client_for(client, place.worker)
    client.get(url("detail", plan.uuid))
    client.get(url("review-detail", review.uuid))
    client.get(url("review-record", plan.uuid))
    views = AuditEvent.objects.filter(actor=place.worker, action=AuditAction.VIEW)
    plan_views = views.filter(object_type="assessments.plan", object_id=str(plan.pk))
    assert plan_views.count() == 2
    assert views.filter(object_type="assessments.review", object_id=str(review.pk)).count() == 1
