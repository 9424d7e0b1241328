"""Issue 13, finding 11: one list of who may own an action of a TAF plan (the lead
professional, the episode team's members, the users in the TAF), used by the plan page's
form and the plan API alike. Also: an agency's users update its actions only while the
agency is in the TAF."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.models import Role, User
from assessments.models import PlanAction
from assessments.plans import services as plan_services
from cases.episodes import services as episode_services
from earlyhelp import access
from tests.assessments.plan_helpers import built_agreed_plan, built_draft_plan
from tests.factories import AgencyFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.fixture
def story(north):
    """A draft plan; a police officer (another agency) in the TAF; a stranger who is not."""
    plan = built_draft_plan(north)
    officer = UserFactory(roles=[Role.PARTNER_AGENCY_USER], agency=AgencyFactory(name="Police"))
    episode_services.taf_member_add(
        by=north.worker, episode=plan.episode, role="Police", user=officer
    )
    stranger = UserFactory(roles=[Role.PRACTITIONER], teams=[TeamFactory()])
    return plan, officer, stranger


def _due():
    return timezone.localdate() + datetime.timedelta(days=7)


def _form_post(client, plan, owner):
    due = _due()
    return client.post(
        reverse("plans:action-add", args=[plan.uuid]),
        {
            "description": "Safety planning visit",
            "owner_kind": "user",
            "owner_user": owner.pk,
            "due_on_day": due.day,
            "due_on_month": due.month,
            "due_on_year": due.year,
        },
    )


def _api_post(api_client, plan, owner):
    return api_client.post(
        "/api/plan-actions/",
        {
            "plan": str(plan.uuid),
            "description": "Safety planning visit",
            "owner_user": str(owner.uuid),
            "due_on": _due().isoformat(),
        },
        format="json",
    )


def test_the_page_and_the_api_both_accept_a_taf_member_of_another_agency(
    client, api_client, north, story
):
    plan, officer, _ = story
    client.force_login(fresh(north.worker))
    assert _form_post(client, plan, officer).status_code == 302
    api_client.force_authenticate(fresh(north.worker))
    response = _api_post(api_client, plan, officer)
    assert response.status_code == 201, response.json()
    assert response.json()["owner_user"]["uuid"] == str(officer.uuid)
    assert PlanAction.objects.filter(plan=plan, owner_user=officer).count() == 2


def test_the_page_and_the_api_both_refuse_someone_outside_the_episode(
    client, api_client, north, story
):
    plan, _, stranger = story
    client.force_login(fresh(north.worker))
    page = _form_post(client, plan, stranger)
    assert page.status_code == 200 and "govuk-error-summary" in page.content.decode()
    api_client.force_authenticate(fresh(north.worker))
    response = _api_post(api_client, plan, stranger)
    assert response.status_code == 400
    assert "owner_user" in response.json()["errors"]
    assert not PlanAction.objects.filter(owner_user=stranger).exists()


def test_the_service_refuses_an_owner_outside_the_episode(north, story):
    from django.core.exceptions import ValidationError

    plan, _, stranger = story
    with pytest.raises(ValidationError) as error:
        plan_services.plan_action_add(
            by=north.worker,
            plan=plan,
            description="Visit",
            owner_user=stranger,
            due_on=_due(),
        )
    assert "owner_user" in error.value.message_dict


def test_an_agency_updates_its_actions_only_while_in_the_taf(north):
    school = AgencyFactory(name="School")
    teacher = UserFactory(roles=[Role.PARTNER_AGENCY_USER], agency=school)
    plan = built_agreed_plan(north)
    action = plan.actions.get()
    PlanAction.objects.filter(pk=action.pk).update(owner_user=None, owner_agency=school)
    action.refresh_from_db()
    member = episode_services.taf_member_add(
        by=north.worker, episode=plan.episode, role="DSL", agency=school, contact_name="Mrs A"
    )
    # The teacher also reads the family through a grant, which does not end with the TAF.
    assign_perm(access.FAMILY_GRANT, teacher, plan.episode.family)
    assert access.can(fresh(teacher), access.Permission.UPDATE_PLAN_ACTION, action)
    episode_services.taf_member_end(by=north.worker, member=member)
    # The school has left the TAF: its action is no longer its users' to update.
    assert access.visible(fresh(teacher), PlanAction.objects.filter(pk=action.pk)).exists()
    assert not access.can(fresh(teacher), access.Permission.UPDATE_PLAN_ACTION, action)
