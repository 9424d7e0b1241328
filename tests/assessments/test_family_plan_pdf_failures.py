"""Issue 13, finding 8: a family plan PDF never stays "Being prepared" for ever. A job that
fails is marked failed (with its error), a job that has not finished within
FAMILY_PLAN_PDF_STALE_MINUTES counts as failed, the plan page says it "could not be made — try
again" with a button to try again, the API answers `failed`, and asking again after either
makes a new document."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage

from assessments.documents import services as documents
from assessments.models import FamilyPlanDocument, FamilyPlanDocumentStatus
from earlyhelp import pdf
from tests.cases.episode_helpers import make_locality
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.4 a stand-in for the family's copy"
# A Tuesday morning, London time.
ASKED_AT = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/London"))
TRY_AGAIN = "The family plan PDF could not be made — try again."


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(ASKED_AT, tick=False)
    return time_machine


@pytest.fixture
def place(clock):
    return make_locality("North")


@pytest.fixture
def broken_pdf(monkeypatch):
    def broken(html):
        raise RuntimeError("WeasyPrint could not lay out the page")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)


@pytest.fixture
def working_pdf(monkeypatch):
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: FAKE_PDF)


def ask(capture, by, plan, *, run_job=True):
    with capture(execute=run_job):
        document = documents.plan_document_request(by=by, plan=plan)
    document.refresh_from_db()
    return document


def plan_page(client, user, plan):
    client_for(client, user)
    response = client.get(f"/plans/{plan.uuid}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_rendering_failure_is_failed_shown_with_a_retry_and_asking_again_makes_a_new_one(
    client, as_user, place, plan, broken_pdf, monkeypatch, django_capture_on_commit_callbacks
):
    failed = ask(django_capture_on_commit_callbacks, place.worker, plan)

    assert failed.status == FamilyPlanDocumentStatus.FAILED
    assert failed.error == "WeasyPrint could not lay out the page"
    body = as_user(place.worker).get(f"/api/family-plans/{failed.uuid}/").json()
    assert (body["status"], body["download_url"]) == ("failed", None)
    html = plan_page(client, place.worker, plan)
    assert TRY_AGAIN in html
    assert "Could not be made</strong>" in html and "Being prepared" not in html
    assert ">Try again</button>" in html

    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: FAKE_PDF)
    again = ask(django_capture_on_commit_callbacks, place.worker, plan)

    assert again.pk != failed.pk
    assert again.status == FamilyPlanDocumentStatus.READY
    assert FamilyPlanDocument.objects.filter(plan=plan).count() == 2


def test_a_failure_to_store_the_file_is_failed_not_left_queued(
    place, plan, working_pdf, monkeypatch, django_capture_on_commit_callbacks
):
    def disk_full(name, content, max_length=None):
        raise OSError("No space left on device")

    monkeypatch.setattr(default_storage, "save", disk_full)

    document = ask(django_capture_on_commit_callbacks, place.worker, plan)

    assert document.status == FamilyPlanDocumentStatus.FAILED
    assert document.error == "No space left on device"
    assert not document.file


def test_a_job_that_never_finishes_counts_as_failed_after_the_limit(
    client, as_user, clock, place, plan, working_pdf, settings, django_capture_on_commit_callbacks
):
    assert settings.FAMILY_PLAN_PDF_STALE_MINUTES == 10
    # The job is lost: the worker died, or the broker dropped it.
    lost = ask(django_capture_on_commit_callbacks, place.worker, plan, run_job=False)
    assert lost.status == FamilyPlanDocumentStatus.QUEUED

    clock.move_to(ASKED_AT + timedelta(minutes=9), tick=False)
    assert as_user(place.worker).get(f"/api/family-plans/{lost.uuid}/").json()["status"] == "queued"
    assert "Being prepared" in plan_page(client, place.worker, plan)
    # A second click while it may still be made answers with the same one.
    assert ask(django_capture_on_commit_callbacks, place.worker, plan, run_job=False) == lost

    clock.move_to(ASKED_AT + timedelta(minutes=11), tick=False)
    body = as_user(place.worker).get(f"/api/family-plans/{lost.uuid}/").json()
    assert (body["status"], body["status_display"]) == ("failed", "Could not be made")
    listed = as_user(place.worker).get(f"/api/family-plans/?plan={plan.uuid}").json()["results"]
    assert [row["status"] for row in listed] == ["failed"]
    html = plan_page(client, place.worker, plan)
    assert TRY_AGAIN in html and "Being prepared" not in html

    again = ask(django_capture_on_commit_callbacks, place.worker, plan)

    assert again.pk != lost.pk
    assert again.status == FamilyPlanDocumentStatus.READY
    lost.refresh_from_db()
    assert lost.status == FamilyPlanDocumentStatus.FAILED
    assert lost.error == "Not made within 10 minutes"


def test_the_limit_is_a_setting(
    as_user, clock, place, plan, working_pdf, settings, django_capture_on_commit_callbacks
):
    settings.FAMILY_PLAN_PDF_STALE_MINUTES = 30
    lost = ask(django_capture_on_commit_callbacks, place.worker, plan, run_job=False)

    clock.move_to(ASKED_AT + timedelta(minutes=29), tick=False)
    assert as_user(place.worker).get(f"/api/family-plans/{lost.uuid}/").json()["status"] == "queued"
    assert ask(django_capture_on_commit_callbacks, place.worker, plan, run_job=False) == lost

    clock.move_to(ASKED_AT + timedelta(minutes=31), tick=False)
    assert as_user(place.worker).get(f"/api/family-plans/{lost.uuid}/").json()["status"] == "failed"
    assert ask(django_capture_on_commit_callbacks, place.worker, plan, run_job=False) != lost
