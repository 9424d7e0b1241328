"""Assessments and plans in each state, with the rows their services write: sections laid
out from the current template, answers as a save cleans them, and the status changes."""

import datetime

import factory
from django.conf import settings
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Role
from assessments.assessments.services import current_template
from assessments.models import (
    ASSESSMENT_MOVES,
    FAMILY_SUBJECT,
    PLAN_MOVES,
    AssessmentSection,
    AssessmentStatus,
    PlanAction,
    PlanOutcome,
    PlanStatus,
    SupportingFamiliesArea,
)
from assessments.plans.services import next_review_date
from cases.models import EPISODE_MOVES, EpisodeStatus
from earlyhelp.working_days import add_working_days
from tests.factories.episodes import AllocatedEpisodeFactory, level
from tests.factories.people import UserFactory
from tests.factories.status_rows import record_moves

# The statuses an assessment passes through to reach each one, after its draft.
_MOVES_TO = {
    AssessmentStatus.DRAFT: [],
    AssessmentStatus.SUBMITTED: [AssessmentStatus.SUBMITTED],
    AssessmentStatus.APPROVED: [AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED],
}


def answer(question):
    """An answer to a question of the template, in the shape a save stores it."""
    match question.type:
        case "rating":
            return {"rating": "some_need", "narrative": "Misses breakfast most days."}
        case "scale":
            return 6
        case "level":
            return str(level(3).uuid)
    if question.key == "worries":
        return "Mornings are chaotic and the children miss school."
    if question.key == "working_well":
        return "Dad collects the children every day."
    return "Recorded with the family at home."


def _household(assessment, chosen, *, adults):
    """Those chosen, or else the family's adults (or its children)."""
    if chosen is not None:
        return chosen
    members = assessment.episode.family.members.all()
    return members.filter(record_type="adult") if adults else members.exclude(record_type="adult")


class AssessmentFactory(DjangoModelFactory):
    """A draft of the episode's Early Help Assessment covering the whole household, nothing
    answered (`sections__complete=True`: every section answered and complete), or
    `submitted=True` or `approved=True`; the episode is assessing."""

    class Meta:
        model = "assessments.Assessment"
        skip_postgeneration_save = True

    class Params:
        submitted = factory.Trait(
            status=AssessmentStatus.SUBMITTED,
            submitted_by=factory.SelfAttribute("created_by"),
            submitted_at=factory.LazyFunction(timezone.now),
        )
        approved = factory.Trait(
            submitted=True,
            status=AssessmentStatus.APPROVED,
            decided_by=factory.SubFactory(
                UserFactory,
                roles=[Role.LOCALITY_MANAGER],
                manages=factory.List([factory.SelfAttribute("....episode.team")]),
            ),
            decided_at=factory.LazyFunction(timezone.now),
            recommended_level=factory.LazyFunction(lambda: level(3)),
        )

    episode = factory.SubFactory(AllocatedEpisodeFactory, status=EpisodeStatus.ASSESSING)
    template = factory.LazyFunction(current_template)
    version = 1
    status = AssessmentStatus.DRAFT
    due_at = factory.LazyAttribute(
        lambda assessment: add_working_days(
            assessment.episode.allocated_at, settings.ASSESSMENT_DUE_WORKING_DAYS
        )
    )
    created_by = factory.SelfAttribute("episode.lead_professional")
    modified_by = factory.SelfAttribute("created_by")

    @factory.post_generation
    def episode_assessing(assessment, create, extracted, **kwargs):
        """Starting an assessment moves an episode given here still allocated on."""
        episode = assessment.episode
        if create and episode.status == EpisodeStatus.ALLOCATED:
            record_moves(
                EPISODE_MOVES,
                episode,
                [(EpisodeStatus.ASSESSING, assessment.created_by)],
                after=EpisodeStatus.ALLOCATED,
            )
            episode.status, episode.modified_by = EpisodeStatus.ASSESSING, assessment.created_by
            episode.save(update_fields=["status", "modified_by", "modified_at"])

    @factory.post_generation
    def children(assessment, create, extracted, **kwargs):
        if create:
            assessment.children.set(_household(assessment, extracted, adults=False))

    @factory.post_generation
    def adults(assessment, create, extracted, **kwargs):
        if create:
            assessment.adults.set(_household(assessment, extracted, adults=True))

    @factory.post_generation
    def sections(assessment, create, extracted, **kwargs):
        if not create:
            return
        complete = assessment.status != AssessmentStatus.DRAFT or kwargs.get("complete")
        children, adults = list(assessment.children.all()), list(assessment.adults.all())
        subjects = {"child": children, "adult": adults}
        sections = []
        for section_spec in assessment.template.spec.sections:
            people = subjects.get(section_spec.applies_to, [None])
            for person in people:
                sections.append(
                    AssessmentSection(
                        assessment=assessment,
                        key=section_spec.key,
                        subject=str(person.uuid) if person else FAMILY_SUBJECT,
                        person=person,
                        position=len(sections) + 1,
                        **(
                            {
                                "answers": {q.key: answer(q) for q in section_spec.questions},
                                "completed": True,
                                "revision": 1,
                                "updated_by": assessment.created_by,
                                "updated_at": timezone.now(),
                            }
                            if complete
                            else {}
                        ),
                    )
                )
        AssessmentSection.objects.bulk_create(sections)

    @factory.post_generation
    def history(assessment, create, extracted, **kwargs):
        if not create:
            return
        decided = {AssessmentStatus.APPROVED: assessment.decided_by}
        record_moves(
            ASSESSMENT_MOVES,
            assessment,
            [(AssessmentStatus.DRAFT, assessment.created_by)]
            + [
                (status, decided.get(status, assessment.submitted_by))
                for status in _MOVES_TO[AssessmentStatus(assessment.status)]
            ],
            at=assessment.created_at,
        )


