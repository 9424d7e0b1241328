"""The TAF plan: starting it from the approved assessment, the draft's revision check,
outcomes and actions, agreeing it (immutable, the episode's plan in place, the first review a
cadence later), action statuses, new versions, and who may do what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from assessments.models import (
    ActionStatus,
    Plan,
    PlanAction,
    PlanStatus,
    SupportingFamiliesArea,
)
from assessments.plans import services as plans
from audit.models import AuditEvent
from cases.episodes import services as episode_services
from cases.models import EpisodeStatus
from earlyhelp.exceptions import ServiceError
from tests.assessments.plan_helpers import (
    agreed_plan,
    approved_assessment,
    draft_plan,
    family_of_three,
)
from tests.cases.episode_helpers import allocated_episode, level
from tests.factories import AgencyFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def _outcome_fields(family, **overrides):
    return {
        "description": "Kai sleeps through the night",
        "people": [family.members.get(given_name="Kai")],
        "need": "Bedtime routine",
        "area": SupportingFamiliesArea.EARLY_YEARS,
        "baseline": 2,
        "target": 7,
        **overrides,
    }


def test_a_plan_starts_from_the_approved_assessment_signs_of_safety(north):
    episode = allocated_episode(north, family=family_of_three())
    approved_assessment(north, episode)
    plan = plans.plan_create(by=north.worker, episode=episode)
    assert plan.status == PlanStatus.DRAFT and plan.version == 1
    assert plan.worries == "Mornings are chaotic and the children miss school."
    assert plan.working_well == "Dad collects the children every day."
    assert AuditEvent.objects.filter(object_id=str(plan.pk), action="create").exists()


def test_no_plan_before_the_assessment_is_approved(north):
    episode = allocated_episode(north, family=family_of_three())
    with pytest.raises(ServiceError, match="Start the plan once the episode is being assessed"):
        plans.plan_create(by=north.worker, episode=episode)
    from assessments.assessments import services

    services.assessment_start(
        by=north.worker, episode=episode, children=[episode.family.members.get(given_name="Mia")]
    )
    with pytest.raises(ServiceError, match="get the assessment approved first"):
        plans.plan_create(by=north.worker, episode=episode)


def test_only_one_plan_is_started_per_episode(north):
    plan = draft_plan(north)
    with pytest.raises(ServiceError, match="already has a plan"):
        plans.plan_create(by=north.worker, episode=plan.episode)


def test_someone_not_working_on_the_episode_cannot_start_or_change_it(north):
    plan = draft_plan(north)
    with pytest.raises(PermissionDenied):
        plans.plan_update(
            by=north.colleague,
            plan=plan,
            expected_revision=plan.revision,
            worries="x",
            working_well="y",
            family_words="z",
            contingency="w",
        )


def test_a_stale_revision_is_refused_with_who_saved_it(north):
    plan = draft_plan(north)
    opened_at = plan.revision
    plans.plan_update(
        by=north.manager,
        plan=plan,
        expected_revision=opened_at,
        worries="The manager's words",
        working_well=plan.working_well,
        family_words=plan.family_words,
        contingency=plan.contingency,
    )
    with pytest.raises(ServiceError, match=north.manager.get_full_name()):
        plans.plan_update(
            by=north.worker,
            plan=plan,
            expected_revision=opened_at,
            worries="The worker's words",
            working_well="",
            family_words="",
            contingency="",
        )
    plan.refresh_from_db()
    assert plan.worries == "The manager's words"
    assert plan.revision == opened_at + 1


def test_an_outcome_is_checked_field_by_field(north):
    plan = draft_plan(north)
    family = plan.episode.family
    with pytest.raises(ValidationError) as error:
        plans.plan_outcome_add(
            by=north.worker,
            plan=plan,
            **_outcome_fields(family, description=" ", baseline=11, area="moon", people=[]),
        )
    assert set(error.value.message_dict) == {"description", "baseline", "area", "people"}
    assert "0 to 10" in error.value.message_dict["baseline"][0]


def test_an_outcome_is_for_people_in_the_family(north):
    plan = draft_plan(north)
    stranger = family_of_three("Stranger").members.first()
    with pytest.raises(ValidationError) as error:
        plans.plan_outcome_add(
            by=north.worker, plan=plan, **_outcome_fields(plan.episode.family, people=[stranger])
        )
    assert error.value.message_dict["people"] == ["Choose people in the family"]


def test_an_action_needs_an_owner_and_a_date(north):
    plan = draft_plan(north)
    with pytest.raises(ValidationError) as error:
        plans.plan_action_add(by=north.worker, plan=plan, description="Visit", due_on=None)
    assert set(error.value.message_dict) == {"owner_user", "due_on"}
    agency = AgencyFactory()
    action = plans.plan_action_add(
        by=north.worker,
        plan=plan,
        description="Speech and language referral",
        owner_agency=agency,
        owner_name="Dr Patel",
        due_on=timezone.localdate(),
    )
    assert action.owner == f"Dr Patel, {agency.name}"


def test_agreeing_needs_the_family_words_contingency_outcomes_and_actions(north):
    episode = allocated_episode(north, family=family_of_three())
    approved_assessment(north, episode)
    plan = plans.plan_create(by=north.worker, episode=episode)
    with pytest.raises(ValidationError) as error:
        plans.plan_agree(by=north.worker, plan=plan)
    assert set(error.value.message_dict) == {"family_words", "contingency"}
    plan = plans.plan_update(
        by=north.worker,
        plan=plan,
        expected_revision=plan.revision,
        worries="",
        working_well="",
        family_words="Calmer mornings",
        contingency="Meet sooner",
    )
    with pytest.raises(ServiceError, match="at least one outcome"):
        plans.plan_agree(by=north.worker, plan=plan)
    plans.plan_outcome_add(by=north.worker, plan=plan, **_outcome_fields(episode.family))
    with pytest.raises(ServiceError, match="at least one action"):
        plans.plan_agree(by=north.worker, plan=plan)


def test_agreeing_puts_the_plan_in_place_with_the_first_review_six_weeks_on(north, settings):
    plan = draft_plan(north)
    agreed_on = timezone.localdate() - datetime.timedelta(days=2)
    plan = plans.plan_agree(by=north.worker, plan=plan, agreed_on=agreed_on)
    assert plan.status == PlanStatus.AGREED
    assert plan.next_review_on == agreed_on + datetime.timedelta(weeks=6)
    plan.episode.refresh_from_db()
    assert plan.episode.status == EpisodeStatus.PLAN_IN_PLACE


def test_the_review_cadence_is_configurable_per_level(north, settings):
    settings.REVIEW_CADENCE_WEEKS = 6
    settings.REVIEW_CADENCE_WEEKS_BY_LEVEL = {2: 8}
    assert plans.review_cadence_weeks(level(2)) == 8
    assert plans.review_cadence_weeks(level(3)) == 6
    plan = draft_plan(north)
    episode_services.episode_change_level(
        by=north.manager, episode=plan.episode, level=level(2), reason="Needs have reduced"
    )
    plan = plans.plan_agree(by=north.worker, plan=plan)
    assert plan.next_review_on == timezone.localdate() + datetime.timedelta(weeks=8)


def test_an_agreed_plan_does_not_change(north):
    plan = agreed_plan(north)
    outcome = plan.outcomes.get()
    action = plan.actions.get()
    attempts = [
        lambda: plans.plan_update(
            by=north.worker,
            plan=plan,
            expected_revision=plan.revision,
            worries="changed",
            working_well="",
            family_words="",
            contingency="",
        ),
        lambda: plans.plan_outcome_add(
            by=north.worker, plan=plan, **_outcome_fields(plan.episode.family)
        ),
        lambda: plans.plan_outcome_remove(by=north.worker, outcome=outcome),
        lambda: plans.plan_action_remove(by=north.worker, action=action),
        lambda: plans.plan_agree(by=north.worker, plan=plan),
    ]
    for attempt in attempts:
        with pytest.raises(ServiceError, match="start a new version"):
            attempt()
    plan.refresh_from_db()
    assert plan.worries != "changed" and plan.outcomes.count() == 1 and plan.actions.count() == 1


def test_actions_of_the_agreed_plan_are_worked_by_their_owner_or_the_lead(north):
    plan = draft_plan(north)
    owner = UserFactory(roles=[Role.PRACTITIONER], agency=AgencyFactory())
    # An action's owner is one of the episode's people: here, a school nurse in the TAF.
    episode_services.taf_member_add(
        by=north.worker, episode=plan.episode, role="School nurse", user=owner
    )
    action = plans.plan_action_add(
        by=north.worker,
        plan=plan,
        description="School nurse drop-in",
        owner_user=owner,
        due_on=timezone.localdate(),
    )
    with pytest.raises(ServiceError, match="once the plan is agreed"):
        plans.plan_action_set_status(by=north.worker, action=action, status=ActionStatus.DONE)
    plans.plan_agree(by=north.worker, plan=plan)
    plans.plan_action_set_status(by=owner, action=action, status=ActionStatus.IN_PROGRESS)
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS and action.status_changed_by == owner
    with pytest.raises(PermissionDenied):
        plans.plan_action_set_status(by=north.colleague, action=action, status=ActionStatus.DONE)
    with pytest.raises(ValidationError):
        plans.plan_action_set_status(by=north.worker, action=action, status="finished")


def test_an_agency_owning_an_action_may_update_it(north):
    plan = draft_plan(north)
    school = AgencyFactory()
    teacher = UserFactory(roles=[Role.PARTNER_AGENCY_USER], agency=school, teams=[TeamFactory()])
    # Its users update the agency's actions while the agency is in the TAF.
    episode_services.taf_member_add(
        by=north.worker, episode=plan.episode, role="DSL", agency=school, contact_name="Mrs A"
    )
    action = plans.plan_action_add(
        by=north.worker,
        plan=plan,
        description="Breakfast club place",
        owner_agency=school,
        due_on=timezone.localdate(),
    )
    plans.plan_agree(by=north.worker, plan=plan)
    plans.plan_action_set_status(by=teacher, action=action, status=ActionStatus.DONE)
    assert PlanAction.objects.get(pk=action.pk).status == ActionStatus.DONE


def test_a_new_version_copies_the_plan_and_replaces_it_when_agreed(north):
    plan = agreed_plan(north, outcomes=2)
    first_review_due = plan.next_review_on
    action = plan.actions.first()
    plans.plan_action_set_status(by=north.worker, action=action, status=ActionStatus.DONE)
    new = plans.plan_new_version(by=north.worker, plan=plan)
    assert new.version == 2 and new.previous == plan and new.status == PlanStatus.DRAFT
    assert sorted(new.outcomes.values_list("lineage", flat=True)) == sorted(
        plan.outcomes.values_list("lineage", flat=True)
    )
    assert new.actions.filter(status=ActionStatus.DONE).count() == 1
    assert all(a.outcome.plan_id == new.pk for a in new.actions.select_related("outcome"))
    with pytest.raises(ServiceError, match="already being written"):
        plans.plan_new_version(by=north.worker, plan=plan)
    # The agreed plan stays in force while the new version is written.
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED
    plans.plan_outcome_remove(by=north.worker, outcome=new.outcomes.first())
    new = plans.plan_agree(by=north.worker, plan=new)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUPERSEDED
    assert plan.outcomes.count() == 2 and new.outcomes.count() == 1
    assert new.next_review_on == first_review_due
    assert Plan.objects.filter(episode=plan.episode, status=PlanStatus.AGREED).get() == new
