"""Demo Early Help Assessments (``manage.py seed_demo``), after the demo episodes.

Every episode being assessed gets an assessment, in turn a draft half written (one of them
overdue), one submitted for approval and one returned with comments; every episode with a
plan in place has an approved one. They are written through the services as the lead
professional and approved or returned by the locality's manager, so the rules and the audit
log hold. Idempotent: an episode that has an assessment is left alone.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from assessments.assessments import services
from assessments.models import Assessment, AssessmentStatus
from cases.models import Episode, EpisodeStatus

NARRATIVES = {
    "strength": "Going well: the family and the school agree, and there are no worries here.",
    "some_need": "Some worries: it has slipped this term and the family would like support.",
    "significant_need": "A real worry: this is affecting the child every day and needs a plan.",
}
TEXT_ANSWERS = {
    "worries": "Mum's low mood means mornings are chaotic and the children often miss "
    "breakfast; attendance has dropped to 88%.",
    "working_well": "Dad collects the children every day; both parents want things to "
    "improve and came to every meeting.",
    "needs_to_happen": "A morning routine the children know, support for mum from her GP "
    "and a talking therapy, and attendance back above 95% by the summer.",
    "child_views": "\"I like school when I've had breakfast. I worry about mum when she's sad.\"",
    "how_gathered": "Talked with the child at school with their teacher present, using "
    "the three houses tool.",
    "parent_views": '"We know things have slipped. We want the kids to be happy and for '
    'me to feel like myself again."',
    "analysis": "The children's needs are met most of the time, but mum's mental health and "
    "the lack of routine are affecting attendance and wellbeing. With a TAF around the "
    "family, the parents' motivation is the main strength to build on.",
}
ROTATION = (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED)


def seed_assessments(*, stdout=None) -> int:
    """Create the demo assessments not there yet; returns how many were created."""
    before = Assessment.objects.count()
    with transaction.atomic():
        assessing = _episodes(EpisodeStatus.ASSESSING)
        for turn, episode in enumerate(assessing):
            _assess(episode, ROTATION[turn % len(ROTATION)], overdue=turn == 0)
        for episode in _episodes(EpisodeStatus.PLAN_IN_PLACE):
            _assess(episode, AssessmentStatus.APPROVED)
    created = Assessment.objects.count() - before
    if stdout is not None and created:
        counts = {
            status: Assessment.objects.filter(status=status).count() for status in AssessmentStatus
        }
        stdout.write(
            f"Demo assessments: {created} new; "
            + ", ".join(f"{n} {status.label.lower()}" for status, n in counts.items())
        )
    return created


def _episodes(status):
    return list(
        Episode.objects.filter(status=status, lead_professional__isnull=False)
        .exclude(assessments__isnull=False)
        .select_related("family", "lead_professional", "locality")
        .order_by("pk")
    )


def _manager_of(episode):
    return (
        User.objects.filter(
            is_active=True,
            groups__name=Role.LOCALITY_MANAGER,
            managed_teams__locality=episode.locality,
        )
        .exclude(pk=episode.lead_professional_id)
        .order_by("pk")
        .first()
    )


def _assess(episode, status, overdue=False):
    members = [m.person for m in episode.family.memberships.filter(left_on__isnull=True)]
    children = [p for p in members if p.record_type != "adult" and not p.is_merged][:2]
    adults = [p for p in members if p.record_type == "adult" and not p.is_merged][:1]
    manager = _manager_of(episode)
    if not children or (status != AssessmentStatus.DRAFT and manager is None):
        return
    lead = episode.lead_professional
    assessment = services.assessment_start(
        by=lead, episode=episode, children=children, adults=adults
    )
    sections = list(assessment.sections.order_by("position"))
    to_fill = sections[:2] if status == AssessmentStatus.DRAFT else sections
    for number, section in enumerate(to_fill):
        services.assessment_section_save(
            by=lead,
            section=section,
            answers=_answers(assessment, section, number),
            expected_revision=section.revision,
            complete=True,
        )
    if status == AssessmentStatus.DRAFT:
        if overdue:
            Assessment.objects.filter(pk=assessment.pk).update(
                due_at=timezone.now() - datetime.timedelta(days=3)
            )
        return
    services.assessment_submit(by=lead, assessment=assessment)
    if status == AssessmentStatus.RETURNED:
        services.assessment_return(
            by=manager,
            assessment=assessment,
            comments="Please add the school's view on attendance and the child's own words "
            "about home.",
        )
    elif status == AssessmentStatus.APPROVED:
        services.assessment_approve(by=manager, assessment=assessment)


def _answers(assessment, section, number):
    spec = services.section_spec_for(assessment, section)
    ratings = ("strength", "some_need", "significant_need")
    answers = {}
    for index, question in enumerate(spec.questions):
        match question.type:
            case "rating":
                rating = ratings[(number + index) % 3]
                answers[question.key] = {"rating": rating, "narrative": NARRATIVES[rating]}
            case "scale":
                answers[question.key] = 5
            case "level":
                answers[question.key] = str(assessment.episode.level.uuid)
            case "choice":
                answers[question.key] = question.options[0].value
            case _:
                answers[question.key] = TEXT_ANSWERS.get(
                    question.key, "Discussed with the family and recorded at the visit."
                )
    return answers