class DraftPlanFactory(DjangoModelFactory):
    """The episode's plan, drafted after its approved assessment and filled in: `outcomes`
    outcomes for the first child (`outcomes__person=` another), each with
    `actions__per_outcome` actions (1 each by default) owned by the lead professional; the
    episode is still assessing."""

    class Meta:
        model = "assessments.Plan"
        skip_postgeneration_save = True

    episode = factory.SubFactory(AllocatedEpisodeFactory, status=EpisodeStatus.ASSESSING)
    assessment = factory.SubFactory(
        AssessmentFactory, approved=True, episode=factory.SelfAttribute("..episode")
    )
    version = 1
    status = PlanStatus.DRAFT
    worries = "Mornings are chaotic and the children miss school."
    working_well = "Dad collects the children every day."
    family_words = "We want mornings to be calmer."
    contingency = "If attendance does not improve by half term, we meet again sooner."
    # plan_update is the one save that counts a revision.
    revision = 1
    created_by = factory.SelfAttribute("episode.lead_professional")
    modified_by = factory.SelfAttribute("created_by")

    @factory.post_generation
    def outcomes(plan, create, extracted, person=None, **kwargs):
        if not create:
            return
        child = person or plan.episode.family.members.exclude(record_type="adult").first()
        for number in range(1 if extracted is None else extracted):
            outcome = PlanOutcome.objects.create(
                plan=plan,
                position=number + 1,
                description=f"Mia gets to school on time, every day ({number + 1})",
                need="School attendance",
                area=SupportingFamiliesArea.EDUCATION,
                baseline=3,
                target=8,
            )
            outcome.people.set([child])

    @factory.post_generation
    def actions(plan, create, extracted, per_outcome=1, **kwargs):
        if not create:
            return
        PlanAction.objects.bulk_create(
            PlanAction(
                plan=plan,
                outcome=outcome,
                position=position,
                description=f"Morning routine chart with the family ({number + 1})",
                owner_user=plan.episode.lead_professional,
                due_on=timezone.localdate() + datetime.timedelta(days=14),
            )
            for position, (outcome, number) in enumerate(
                (
                    (outcome, number)
                    for outcome in plan.outcomes.all()
                    for number in range(per_outcome)
                ),
                start=1,
            )
        )

    @factory.post_generation
    def history(plan, create, extracted, **kwargs):
        if create:
            agreed = [(PlanStatus.AGREED, plan.agreed_by)] if plan.agreed_on else []
            record_moves(PLAN_MOVES, plan, [(PlanStatus.DRAFT, plan.created_by), *agreed])


class AgreedPlanFactory(DraftPlanFactory):
    """The draft plan, agreed today by the lead professional; the episode has a plan in
    place."""

    episode = factory.SubFactory(AllocatedEpisodeFactory, status=EpisodeStatus.PLAN_IN_PLACE)
    status = PlanStatus.AGREED
    agreed_on = factory.LazyFunction(timezone.localdate)
    agreed_by = factory.SelfAttribute("episode.lead_professional")
    next_review_on = factory.LazyAttribute(
        lambda plan: next_review_date(plan.agreed_on, plan.episode.level)
    )
    modified_by = factory.SelfAttribute("agreed_by")
