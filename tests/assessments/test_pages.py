"""The assessment pages: start, the task list, a section's form and its errors, submit,
approve and return, versions, and who may see them."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Role
from assessments.assessments import services
from assessments.models import Assessment, AssessmentStatus
from audit.models import AuditAction, AuditEvent
from cases.models import EpisodeStatus
from tests.assessments.assessment_helpers import (
    RATED,
    complete_everything,
    detail,
    person,
    section,
    section_url,
)
from tests.factories import AssessmentFactory, TeamFactory, UserFactory
from tests.form_pages import shown_again_with_errors

pytestmark = pytest.mark.django_db


def health_post(item, *, complete, narrative="Misses breakfast most days.", revision=None):
    return {
        "revision": item.revision if revision is None else revision,
        "health": "some_need",
        "health__narrative": narrative,
        "complete": "yes" if complete else "no",
    }


def revision_shown(response):
    return int(re.search(r'name="revision" value="(\d+)"', response.content.decode()).group(1))


# Starting


def test_the_episode_page_offers_to_start_the_assessment(client, north, episode):
    client.force_login(north.worker)
    response = client.get(reverse("episodes:detail", args=[episode.uuid]))
    assert "Start the assessment" in response.content.decode()
    assert reverse("assessments:start", args=[episode.uuid]) in response.content.decode()


def test_starting_for_chosen_children_and_adults(client, north, episode, family):
    client.force_login(north.worker)
    url = reverse("assessments:start", args=[episode.uuid])
    page = client.get(url).content.decode()
    assert "Mia Okafor" in page and "Kai Okafor" in page and "Grace Okafor" in page
    mia, grace = person(family, "Mia"), person(family, "Grace")
    response = client.post(url, {"children": [mia.pk], "adults": [grace.pk]})
    assessment = Assessment.objects.get(episode=episode)
    assert response.status_code == 302
    assert response.url == detail(assessment)
    assert list(assessment.children.all()) == [mia]
    assert list(assessment.adults.all()) == [grace]
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.ASSESSING
    page = client.get(reverse("episodes:detail", args=[episode.uuid])).content.decode()
    assert "View the assessment" in page and "Start the assessment" not in page


def test_starting_needs_a_child(client, north, episode):
    client.force_login(north.worker)
    response = client.post(reverse("assessments:start", args=[episode.uuid]), {})
    assert response.status_code == 200
    assert "Choose at least one child the assessment covers" in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_second_assessment_in_progress_is_refused_on_the_form(
    client, north, episode, family, assessment
):
    client.force_login(north.worker)
    response = client.post(
        reverse("assessments:start", args=[episode.uuid]), {"children": [person(family, "Mia").pk]}
    )
    assert response.status_code == 200
    assert "already has an assessment in progress" in response.content.decode()
    assert Assessment.objects.count() == 1


# The task list


def test_the_task_list_names_each_section_by_its_subject(client, north, assessment):
    client.force_login(north.worker)
    page = client.get(detail(assessment)).content.decode()
    assert "govuk-task-list" in page
    assert "The child&#x27;s developmental needs for Mia Okafor" in page
    assert "The child&#x27;s developmental needs for Kai Okafor" in page
    assert "Parenting capacity for Grace Okafor" in page
    assert "Family and environmental factors</a>" in page
    assert "Not yet started" in page
    assert "Submit for approval" not in page


def test_an_overdue_assessment_says_so(client, north, assessment):
    Assessment.objects.filter(pk=assessment.pk).update(due_at=timezone.now().replace(year=2020))
    client.force_login(north.worker)
    assert "Overdue" in client.get(detail(assessment)).content.decode()


# A section


def test_a_partial_save_keeps_the_answers_and_shows_in_progress(client, north, assessment):
    item = section(assessment, "child_development", "Mia")
    client.force_login(north.worker)
    response = client.post(section_url(item), health_post(item, complete=False))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.answers == {"health": RATED}
    assert not item.completed and item.revision == 1
    page = client.get(detail(assessment)).content.decode()
    assert "In progress" in page
    assert f"Last saved by {escape(north.worker.get_full_name())}" in page
    form = client.get(section_url(item)).content.decode()
    assert "Misses breakfast most days." in form
    assert 'value="some_need" id="id_health_1" checked' in form or "checked" in form


def test_completing_with_gaps_saves_keeps_what_was_typed_and_shows_the_errors(
    client, north, assessment
):
    item = section(assessment, "child_development", "Mia")
    client.force_login(north.worker)
    response = client.post(
        section_url(item), health_post(item, complete=True, narrative="Typed with care")
    )
    page = shown_again_with_errors(response)
    assert "Your answers are saved, but the section is not complete yet" in page
    assert "Education and learning: give a rating and a narrative" in page
    assert "Typed with care" in page
    item.refresh_from_db()
    assert item.answers["health"]["narrative"] == "Typed with care"
    assert not item.completed
    # The page carries the revision now saved, so saving again works.
    assert revision_shown(response) == item.revision == 1
    again = client.post(section_url(item), health_post(item, complete=False, narrative="Again"))
    assert again.status_code == 302


def test_a_stale_revision_is_refused_and_keeps_the_typed_answers(client, north, assessment):
    item = section(assessment, "child_development", "Mia")
    services.assessment_section_save(
        by=north.manager,
        section=item,
        answers={"health": {"rating": "strength", "narrative": "Manager's words"}},
        expected_revision=0,
    )
    client.force_login(north.worker)
    response = client.post(
        section_url(item), health_post(item, complete=False, narrative="Mine", revision=0)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{escape(north.manager.get_full_name())} saved this section" in page
    assert "Mine" in page and "Manager&#x27;s words" in page
    item.refresh_from_db()
    assert item.answers["health"]["narrative"] == "Manager's words"
    assert revision_shown(response) == 1
    again = client.post(section_url(item), health_post(item, complete=False, narrative="Mine"))
    assert again.status_code == 302
    item.refresh_from_db()
    assert item.answers["health"]["narrative"] == "Mine"


def test_a_young_child_gets_a_reason_box_for_their_views(client, north, assessment):
    kai = section(assessment, "voice_of_child", "Kai")
    mia = section(assessment, "voice_of_child", "Mia")
    client.force_login(north.worker)
    assert "If you could not gather the child" in client.get(section_url(kai)).content.decode()
    assert "If you could not gather the child" not in client.get(section_url(mia)).content.decode()
    response = client.post(
        section_url(kai),
        {"revision": 0, "child_views__reason": "Kai is 3 and not talking yet", "complete": "yes"},
    )
    assert response.status_code == 302
    kai.refresh_from_db()
    assert kai.completed
    assert kai.answers == {"child_views__reason": "Kai is 3 and not talking yet"}


def test_scale_and_level_questions_save(client, north, assessment):
    from tests.cases.episode_helpers import level

    client.force_login(north.worker)
    safety = section(assessment, "signs_of_safety")
    response = client.post(
        section_url(safety),
        {
            "revision": 0,
            "worries": "W",
            "working_well": "G",
            "needs_to_happen": "N",
            "scaling": "6",
            "complete": "yes",
        },
    )
    assert response.status_code == 302
    safety.refresh_from_db()
    assert safety.completed and safety.answers["scaling"] == 6
    analysis = section(assessment, "analysis")
    page = client.get(section_url(analysis)).content.decode()
    assert level(3).name in page
    response = client.post(
        section_url(analysis),
        {"revision": 0, "recommended_level": str(level(3).uuid), "complete": "no"},
    )
    assert response.status_code == 302
    analysis.refresh_from_db()
    assert analysis.answers["recommended_level"] == str(level(3).uuid)


def test_a_bad_choice_is_an_error_not_a_500(client, north, assessment):
    item = section(assessment, "child_development", "Mia")
    client.force_login(north.worker)
    response = client.post(section_url(item), {"revision": 0, "health": "fine", "complete": "no"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    item.refresh_from_db()
    assert item.revision == 0


# Submitting and deciding


def test_submit_approve_by_a_manager(client, north, assessment):
    complete_everything(north.worker, assessment)
    client.force_login(north.worker)
    assert "Submit for approval" in client.get(detail(assessment)).content.decode()
    response = client.post(reverse("assessments:submit", args=[assessment.uuid]))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    # The lead professional cannot approve.
    assert "Approve" not in client.get(detail(assessment)).content.decode()
    assert client.post(reverse("assessments:approve", args=[assessment.uuid])).status_code == 403
    client.force_login(north.manager)
    assert "Approve" in client.get(detail(assessment)).content.decode()
    response = client.post(reverse("assessments:approve", args=[assessment.uuid]))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPROVED
    assert assessment.decided_by == north.manager


def test_submitting_with_sections_unfinished_is_refused_on_the_page(client, north, assessment):
    client.force_login(north.worker)
    response = client.post(reverse("assessments:submit", args=[assessment.uuid]))
    assert response.status_code == 200
    assert "complete every section before submitting" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_the_submitter_cannot_approve(client, north, assessment):
    complete_everything(north.manager, assessment)
    services.assessment_submit(by=north.manager, assessment=assessment)
    client.force_login(north.manager)
    page = client.get(detail(assessment)).content.decode()
    assert "You submitted this assessment" in page
    assert ">Approve</button>" not in page
    assert client.post(reverse("assessments:approve", args=[assessment.uuid])).status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_return_with_comments(client, north, assessment):
    complete_everything(north.worker, assessment)
    services.assessment_submit(by=north.worker, assessment=assessment)
    client.force_login(north.manager)
    url = reverse("assessments:return", args=[assessment.uuid])
    reads = AuditEvent.objects.filter(
        actor=north.manager, action=AuditAction.VIEW, object_id=str(assessment.pk)
    )
    assert not reads.exists()
    response = client.post(url, {"return-comments": ""})
    assert response.status_code == 200
    assert "Enter what needs to change" in response.content.decode()
    assert reads.count() == 1  # the task list shown again with the error is a read of it
    response = client.post(url, {"return-comments": "Say more about Kai's sleep"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.RETURNED
    client.force_login(north.worker)
    page = client.get(detail(assessment)).content.decode()
    assert "Say more about Kai&#x27;s sleep" in page
    assert "Submit for approval" in page


@pytest.fixture
def approved(north, episode):
    return AssessmentFactory(episode=episode, approved=True, decided_by=north.manager)


def test_an_approved_assessment_is_read_only(client, north, approved):
    item = section(approved, "child_development", "Mia")
    client.force_login(north.worker)
    page = client.get(detail(approved)).content.decode()
    assert "Misses breakfast most days." in page  # every answer, read only
    assert "Start a new version" in page
    form = client.get(section_url(item)).content.decode()
    assert "Save and mark as complete" not in form
    assert "Misses breakfast most days." in form
    response = client.post(section_url(item), health_post(item, complete=False, narrative="X"))
    assert response.status_code == 302
    followed = client.get(response.url).content.decode()
    assert "Start a new version to change it" in followed
    item.refresh_from_db()
    assert item.answers["health"]["narrative"] == RATED["narrative"]


def test_a_new_version_and_comparing_it(client, north, approved):
    client.force_login(north.worker)
    response = client.post(reverse("assessments:new-version", args=[approved.uuid]))
    new = Assessment.objects.get(previous=approved)
    assert response.status_code == 302 and response.url == detail(new)
    assert new.version == 2 and new.status == AssessmentStatus.DRAFT
    page = client.get(detail(new)).content.decode()
    assert "Compare with version 1" in page or "compare with version 1" in page
    item = section(new, "child_development", "Mia")
    data = {"revision": item.revision, "complete": "yes"}
    for key, value in item.answers.items():
        data[key], data[f"{key}__narrative"] = value["rating"], value["narrative"]
    data["health__narrative"] = "Eats well now"
    assert client.post(section_url(item), data).status_code == 302
    compare = client.get(reverse("assessments:compare", args=[new.uuid])).content.decode()
    assert "1 answer changed" in compare
    assert compare.count(">Changed</strong>") == 1
    assert "Eats well now" in compare and RATED["narrative"] in compare
    old = client.get(detail(approved)).content.decode()
    assert "A newer version exists" in old and "Start a new version" not in old


def test_the_first_version_has_nothing_to_compare(client, north, assessment):
    client.force_login(north.worker)
    assert client.get(reverse("assessments:compare", args=[assessment.uuid])).status_code == 404


# Who may see


def test_an_unrelated_partner_gets_404(client, assessment):
    partner = UserFactory(roles=[Role.PARTNER_AGENCY_USER], teams=[TeamFactory()])
    client.force_login(partner)
    item = assessment.sections.first()
    assert client.get(detail(assessment)).status_code == 404
    assert client.get(section_url(item)).status_code == 404
    assert client.post(section_url(item), health_post(item, complete=False)).status_code == 404
    assert client.get(reverse("assessments:compare", args=[assessment.uuid])).status_code == 404
    start = reverse("assessments:start", args=[assessment.episode.uuid])
    assert client.get(start).status_code == 404


def test_a_colleague_reads_but_cannot_write(client, north, assessment):
    item = section(assessment, "child_development", "Mia")
    client.force_login(north.colleague)
    assert client.get(detail(assessment)).status_code == 200
    page = client.get(section_url(item)).content.decode()
    assert "Save and mark as complete" not in page
    assert client.post(section_url(item), health_post(item, complete=False)).status_code == 403


def test_pages_are_audited(client, north, assessment):
    item = section(assessment, "child_development", "Mia")
    client.force_login(north.worker)
    client.get(detail(assessment))
    client.get(section_url(item))
    views = AuditEvent.objects.filter(action=AuditAction.VIEW, actor=north.worker)
    assert views.for_object(assessment).exists()
    assert views.for_object(item).exists()
    client.post(section_url(item), health_post(item, complete=False))
    changes = AuditEvent.objects.for_object(assessment).filter(action=AuditAction.CHANGE)
    assert changes.filter(detail__step="save section").exists()
