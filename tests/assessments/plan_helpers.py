"""Set-up shared by the plan, review, reminder and PDF tests: an allocated episode whose
Early Help Assessment is approved, a TAF plan made through the services, and the plan
pages' addresses."""

import datetime

from django.urls import reverse
from django.utils import timezone

from assessments.assessments import services
from assessments.models import SupportingFamiliesArea
from assessments.plans import services as plans
from tests.cases.episode_helpers import allocated_episode
from tests.dates import years_before
from tests.factories import (
    AgreedPlanFactory,
    DraftPlanFactory,
    FamilyFactory,
    PersonFactory,
    TeamFactory,
    led_in,
)
from tests.factories.assessments import answer


def family_of_three(name="Okafor"):
    family = FamilyFactory(name=f"{name} family", owning_team=TeamFactory())
    today = timezone.localdate()
    PersonFactory(
        given_name="Mia",
        family_name=name,
        date_of_birth=years_before(today, 9),
        families=[family],
    )
    PersonFactory(
        given_name="Kai",
        family_name=name,
        date_of_birth=years_before(today, 3),
        families=[family],
    )
    PersonFactory(
        given_name="Grace",
        family_name=name,
        record_type="adult",
        date_of_birth=None,
        families=[family],
    )
    return family


def approved_assessment(place, episode):
    """The episode's assessment, every section complete, approved by the manager."""
    family = episode.family
    members = list(family.members.all())
    assessment = services.assessment_start(
        by=place.worker,
        episode=episode,
        children=[p for p in members if p.record_type != "adult"],
        adults=[p for p in members if p.record_type == "adult"],
    )
    for section in assessment.sections.all():
        spec = services.section_spec_for(assessment, section)
        services.assessment_section_save(
            by=place.worker,
            section=section,
            answers={question.key: answer(question) for question in spec.questions},
            expected_revision=section.revision,
            complete=True,
        )
    services.assessment_submit(by=place.worker, assessment=assessment)
    return services.assessment_approve(by=place.manager, assessment=assessment)


def update_words(plan, by, **words):
    """The plan's words changed through the service: those given, the others as they are."""
    kept = {
        name: getattr(plan, name)
        for name in ("worries", "working_well", "family_words", "contingency")
    }
    return plans.plan_update(by=by, plan=plan, expected_revision=plan.revision, **{**kept, **words})


def draft_plan(place, *, family=None, outcomes=1, actions_per_outcome=1):
    """An allocated episode with an approved assessment and a draft plan with outcomes
    (for Mia) and actions (owned by the lead professional)."""
    family = family or family_of_three()
    episode = allocated_episode(place, family=family)
    approved_assessment(place, episode)
    plan = plans.plan_create(by=place.worker, episode=episode)
    plan = update_words(
        plan,
        place.worker,
        family_words="We want mornings to be calmer.",
        contingency="If attendance does not improve by half term, we meet again sooner.",
    )
    mia = family.members.get(given_name="Mia")
    for number in range(outcomes):
        outcome = plans.plan_outcome_add(
            by=place.worker,
            plan=plan,
            description=f"Mia gets to school on time, every day ({number + 1})",
            people=[mia],
            need="School attendance",
            area=SupportingFamiliesArea.EDUCATION,
            baseline=3,
            target=8,
        )
        for action_number in range(actions_per_outcome):
            plans.plan_action_add(
                by=place.worker,
                plan=plan,
                outcome=outcome,
                description=f"Morning routine chart with the family ({action_number + 1})",
                owner_user=place.worker,
                due_on=timezone.localdate() + datetime.timedelta(days=14),
            )
    return plan


def agreed_plan(place, **kwargs):
    plan = draft_plan(place, **kwargs)
    return plans.plan_agree(by=place.worker, plan=plan)


def _built_plan(plan_factory, place, *, family=None, outcomes=1, actions_per_outcome=1):
    family = family or family_of_three()
    return plan_factory(
        episode__family=family,
        **led_in(place, "episode__"),
        assessment__decided_by=place.manager,
        outcomes=outcomes,
        outcomes__person=family.members.get(given_name="Mia"),
        actions__per_outcome=actions_per_outcome,
    )


def built_draft_plan(place, **kwargs):
    """The state `draft_plan` leaves, built by the factories without the services' audit
    events: for tests that read or act on a plan, not of the services that make it."""
    return _built_plan(DraftPlanFactory, place, **kwargs)


def built_agreed_plan(place, **kwargs):
    """The state `agreed_plan` leaves, built as `built_draft_plan` is."""
    return _built_plan(AgreedPlanFactory, place, **kwargs)


def url(name, *args):
    """A plan page's address."""
    return reverse(f"plans:{name}", args=args)
