"""The family plan PDF: asked for on the plan in force, made by the background job (eager
in tests, after the commit), stored, and downloaded by those who may see the plan.

One test renders with WeasyPrint and reads the PDF's text back; the others swap the
converter for a stub, since what they check is the bookkeeping around it."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import timezone

from assessments.documents import selectors as document_selectors
from assessments.documents import services as documents
from assessments.models import FamilyPlanDocument, FamilyPlanDocumentStatus
from assessments.plans import services as plans
from audit.models import AuditAction, AuditEvent
from cases.models import TafMember
from earlyhelp import pdf
from earlyhelp.exceptions import ServiceError
from tests.assessments.plan_helpers import built_agreed_plan, built_draft_plan, update_words
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.4 a stand-in for the family's copy"
MARKUP = "<b>bold</b> & <script>x</script>"


@pytest.fixture
def stub_pdf(monkeypatch):
    calls = []

    def fake(html):
        calls.append(html)
        return FAKE_PDF

    monkeypatch.setattr(pdf, "html_to_pdf", fake)
    return calls


def ready_document(plan, by=None):
    document = FamilyPlanDocument.objects.create(
        plan=plan,
        requested_by=by,
        status=FamilyPlanDocumentStatus.READY,
        rendered_at=timezone.now(),
    )
    document.file.save(document.filename, ContentFile(FAKE_PDF))
    return document


def request_and_render(django_capture_on_commit_callbacks, by, plan):
    with django_capture_on_commit_callbacks(execute=True):
        document = documents.plan_document_request(by=by, plan=plan)
    document.refresh_from_db()
    return document


def pdf_text(content):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def long_date(day):
    return f"{day:%-d %B %Y}"


# Rendering: the one test that runs WeasyPrint


def test_the_family_copy_shows_the_plan_in_plain_words(place, django_capture_on_commit_callbacks):
    plan = built_draft_plan(place)
    plan = update_words(plan, place.worker, family_words=MARKUP)
    plan = plans.plan_agree(by=place.worker, plan=plan)
    episode = plan.episode
    TafMember.objects.create(
        episode=episode,
        agency=place.social_care_team.agency,
        contact_name="Ade Bello",
        contact_email="ade.bello@example.org",
        role="School nurse",
    )
    TafMember.objects.create(
        episode=episode,
        agency=place.social_care_team.agency,
        contact_name="Left Already",
        role="Former member",
        started_on=timezone.localdate().replace(year=2020),
        ended_on=timezone.localdate().replace(year=2021),
    )
    family = episode.family
    mia = family.members.get(given_name="Mia")
    mia.phone, mia.email = "07700 900123", "mia.private@example.com"
    mia.save()
    family.postcode = "SW1A 1AA"
    family.save()

    document = request_and_render(django_capture_on_commit_callbacks, place.worker, plan)

    assert document.status == FamilyPlanDocumentStatus.READY
    assert document.rendered_at is not None and document.error == ""
    assert document.file.name.startswith("family-plans/")
    with document.file.open("rb") as stored:
        content = stored.read()
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    action = plan.actions.get()
    for expected in [
        "Your family plan",
        "Okafor family",
        "Mia, 9 years old",
        "Kai, 3 years old",
        "Grace",
        "Mornings are chaotic and the children miss school.",
        "Dad collects the children every day.",
        "Mia gets to school on time, every day (1)",
        "For Mia",
        "Where things are now: 3 out of 10. Where we want to get to: 8 out of 10.",
        "Morning routine chart with the family (1)",
        f"Who: {place.worker.full_name}",
        f"By when: {long_date(action.due_on)}",
        "How it is going: Not started",
        "If attendance does not improve by half term, we meet again sooner.",
        place.worker.full_name,
        place.worker.email,
        f"Team: {place.team.name}",
        "Ade Bello",
        "ade.bello@example.org",
        long_date(plan.next_review_on),
        MARKUP,
    ]:
        assert expected in text, expected
    # Only first names and ages: no sensitive fields, no addresses, no ended TAF members.
    for hidden in ["07700 900123", "mia.private@example.com", "SW1A 1AA", "Left Already"]:
        assert hidden not in text
    assert "Confidential: use only for your work" not in text

    html = documents.family_plan_html(documents._plan_for_print(plan.pk))
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>" not in html

    events = AuditEvent.objects.filter(object_type="assessments.plan", object_id=str(plan.pk))
    requested = events.get(action=AuditAction.PRINT, detail__step="requested")
    assert requested.actor == place.worker
    rendered = events.get(action=AuditAction.PRINT, detail__step="rendered")
    assert rendered.actor is None and rendered.actor_label == "family plan PDF job"


# Asking for it


def test_a_draft_plan_is_refused(place, stub_pdf):
    plan = built_draft_plan(place)
    with pytest.raises(ServiceError, match="Agree the plan"):
        documents.plan_document_request(by=place.worker, plan=plan)
    assert not FamilyPlanDocument.objects.exists()


def test_a_replaced_version_is_refused(place, plan, stub_pdf):
    new = plans.plan_new_version(by=place.worker, plan=plan)
    plans.plan_agree(by=place.worker, plan=new)
    with pytest.raises(ServiceError, match="has been replaced"):
        documents.plan_document_request(by=place.worker, plan=plan)
    assert not FamilyPlanDocument.objects.exists()


def test_only_those_who_work_on_the_episode_may_ask(place, plan, stub_pdf):
    with pytest.raises(PermissionDenied):
        documents.plan_document_request(by=place.colleague, plan=plan)
    assert not FamilyPlanDocument.objects.exists()


def test_the_manager_may_ask(place, plan, stub_pdf, django_capture_on_commit_callbacks):
    document = request_and_render(django_capture_on_commit_callbacks, place.manager, plan)
    assert document.status == FamilyPlanDocumentStatus.READY
    assert document.requested_by == place.manager


def test_the_job_waits_for_the_commit(place, plan, stub_pdf, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = documents.plan_document_request(by=place.worker, plan=plan)
    document.refresh_from_db()
    assert document.status == FamilyPlanDocumentStatus.QUEUED and stub_pdf == []
    assert len(callbacks) == 1


def test_asking_again_while_it_is_made_answers_with_the_same_one(
    place, plan, stub_pdf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = documents.plan_document_request(by=place.worker, plan=plan)
        second = documents.plan_document_request(by=place.worker, plan=plan)
    assert second == first and len(callbacks) == 1
    assert FamilyPlanDocument.objects.filter(plan=plan).count() == 1
    first.status = FamilyPlanDocumentStatus.READY
    first.save()
    # Once made, asking again makes a fresh copy: the plan may have moved on since.
    assert documents.plan_document_request(by=place.worker, plan=plan) != first


# The job


def test_a_failed_render_is_marked_and_does_not_raise(
    place, plan, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(html):
        raise RuntimeError("WeasyPrint could not lay out the page")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    document = request_and_render(django_capture_on_commit_callbacks, place.worker, plan)
    assert document.status == FamilyPlanDocumentStatus.FAILED
    assert document.error == "WeasyPrint could not lay out the page"
    assert not document.file and document.rendered_at is None
    assert AuditEvent.objects.filter(detail__step="rendered", detail__status="failed").exists()


def test_a_failed_document_can_be_made_again(place, plan, monkeypatch, stub_pdf):
    document = FamilyPlanDocument.objects.create(
        plan=plan, status=FamilyPlanDocumentStatus.FAILED, error="earlier"
    )
    assert documents.plan_document_render(document_pk=document.pk) == "ready"
    document.refresh_from_db()
    assert document.error == "" and document.file.read() == FAKE_PDF


def test_rendering_twice_leaves_the_first_file_alone(
    place, plan, stub_pdf, monkeypatch, django_capture_on_commit_callbacks
):
    document = request_and_render(django_capture_on_commit_callbacks, place.worker, plan)
    first_name, first_at = document.file.name, document.rendered_at
    assert len(stub_pdf) == 1

    def must_not_run(html):
        raise AssertionError("rendered again")

    monkeypatch.setattr(pdf, "html_to_pdf", must_not_run)
    assert documents.plan_document_render(document_pk=document.pk) == "ready"
    document.refresh_from_db()
    assert (document.file.name, document.rendered_at) == (first_name, first_at)
    assert document.status == FamilyPlanDocumentStatus.READY
    assert AuditEvent.objects.filter(detail__step="rendered").count() == 1


def test_a_missing_document_does_not_raise(db):
    assert documents.plan_document_render(document_pk=987654) == "missing"


# The pages


def test_asking_on_the_page_makes_it_and_goes_back_to_the_plan(
    client, place, plan, stub_pdf, django_capture_on_commit_callbacks
):
    client_for(client, place.worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/plans/{plan.uuid}/family-plan/", follow=False)
    assert response.status_code == 302
    assert response["Location"] == f"/plans/{plan.uuid}/#family-plan"
    document = FamilyPlanDocument.objects.get(plan=plan)
    assert document.status == FamilyPlanDocumentStatus.READY
    # The job runs once the request commits: here, as the block above ends.
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["The family plan PDF is being prepared"]


def test_asking_for_a_draft_on_the_page_shows_why_not(client, place, stub_pdf):
    plan = built_draft_plan(place)
    client_for(client, place.worker)
    response = client.post(f"/plans/{plan.uuid}/family-plan/")
    assert response.status_code == 302
    assert [str(m) for m in response.wsgi_request._messages] == [
        "Agree the plan before printing the family's copy"
    ]
    assert not FamilyPlanDocument.objects.exists()


@pytest.mark.parametrize("who, expected", [("colleague", 403), ("outsider", 404)])
def test_others_may_not_ask_on_the_page(client, place, plan, outsider, who, expected):
    user = outsider if who == "outsider" else getattr(place, who)
    client_for(client, user)
    assert client.post(f"/plans/{plan.uuid}/family-plan/").status_code == expected
    assert not FamilyPlanDocument.objects.exists()


def test_the_page_is_post_only(client, place, plan):
    client_for(client, place.worker)
    assert client.get(f"/plans/{plan.uuid}/family-plan/").status_code == 405


@pytest.mark.parametrize("who", ["worker", "colleague", "manager"])
def test_those_who_see_the_family_download_it(client, place, plan, who):
    document = ready_document(plan, by=place.worker)
    user = getattr(place, who)
    client_for(client, user)
    response = client.get(f"/family-plans/{document.uuid}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{document.filename}"'
    assert b"".join(response.streaming_content) == FAKE_PDF
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == user
    assert (event.object_type, event.object_id) == ("assessments.plan", str(plan.pk))
    assert event.detail == {"document": str(document.uuid)}


def test_an_outsider_gets_404_on_the_download(client, place, plan, outsider):
    document = ready_document(plan)
    client_for(client, outsider)
    assert client.get(f"/family-plans/{document.uuid}/download/").status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize("state", ["queued", "failed"])
def test_a_document_not_ready_is_not_found(client, place, plan, state):
    document = FamilyPlanDocument.objects.create(plan=plan, status=state)
    client_for(client, place.worker)
    assert client.get(f"/family-plans/{document.uuid}/download/").status_code == 404


def test_a_file_gone_from_storage_is_not_found(client, place, plan):
    document = ready_document(plan)
    document.file.storage.delete(document.file.name)
    client_for(client, place.worker)
    assert client.get(f"/family-plans/{document.uuid}/download/").status_code == 404


def test_the_download_page_query_count(client, place, plan, django_assert_max_num_queries):
    document = ready_document(plan)
    client_for(client, place.worker)
    with django_assert_max_num_queries(10):
        response = client.get(f"/family-plans/{document.uuid}/download/")
    assert response.status_code == 200


# The selector for the plan page


def test_the_plan_page_selector_lists_newest_first(place, plan, outsider):
    older = ready_document(plan)
    newer = FamilyPlanDocument.objects.create(plan=plan, requested_by=place.worker)
    assert list(document_selectors.documents_for(place.colleague, plan)) == [newer, older]
    assert list(document_selectors.documents_for(outsider, plan)) == []


# The API


def test_the_api_makes_it_and_answers_202(
    as_user, place, plan, stub_pdf, django_capture_on_commit_callbacks
):
    client = as_user(place.worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/family-plans/", {"plan": str(plan.uuid)}, format="json")
    assert response.status_code == 202, response.json()
    document = FamilyPlanDocument.objects.get(plan=plan)
    body = response.json()
    assert body["uuid"] == str(document.uuid)
    assert body["plan"] == str(plan.uuid)
    # Answered before the commit, so before the job ran.
    assert (body["status"], body["status_display"]) == ("queued", "Being prepared")
    assert body["download_url"] is None
    assert body["requested_by"]["email"] == place.worker.email

    body = client.get(f"/api/family-plans/{document.uuid}/").json()
    assert (body["status"], body["status_display"]) == ("ready", "Ready")
    assert body["download_url"] == f"/api/family-plans/{document.uuid}/download/"

    download = client.get(body["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == FAKE_PDF
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=place.worker).count() == 1


def test_the_api_refuses_a_draft_and_a_colleague(as_user, place, stub_pdf):
    draft = built_draft_plan(place)
    response = as_user(place.worker).post("/api/family-plans/", {"plan": str(draft.uuid)})
    assert response.status_code == 400
    assert response.json()["message"] == "Agree the plan before printing the family's copy"
    draft = plans.plan_agree(by=place.worker, plan=draft)
    response = as_user(place.colleague).post("/api/family-plans/", {"plan": str(draft.uuid)})
    assert response.status_code == 403
    assert not FamilyPlanDocument.objects.exists()


def test_the_api_hides_everything_from_an_outsider(as_user, place, plan, outsider):
    document = ready_document(plan)
    client = as_user(outsider)
    response = client.post("/api/family-plans/", {"plan": str(plan.uuid)})
    assert response.status_code == 400
    assert response.json()["errors"]["plan"] == ["Choose a plan you can see"]
    assert client.get(f"/api/family-plans/{document.uuid}/").status_code == 404
    assert client.get(f"/api/family-plans/{document.uuid}/download/").status_code == 404
    assert client.get("/api/family-plans/").json()["count"] == 0
    assert client.get("/api/family-plans/", {"plan": str(plan.uuid)}).status_code == 400


def test_the_api_download_is_404_until_ready(as_user, place, plan):
    document = FamilyPlanDocument.objects.create(plan=plan)
    client = as_user(place.worker)
    body = client.get(f"/api/family-plans/{document.uuid}/").json()
    assert (body["status"], body["download_url"]) == ("queued", None)
    assert client.get(f"/api/family-plans/{document.uuid}/download/").status_code == 404


def test_the_api_list_filters_by_plan(as_user, place, plan):
    mine = ready_document(plan)
    other = ready_document(built_agreed_plan(place))
    client = as_user(place.colleague)
    everything = client.get("/api/family-plans/").json()
    assert {row["uuid"] for row in everything["results"]} == {str(mine.uuid), str(other.uuid)}
    filtered = client.get("/api/family-plans/", {"plan": str(plan.uuid)}).json()
    assert [row["uuid"] for row in filtered["results"]] == [str(mine.uuid)]


def _many_documents(plan, rows, by):
    FamilyPlanDocument.objects.bulk_create(
        FamilyPlanDocument(
            plan=plan,
            requested_by=by,
            status=FamilyPlanDocumentStatus.READY,
            file=f"family-plans/2025/01/copy-{number}.pdf",
            rendered_at=timezone.now(),
        )
        for number in range(rows)
    )


LIST_QUERIES = 6
DETAIL_QUERIES = 4


@pytest.mark.parametrize("rows", [2, 50])
def test_the_api_list_query_count_does_not_grow(
    as_user, place, plan, rows, django_assert_max_num_queries
):
    _many_documents(plan, rows, place.worker)
    client = as_user(place.worker)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get("/api/family-plans/", {"plan": str(plan.uuid), "page_size": 100})
    assert response.status_code == 200
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [2, 50])
def test_the_api_detail_query_count_does_not_grow(
    as_user, place, plan, rows, django_assert_max_num_queries
):
    _many_documents(plan, rows, place.worker)
    document = FamilyPlanDocument.objects.first()
    client = as_user(place.worker)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(f"/api/family-plans/{document.uuid}/")
    assert response.status_code == 200
    assert response.json()["uuid"] == str(document.uuid)
