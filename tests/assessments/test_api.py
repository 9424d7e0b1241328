"""The assessments API: templates (read by every user, imported and published by system
administrators), assessments and their sections under the access policy, the revision
check (409), saving an incomplete section (400, saved), and the approval steps."""

import pytest
from django.utils import timezone

from accounts.models import Role
from assessments.assessments import services
from assessments.assessments.loader import DEFAULT_TEMPLATE
from assessments.models import Assessment, AssessmentSection, AssessmentTemplate
from audit.models import AuditAction, AuditEvent
from tests.assessments.assessment_helpers import RATED, built_assessment, complete_everything
from tests.dates import years_before
from tests.factories import (
    AgencyFactory,
    AllocatedEpisodeFactory,
    FamilyFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
    led_in,
)

pytestmark = pytest.mark.django_db


def years_ago(years):
    today = timezone.localdate()
    return years_before(today, years)


def make_family(children=2):
    family = FamilyFactory(owning_team=TeamFactory())
    for number in range(children):
        PersonFactory(given_name=f"Child{number}", date_of_birth=years_ago(9), families=[family])
    PersonFactory(given_name="Grace", record_type="adult", date_of_birth=None, families=[family])
    return family


@pytest.fixture
def family():
    return make_family()


@pytest.fixture
def assessment(north, family):
    return built_assessment(north, family)


def url(assessment, step=""):
    return f"/api/assessments/{assessment.uuid}/" + (f"{step}/" if step else "")


def section_url(section):
    return f"/api/assessment-sections/{section.uuid}/"


def signs_of_safety(assessment):
    return assessment.sections.get(key="signs_of_safety")


# Templates


def test_every_user_of_the_service_reads_the_templates(as_user, north):
    response = as_user(north.worker).get("/api/assessment-templates/")
    assert response.status_code == 200, response.json()
    (template,) = response.json()["results"]
    assert template["is_current"] and template["version"] == 1
    assert template["definition"]["sections"][0]["key"] == "child_development"
    detail = as_user(north.worker).get(f"/api/assessment-templates/{template['uuid']}/")
    assert detail.json()["name"] == template["name"]
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="assessments.assessmenttemplate"
    ).exists()


def test_an_administrator_imports_and_publishes_a_template(as_user, system_administrator):
    client = as_user(system_administrator)
    text = DEFAULT_TEMPLATE.read_text().replace(
        "name: Early Help Assessment", "name: Early Help Assessment 2027", 1
    )
    response = client.post(
        "/api/assessment-templates/",
        {"source_name": "eha-2027.yaml", "content": text},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["version"], body["is_current"]) == (2, False)
    assert body["source_name"] == "eha-2027.yaml"

    published = client.post(f"/api/assessment-templates/{body['uuid']}/publish/")
    assert published.status_code == 200, published.json()
    assert published.json()["is_current"]
    assert services.current_template().uuid.hex == body["uuid"].replace("-", "")


def test_a_bad_template_file_answers_400_naming_the_line(as_user, system_administrator):
    text = "name: Broken\nsections:\n  - key: one\n    title: One\n    applies_to: cat\n"
    response = as_user(system_administrator).post(
        "/api/assessment-templates/", {"content": text}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]["content"] and all(
        line.startswith("line ") for line in body["errors"]["content"]
    )
    assert any(line.startswith("line 5:") for line in body["errors"]["content"])
    assert AssessmentTemplate.objects.count() == 1


def test_a_practitioner_may_not_import_or_publish(as_user, north):
    client = as_user(north.worker)
    text = DEFAULT_TEMPLATE.read_text()
    response = client.post("/api/assessment-templates/", {"content": text}, format="json")
    assert response.status_code == 403
    template = AssessmentTemplate.objects.get()
    assert client.post(f"/api/assessment-templates/{template.uuid}/publish/").status_code == 403


# Assessments


def test_the_lead_professional_starts_an_assessment(as_user, north, family):
    episode = AllocatedEpisodeFactory(family=family, **led_in(north))
    children = [str(p.uuid) for p in family.members.filter(record_type="child")]
    adults = [str(p.uuid) for p in family.members.filter(record_type="adult")]
    response = as_user(north.worker).post(
        "/api/assessments/",
        {"episode": str(episode.uuid), "children": children, "adults": adults},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["version"], body["episode"]) == ("draft", 1, str(episode.uuid))
    assert sorted(child["uuid"] for child in body["children"]) == sorted(children)
    assert [adult["full_name"] for adult in body["adults"]]
    keys = [section["key"] for section in body["sections"]]
    assert keys.count("child_development") == 2
    development = next(s for s in body["sections"] if s["key"] == "child_development")
    assert development["title"] == "The child's developmental needs"
    assert development["person"] in children and development["revision"] == 0
    assert body["is_overdue"] is False and body["due_at"]

    again = as_user(north.worker).post(
        "/api/assessments/",
        {"episode": str(episode.uuid), "children": children},
        format="json",
    )
    assert again.status_code == 400
    assert "in progress" in again.json()["message"]


