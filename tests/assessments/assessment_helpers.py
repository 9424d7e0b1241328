"""Assessments as the assessment tests make and fill them, and the pages' addresses."""

from django.urls import reverse

from assessments.assessments import services
from tests.cases.episode_helpers import level
from tests.factories import AssessmentFactory, led_in

RATED = {"rating": "some_need", "narrative": "Misses breakfast most days."}


def person(family, name):
    return family.members.get(given_name=name)


def built_assessment(place, family, **state):
    """A draft of the family's whole-household assessment, led by the place's worker, built
    by the factories (`approved=True, decided_by=place.manager`… for later states)."""
    return AssessmentFactory(episode__family=family, **led_in(place, "episode__"), **state)


def section(assessment, key, subject_name=None):
    sections = assessment.sections.filter(key=key)
    if subject_name:
        sections = sections.filter(person__given_name=subject_name)
    return sections.get()


def complete_everything(user, assessment):
    for item in assessment.sections.all():
        spec = services.section_spec_for(assessment, item)
        answers = {}
        for question in spec.questions:
            answers[question.key] = (
                {
                    "rating": RATED["rating"],
                    "narrative": RATED["narrative"],
                }
                if question.type == "rating"
                else (
                    6
                    if question.type == "scale"
                    else str(level(3).uuid)
                    if question.type == "level"
                    else "Recorded with the family at home."
                )
            )
        services.assessment_section_save(
            by=user, section=item, answers=answers, expected_revision=item.revision, complete=True
        )


def detail(assessment):
    return reverse("assessments:detail", args=[assessment.uuid])


def section_url(item):
    return reverse("assessments:section", args=[item.assessment.uuid, item.uuid])
