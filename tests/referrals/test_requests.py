"""Requests for support through the service: submitting, consent and the child rule,
references, attachments, and who sees a request."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from referrals import timescales
from referrals.models import RequestAttachment, RequestForSupport, RequestPerson, Source, Status
from tests.referrals.request_helpers import PDF, PNG, RequestFactory, child
from tests.referrals.screening_helpers import submit_request

pytestmark = pytest.mark.django_db


def submit(by, **overrides):
    return submit_request(
        by,
        **{
            "people": [child(), {"role": "parent_or_carer", "given_name": "Grace"}],
            "presenting_needs": ["neglect", "school-attendance"],
            "concerns": "Mia is often hungry.",
            **overrides,
        },
    )


# The service


def test_professional_submit_sets_reference_due_time_audit_and_emails_after_commit(
    practitioner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(practitioner, urgency="urgent")
    request.refresh_from_db()
    assert re.fullmatch(rf"EH-{request.received_at.year}-\d{{6}}", request.reference)
    assert request.status == Status.SUBMITTED
    assert request.due_at == timescales.due_at(request.received_at, "red")
    assert request.requested_by == practitioner
    assert sorted(n.code for n in request.presenting_needs.all()) == [
        "neglect",
        "school-attendance",
    ]
    assert [p.given_name for p in request.people.all()] == ["Mia", "Grace"]
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(request.pk))
    assert event.actor == practitioner
    assert event.detail == {"reference": request.reference, "source": "professional"}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam@school.example"]
    assert request.reference in mail.outbox[0].subject
    assert "What happens next" in mail.outbox[0].body


def test_no_email_before_commit(practitioner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(practitioner)
    assert len(callbacks) == 1
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent_given_by": ""}, "consent_given_by"),
        ({"consent_covers": ""}, "consent_covers"),
        ({"consent_given_on": None}, "consent_given_on"),
        (
            {"consent_given_on": timezone.localdate() + datetime.timedelta(days=2)},
            "consent_given_on",
        ),
        ({"consent": "not_given", "consent_not_given_reason": ""}, "consent_not_given_reason"),
    ],
)
def test_consent_rules(practitioner, overrides, field):
    with pytest.raises(ValidationError) as error:
        submit(practitioner, **overrides)
    assert field in error.value.message_dict
    assert not RequestForSupport.objects.exists()


def test_consent_not_given_with_reason_and_not_asked_are_accepted(practitioner):
    submit(practitioner, consent="not_given", consent_not_given_reason="Mother declined")
    submit(practitioner, consent="not_asked", consent_given_by="", consent_covers="")
    assert RequestForSupport.objects.count() == 2


def test_at_least_one_child_or_unborn_child(practitioner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        submit(practitioner, people=[{"role": "parent_or_carer", "given_name": "Grace"}])
    assert "Add at least one child or unborn child" in error.value.message_dict["people"]
    assert not RequestForSupport.objects.exists()
    assert not RequestPerson.objects.exists()
    assert mail.outbox == []
    submit(practitioner, people=[{"role": "unborn", "given_name": "Baby"}])


def test_public_requests_need_email_or_phone():
    with pytest.raises(ValidationError) as error:
        submit(None, source=Source.PARENT_OR_CARER, requester_email="", requester_phone="")
    assert "requester_email" in error.value.message_dict
    request = submit(
        None, source=Source.YOUNG_PERSON, requester_email="", requester_phone="07700900123"
    )
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(request.pk))
    assert event.actor is None
    assert event.detail["source"] == "young_person"


def test_roles_without_practice_cannot_submit(analyst):
    with pytest.raises(PermissionDenied):
        submit(analyst)


def test_references_are_unique_and_sequential(practitioner):
    first, second = submit(practitioner), submit(practitioner)
    assert first.reference != second.reference
    assert int(second.reference[-6:]) > int(first.reference[-6:])


# Attachments


def test_attachment_saved(practitioner):
    upload = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    request = submit(practitioner, attachments=[upload])
    attachment = RequestAttachment.objects.get(request=request)
    assert attachment.original_name == "plan.pdf"
    assert attachment.size == len(PDF)
    assert attachment.file.name.startswith("requests/")


def test_a_png_named_pdf_is_refused(practitioner):
    fake = SimpleUploadedFile("letter.pdf", PNG, content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        submit(practitioner, attachments=[fake])
    assert "not a real PDF" in " ".join(error.value.message_dict["attachments"])
    assert not RequestForSupport.objects.exists()


def test_an_11_mb_file_is_refused(practitioner):
    big = SimpleUploadedFile("big.pdf", PDF + b"\x00" * (11 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        submit(practitioner, attachments=[big])
    assert "smaller than 10MB" in " ".join(error.value.message_dict["attachments"])


# The requester's view and access


def test_requester_sees_own_requests(client, practitioner, colleague):
    own = RequestFactory(requested_by=practitioner, outcome_summary="Early help offered")
    RequestFactory(requested_by=colleague)
    client.force_login(practitioner)
    response = client.get(reverse("referrals:request-list"))
    html = response.content.decode()
    assert own.reference in html and "Early help offered" in html
    assert response.context["page_obj"].paginator.count == 1
    assert AuditEvent.objects.filter(action=AuditAction.LIST).exists()
    detail = client.get(reverse("referrals:request-detail", args=[own.uuid]))
    assert detail.status_code == 200
    assert "Early help offered" in detail.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(own.pk)).exists()


def test_another_practitioner_gets_404(client, practitioner, colleague):
    request = RequestFactory(requested_by=practitioner)
    client.force_login(colleague)
    assert client.get(reverse("referrals:request-detail", args=[request.uuid])).status_code == 404


def test_triage_officer_sees_submitted_and_in_screening_only(
    api_client, triage_officer, practitioner
):
    submitted = RequestFactory(requested_by=practitioner)
    screening = RequestFactory(requested_by=None, status=Status.IN_SCREENING)
    decided = RequestFactory(requested_by=practitioner, status=Status.DECIDED)
    api_client.force_authenticate(triage_officer)
    response = api_client.get("/api/requests/")
    assert {row["reference"] for row in response.json()["results"]} == {
        submitted.reference,
        screening.reference,
    }
    assert api_client.get(f"/api/requests/{decided.uuid}/").status_code == 404


@pytest.mark.parametrize("role_fixture", ["analyst", "system_administrator"])
def test_analysts_and_administrators_see_none(
    request, client, api_client, practitioner, role_fixture
):
    RequestFactory(requested_by=practitioner)
    user = request.getfixturevalue(role_fixture)
    from earlyhelp import access

    assert not access.visible(user, RequestForSupport.objects.all()).exists()
    client.force_login(user)
    assert client.get(reverse("referrals:request-list")).status_code == 403
    api_client.force_authenticate(user)
    assert api_client.get("/api/requests/").status_code == 403