def test_starting_needs_a_child_of_the_family(as_user, north, family):
    episode = AllocatedEpisodeFactory(family=family, **led_in(north))
    stranger = PersonFactory(families=[FamilyFactory(owning_team=north.team)])
    client = as_user(north.worker)
    response = client.post(
        "/api/assessments/",
        {"episode": str(episode.uuid), "children": [str(stranger.uuid)]},
        format="json",
    )
    assert response.status_code == 400
    assert "children" in response.json()["errors"]
    response = client.post(
        "/api/assessments/", {"episode": str(episode.uuid), "children": []}, format="json"
    )
    assert response.json()["errors"]["children"] == [
        "Choose at least one child the assessment covers"
    ]


def test_the_list_filters_by_episode_and_status(as_user, north, assessment):
    other = built_assessment(north, make_family(1))
    client = as_user(north.worker)
    response = client.get("/api/assessments/", {"episode": str(assessment.episode.uuid)})
    assert [row["uuid"] for row in response.json()["results"]] == [str(assessment.uuid)]
    response = client.get("/api/assessments/", {"status": "draft"})
    assert {row["uuid"] for row in response.json()["results"]} == {
        str(assessment.uuid),
        str(other.uuid),
    }
    assert client.get("/api/assessments/", {"status": "approved"}).json()["count"] == 0
    assert AuditEvent.objects.filter(
        action=AuditAction.LIST, object_type="assessments.assessment"
    ).exists()


def test_a_section_shows_its_questions_and_answers(as_user, north, assessment):
    item = signs_of_safety(assessment)
    response = as_user(north.worker).get(section_url(item))
    assert response.status_code == 200
    body = response.json()
    assert body["subject"] == "family" and body["person"] is None
    assert "worries" in [question["key"] for question in body["questions"]]
    assert body["answers"] == {} and body["is_editable"]
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW,
        object_type="assessments.assessmentsection",
        object_id=str(item.pk),
    ).exists()


