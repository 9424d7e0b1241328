"""Early Help Assessments: sections saved on their own, the version check, approval and
immutability, new versions, due dates in working days, and who sees them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from assessments.assessments import services
from assessments.models import Assessment, AssessmentStatus
from cases.models import EpisodeStatus
from earlyhelp import access, working_days
from earlyhelp.exceptions import ServiceError
from tests.assessments.assessment_helpers import RATED, complete_everything, person, section
from tests.cases.episode_helpers import allocated_episode, level
from tests.dates import years_before
from tests.factories import AgencyFactory, FamilyFactory, PersonFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def family():
    family = FamilyFactory(owning_team=TeamFactory())
    today = timezone.localdate()
    PersonFactory(given_name="Mia", date_of_birth=years_before(today, 9), families=[family])
    PersonFactory(given_name="Kai", date_of_birth=years_before(today, 3), families=[family])
    PersonFactory(given_name="Grace", record_type="adult", date_of_birth=None, families=[family])
    return family


@pytest.fixture
def episode(north, family):
    return allocated_episode(north, family=family)


@pytest.fixture
def assessment(north, episode, family):
    return services.assessment_start(
        by=north.worker,
        episode=episode,
        children=[person(family, "Mia"), person(family, "Kai")],
        adults=[person(family, "Grace")],
    )


def test_starting_makes_a_section_per_subject_and_moves_the_episode_to_assessing(
    assessment, episode
):
    keys = sorted(assessment.sections.values_list("key", "subject"))
    per_child = [k for k, s in keys if k == "child_development"]
    assert len(per_child) == 2  # Mia and Kai
    assert len([k for k, s in keys if k == "parenting_capacity"]) == 1  # Grace
    assert len([k for k, s in keys if k == "signs_of_safety"]) == 1  # the family
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.ASSESSING


def test_it_is_due_twenty_working_days_after_allocation(assessment, episode, settings):
    assert settings.ASSESSMENT_DUE_WORKING_DAYS == 20
    assert assessment.due_at == working_days.add_working_days(episode.allocated_at, 20)
    assert not assessment.is_overdue
    Assessment.objects.filter(pk=assessment.pk).update(
        due_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assessment.refresh_from_db()
    assert assessment.is_overdue


def test_a_partial_save_keeps_what_was_typed(north, assessment):
    item = section(assessment, "child_development", "Mia")
    services.assessment_section_save(
        by=north.worker,
        section=item,
        answers={"health": RATED},
        expected_revision=0,
    )
    item.refresh_from_db()
    assert item.answers["health"] == RATED and not item.completed and item.revision == 1


def test_completing_a_section_with_gaps_saves_it_and_names_the_gaps(north, assessment):
    item = section(assessment, "child_development", "Mia")
    with pytest.raises(ValidationError) as error:
        services.assessment_section_save(
            by=north.worker,
            section=item,
            answers={"health": RATED, "identity": {"rating": "strength", "narrative": ""}},
            expected_revision=0,
            complete=True,
        )
    assert "education_and_learning" in error.value.message_dict
    assert "identity" in error.value.message_dict  # a rating without a narrative
    item.refresh_from_db()
    assert item.answers["health"] == RATED, "saved although incomplete"
    assert not item.completed


def test_a_stale_save_is_refused_with_who_saved_it(north, assessment):
    item = section(assessment, "signs_of_safety")
    services.assessment_section_save(
        by=north.colleague if False else north.worker,
        section=item,
        answers={"worries": "Mum's drinking at weekends."},
        expected_revision=0,
    )
    with pytest.raises(ServiceError, match="saved this section at .* since you opened it"):
        services.assessment_section_save(
            by=north.worker,
            section=item,
            answers={"worries": "Older version"},
            expected_revision=0,
        )
    item.refresh_from_db()
    assert item.answers["worries"] == "Mum's drinking at weekends."


def test_answers_of_the_wrong_shape_are_refused(north, assessment):
    item = section(assessment, "signs_of_safety")
    with pytest.raises(ValidationError) as error:
        services.assessment_section_save(
            by=north.worker, section=item, answers={"scaling": 14}, expected_revision=0
        )
    assert "0 to 10" in error.value.message_dict["scaling"][0]


def test_a_young_childs_voice_can_be_a_recorded_reason(north, assessment):
    kai = section(assessment, "voice_of_child", "Kai")  # aged 3
    services.assessment_section_save(
        by=north.worker,
        section=kai,
        answers={"child_views__reason": "Kai is 3: observed at nursery with his key worker."},
        expected_revision=0,
        complete=True,
    )
    kai.refresh_from_db()
    assert kai.completed

    mia = section(assessment, "voice_of_child", "Mia")  # aged 9
    with pytest.raises(ValidationError) as error:
        services.assessment_section_save(
            by=north.worker,
            section=mia,
            answers={"child_views__reason": "Busy"},
            expected_revision=0,
            complete=True,
        )
    assert "child_views" in error.value.message_dict


def test_submit_needs_every_section_complete(north, assessment):
    with pytest.raises(ServiceError, match="sections are not complete"):
        services.assessment_submit(by=north.worker, assessment=assessment)


def test_approved_is_immutable_and_a_change_is_a_new_version(north, assessment):
    complete_everything(north.worker, assessment)
    services.assessment_submit(by=north.worker, assessment=assessment)
    with pytest.raises(ServiceError, match="wait for the manager"):
        item = section(assessment, "signs_of_safety")
        services.assessment_section_save(
            by=north.worker, section=item, answers={}, expected_revision=item.revision
        )
    with pytest.raises(PermissionDenied):
        services.assessment_approve(by=north.worker, assessment=assessment)
    approved = services.assessment_approve(by=north.manager, assessment=assessment)
    assert approved.status == AssessmentStatus.APPROVED
    assert approved.recommended_level == level(3)

    item = section(assessment, "signs_of_safety")
    with pytest.raises(ServiceError, match="start a new version"):
        services.assessment_section_save(
            by=north.worker, section=item, answers={}, expected_revision=item.revision
        )

    second = services.assessment_new_version(by=north.worker, assessment=approved)
    assert (second.version, second.previous, second.status) == (2, approved, "draft")
    copied = section(second, "signs_of_safety")
    assert copied.answers == item.answers and copied.revision == 0
    with pytest.raises(ServiceError, match="newer version"):
        services.assessment_new_version(by=north.worker, assessment=approved)


def test_a_returned_assessment_is_edited_and_submitted_again(north, assessment):
    complete_everything(north.worker, assessment)
    services.assessment_submit(by=north.worker, assessment=assessment)
    with pytest.raises(ValidationError):
        services.assessment_return(by=north.manager, assessment=assessment, comments=" ")
    services.assessment_return(
        by=north.manager, assessment=assessment, comments="Add the school's view on attendance."
    )
    item = section(assessment, "family_environment")
    services.assessment_section_save(
        by=north.worker,
        section=item,
        answers={**item.answers, "community_resources": RATED},
        expected_revision=item.revision,
        complete=True,
    )
    assert services.assessment_submit(by=north.worker, assessment=assessment).status == "submitted"


def test_only_the_lead_professional_writes_it(north, assessment):
    item = section(assessment, "signs_of_safety")
    with pytest.raises(PermissionDenied):
        services.assessment_section_save(
            by=north.colleague, section=item, answers={}, expected_revision=0
        )


def test_an_unrelated_partner_does_not_see_the_assessment(north, assessment):
    partner = UserFactory(roles=[Role.PARTNER_AGENCY_USER], agency=AgencyFactory())
    assert not access.visible(partner, Assessment.objects.all()).exists()
    lead = type(north.worker).objects.get(pk=north.worker.pk)
    assert access.visible(lead, Assessment.objects.all()).get() == assessment


def test_a_new_template_version_leaves_started_assessments_on_theirs(north, assessment):
    from assessments.assessments.loader import DEFAULT_TEMPLATE

    text = DEFAULT_TEMPLATE.read_text().replace(
        "name: Early Help Assessment", "name: Early Help Assessment 2027", 1
    )
    newer = services.template_import(by=None, data=text, source_name="eha-2027.yaml")
    services.template_publish(by=None, template=newer)
    assessment.refresh_from_db()
    assert assessment.template.version == 1
    assert services.current_template() == newer