def test_a_partial_save_keeps_the_answers(as_user, north, assessment):
    item = signs_of_safety(assessment)
    client = as_user(north.worker)
    response = client.patch(
        section_url(item), {"answers": {"worries": "Weekends."}, "revision": 0}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["revision"] == 1 and not response.json()["completed"]
    # PATCH keeps the answers not sent; PUT replaces them.
    response = client.patch(
        section_url(item), {"answers": {"scaling": 6}, "revision": 1}, format="json"
    )
    assert response.json()["answers"] == {"worries": "Weekends.", "scaling": 6}
    response = client.put(
        section_url(item), {"answers": {"scaling": 7}, "revision": 2}, format="json"
    )
    assert response.json()["answers"] == {"scaling": 7}
    item.refresh_from_db()
    assert (item.answers, item.revision, item.updated_by) == ({"scaling": 7}, 3, north.worker)


def test_answers_of_the_wrong_shape_answer_400_and_are_not_saved(as_user, north, assessment):
    item = signs_of_safety(assessment)
    response = as_user(north.worker).patch(
        section_url(item), {"answers": {"scaling": 14}, "revision": 0}, format="json"
    )
    assert response.status_code == 400
    assert "0 to 10" in response.json()["errors"]["scaling"][0]
    assert "saved" not in response.json()
    item.refresh_from_db()
    assert item.revision == 0 and item.answers == {}


def test_a_stale_revision_answers_409_with_the_current_answers(as_user, north, assessment):
    item = signs_of_safety(assessment)
    services.assessment_section_save(
        by=north.worker, section=item, answers={"worries": "Theirs"}, expected_revision=0
    )
    response = as_user(north.worker).put(
        section_url(item), {"answers": {"worries": "Mine"}, "revision": 0}, format="json"
    )
    assert response.status_code == 409, response.json()
    body = response.json()
    assert body["code"] == "conflict" and "since you opened it" in body["message"]
    assert body["section"]["answers"] == {"worries": "Theirs"}
    assert body["section"]["revision"] == 1
    assert body["section"]["updated_by"]["uuid"] == str(north.worker.uuid)
    item.refresh_from_db()
    assert item.answers == {"worries": "Theirs"}


def test_completing_with_gaps_answers_400_and_saves_the_answers(as_user, north, assessment):
    item = assessment.sections.filter(key="child_development").first()
    response = as_user(north.worker).patch(
        section_url(item),
        {"answers": {"health": RATED}, "revision": 0, "complete": True},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["saved"] is True and body["revision"] == 1
    assert body["message"] == services.SAVED_NOT_COMPLETE
    assert body["errors"]["non_field_errors"] == [services.SAVED_NOT_COMPLETE]
    assert "education_and_learning" in body["errors"]
    assert body["section"]["answers"]["health"] == RATED
    item.refresh_from_db()
    assert item.answers["health"] == RATED and item.revision == 1 and not item.completed


def test_only_the_lead_professional_saves_a_section(as_user, north, assessment):
    item = signs_of_safety(assessment)
    response = as_user(north.colleague).patch(
        section_url(item), {"answers": {}, "revision": 0}, format="json"
    )
    assert response.status_code == 403


def test_a_reader_who_may_not_write_gets_403_before_the_body_is_read(as_user, north, assessment):
    """A colleague who may see the assessment but not write it sends an empty body: 403
    (not a 400 about the body), nothing saved; someone who may not see it gets 404."""
    item = signs_of_safety(assessment)
    colleague = as_user(north.colleague)
    assert colleague.get(section_url(item)).status_code == 200
    for send in (colleague.put, colleague.patch):
        response = send(section_url(item), {}, format="json")
        assert response.status_code == 403, response.json()
        assert "lead professional" in response.json()["message"]
    # Returning is for managers: the lead professional sending nothing is refused too.
    response = as_user(north.worker).post(url(assessment, "return"), {}, format="json")
    assert response.status_code == 403, response.json()
    item.refresh_from_db()
    assert item.revision == 0 and item.answers == {}

    outsider = as_user(UserFactory(roles=[Role.PARTNER_AGENCY_USER], agency=AgencyFactory()))
    for send in (outsider.put, outsider.patch):
        assert send(section_url(item), {}, format="json").status_code == 404
    assert outsider.post(url(assessment, "return"), {}, format="json").status_code == 404


def test_submit_return_approve_and_new_version(as_user, north, assessment):
    worker, manager = as_user(north.worker), None
    response = worker.post(url(assessment, "submit"))
    assert response.status_code == 400 and "not complete" in response.json()["message"]

    complete_everything(north.worker, assessment)
    response = worker.post(url(assessment, "submit"))
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"
    assert worker.post(url(assessment, "approve")).status_code == 403

    manager = as_user(north.manager)
    response = manager.post(url(assessment, "return"), {"comments": " "}, format="json")
    assert response.status_code == 400 and "comments" in response.json()["errors"]
    response = manager.post(
        url(assessment, "return"), {"comments": "Add the school's view."}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["return_comments"]) == (
        "returned",
        "Add the school's view.",
    )

    worker = as_user(north.worker)
    assert worker.post(url(assessment, "submit")).json()["status"] == "submitted"
    manager = as_user(north.manager)
    response = manager.post(url(assessment, "approve"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "approved" and body["recommended_level"]["rank"] == 3
    assert body["decided_by"]["uuid"] == str(north.manager.uuid)

    # Approved: the sections cannot change.
    item = signs_of_safety(assessment)
    worker = as_user(north.worker)
    response = worker.patch(
        section_url(item), {"answers": {}, "revision": item.revision}, format="json"
    )
    assert response.status_code == 400
    assert "start a new version" in response.json()["message"]

    response = worker.post(url(assessment, "new-version"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["version"], body["status"], body["previous"]) == (2, "draft", str(assessment.uuid))
    copied = next(s for s in body["sections"] if s["key"] == "signs_of_safety")
    assert copied["revision"] == 0 and copied["completed"]
    assert worker.post(url(assessment, "new-version")).status_code == 400


def test_an_unrelated_partner_gets_404(as_user, north, assessment):
    partner = UserFactory(roles=[Role.PARTNER_AGENCY_USER], agency=AgencyFactory())
    client = as_user(partner)
    item = signs_of_safety(assessment)
    assert client.get(url(assessment)).status_code == 404
    assert client.post(url(assessment, "submit")).status_code == 404
    assert client.get(section_url(item)).status_code == 404
    response = client.patch(section_url(item), {"answers": {}, "revision": 0}, format="json")
    assert response.status_code == 404
    assert client.get("/api/assessments/").json()["count"] == 0
    response = client.post(
        "/api/assessments/",
        {"episode": str(assessment.episode.uuid), "children": []},
        format="json",
    )
    assert response.status_code == 400 and "episode" in response.json()["errors"]


# Query counts, measured at both sizes: sign-in roles, teams, the page (the list also counts),
# for a detail the children, adults and sections prefetched, and the audit event; one more
# for the content type the access policy looks up, when the process has not cached it yet.

LIST_QUERIES = 6
DETAIL_QUERIES = 8


@pytest.mark.parametrize("rows", [2, 50])
def test_the_list_query_count_does_not_grow(as_user, north, django_assert_max_num_queries, rows):
    for _ in range(rows):
        built_assessment(north, make_family(1))
    client = as_user(north.worker)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get("/api/assessments/", {"page_size": 100})
    assert response.status_code == 200
    assert response.json()["count"] == rows


@pytest.mark.parametrize("children", [2, 25])
def test_the_detail_query_count_does_not_grow(
    as_user, north, django_assert_max_num_queries, children
):
    assessment = built_assessment(north, make_family(children))
    client = as_user(north.worker)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(url(assessment))
    assert response.status_code == 200
    # Three sections a child, one an adult, and the family's.
    assert len(response.json()["children"]) == children
    assert (
        len(response.json()["sections"])
        == AssessmentSection.objects.filter(assessment=assessment).count()
    )
    assert Assessment.objects.count() == 1
