"""Requests for support: the professional and public forms, the service, the API, and
the requester's view of their own requests."""

import datetime
import re

import factory
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from factory.django import DjangoModelFactory

from audit.models import AuditAction, AuditEvent
from referrals import timescales
from referrals.models import (
    PresentingNeed,
    RequestAttachment,
    RequestForSupport,
    RequestPerson,
    Source,
    Status,
)
from referrals.requests import services

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"\x00" * 64


class RequestFactory(DjangoModelFactory):
    class Meta:
        model = RequestForSupport

    reference = factory.Sequence(lambda n: f"EH-2026-9{n:05d}")
    source = Source.PROFESSIONAL
    requester_name = factory.Faker("name")
    requester_agency_name = "Brackenford Primary School"
    requester_email = "teacher@school.example"
    concerns = "Often hungry and tired in class."
    consent = "not_asked"
    urgency = "soon"
    due_at = factory.LazyFunction(timezone.now)


def child(**extra):
    return {"role": "child", "given_name": "Mia", "family_name": "Okafor", **extra}


def submit(by, **overrides):
    fields = {
        "source": Source.PROFESSIONAL,
        "people": [child(), {"role": "parent_or_carer", "given_name": "Grace"}],
        "presenting_needs": ["neglect", "school-attendance"],
        "requester_name": "Sam Teacher",
        "requester_agency_name": "Brackenford Primary",
        "requester_email": "sam@school.example",
        "concerns": "Mia is often hungry.",
        "consent": "given",
        "consent_given_by": "Grace Okafor, mother",
        "consent_covers": "both",
        "consent_given_on": timezone.localdate(),
        "urgency": "soon",
        **overrides,
    }
    return services.request_submit(by=by, **fields)


def professional_post(**overrides):
    consent_day = timezone.localdate() - datetime.timedelta(days=1)
    data = {
        "requester_name": "Sam Teacher",
        "requester_role": "Designated safeguarding lead",
        "requester_agency": "",
        "requester_agency_name": "Brackenford Primary",
        "requester_email": "sam@school.example",
        "requester_phone": "",
        "person-1-role": "child",
        "person-1-given_name": "Mia",
        "person-1-family_name": "Okafor",
        "person-1-date_of_birth_day": "3",
        "person-1-date_of_birth_month": "4",
        "person-1-date_of_birth_year": "2016",
        "person-1-postcode": "bk1 2ab",
        "presenting_needs": ["neglect"],
        "concerns": "Often hungry.",
        "what_has_been_tried": "Breakfast club.",
        "consent": "given",
        "consent_given_by": "Grace Okafor",
        "consent_covers": "both",
        "consent_given_on_day": str(consent_day.day),
        "consent_given_on_month": str(consent_day.month),
        "consent_given_on_year": str(consent_day.year),
        "urgency": "routine",
    }
    data.update(overrides)
    return data


def public_post(**overrides):
    data = {
        "website": "",
        "source": "parent_or_carer",
        "requester_name": "Grace Okafor",
        "requester_role": "Mum",
        "requester_email": "grace@home.example",
        "requester_phone": "07700 900123",
        "person-1-role": "child",
        "person-1-given_name": "Mia",
        "person-1-family_name": "Okafor",
        "person-1-date_of_birth_day": "3",
        "person-1-date_of_birth_month": "4",
        "person-1-date_of_birth_year": "2016",
        "person-1-address_line_1": "12 Mill Lane",
        "person-1-town": "Brackenford",
        "person-1-postcode": "BK1 2AB",
        "person-1-school_or_setting": "Brackenford Primary",
        "person-2-role": "parent_or_carer",
        "person-2-given_name": "Grace",
        "person-2-family_name": "Okafor",
        "presenting_needs": ["housing", "finance"],
        "concerns": "We may lose our flat.",
        "what_has_been_tried": "Citizens Advice.",
        "agrees": "yes",
        "consent_not_given_reason": "",
        "urgency": "soon",
    }
    data.update(overrides)
    return data


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


def test_the_form_refuses_a_disguised_file_and_asks_to_choose_files_again(client, practitioner):
    client.force_login(practitioner)
    fake = SimpleUploadedFile("letter.pdf", PNG)
    good = SimpleUploadedFile("plan.pdf", PDF)
    response = client.post(
        reverse("referrals:request-create"),
        professional_post(attachment_1=fake, attachment_2=good),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not a real PDF file" in html
    assert "Choose the file again" in html
    assert not RequestForSupport.objects.exists()


# The professional form


def test_professional_form_defaults_from_the_user(client, practitioner):
    client.force_login(practitioner)
    response = client.get(reverse("referrals:request-create"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{practitioner.email}"' in html
    assert "Person 1" in html and "Person 4" in html
    assert "safeguarding referral" in html


def test_professional_form_submits(client, practitioner, django_capture_on_commit_callbacks):
    client.force_login(practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("referrals:request-create"), professional_post())
    request = RequestForSupport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("referrals:request-detail", args=[request.uuid])
    person = request.people.get()
    assert person.postcode == "BK1 2AB"
    assert person.date_of_birth == datetime.date(2016, 4, 3)
    assert request.due_at == timescales.due_at(request.received_at, "green")
    assert len(mail.outbox) == 1


def test_professional_form_shows_the_child_rule_and_keeps_values(client, practitioner):
    client.force_login(practitioner)
    response = client.post(
        reverse("referrals:request-create"),
        professional_post(**{"person-1-role": "parent_or_carer"}),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Add at least one child or unborn child" in html
    assert 'value="Mia"' in html
    assert "Often hungry." in html


def test_professional_form_is_for_practice_roles(client, analyst):
    client.force_login(analyst)
    assert client.get(reverse("referrals:request-create")).status_code == 403


# The public form


def test_public_form_needs_no_sign_in_and_has_a_honeypot(client):
    response = client.get(reverse("referrals:public-request"))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<div class="govuk-visually-hidden" aria-hidden="true">', html)
    assert "Leave this empty" in html
    assert 'tabindex="-1"' in html and 'autocomplete="off"' in html


def test_public_form_sends_and_shows_the_reference_from_the_session(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("referrals:public-request"), public_post())
    assert response.status_code == 302
    assert response.url == reverse("referrals:public-sent")
    request = RequestForSupport.objects.get()
    assert request.source == Source.PARENT_OR_CARER
    assert request.requested_by is None
    assert request.consent == "given"
    assert request.consent_given_by == "Grace Okafor"
    assert request.people.count() == 2
    sent = client.get(response.url)
    assert request.reference in sent.content.decode()
    assert mail.outbox[0].to == ["grace@home.example"]
    # Another browser cannot see it.
    client.cookies.clear()
    assert client.get(reverse("referrals:public-sent")).status_code == 302


def test_public_form_keeps_every_typed_value_on_an_error_and_sends_no_email(
    client, django_capture_on_commit_callbacks
):
    # "No" without a reason, and no email: errors from the service after the form passed.
    data = public_post(agrees="no")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("referrals:public-request"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter why consent was not given" in html
    for name, value in data.items():
        if name in ("website", "consent_not_given_reason"):
            continue
        for item in value if isinstance(value, list) else [value]:
            if name in ("source", "agrees", "urgency", "presenting_needs") or name.endswith(
                "-role"
            ):
                pattern = rf'name="{name}" type="(radio|checkbox)" value="{item}"[^>]*checked'
                assert (
                    re.search(pattern, html)
                    or re.search(rf'value="{item}"[^>]*name="{name}"[^>]*checked', html)
                    or _checked(html, name, item)
                ), (name, item)
            else:
                assert item in html, (name, item)
    assert mail.outbox == []
    assert not RequestForSupport.objects.exists()
    assert not RequestPerson.objects.exists()


def _checked(html, name, value):
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and f'value="{value}"' in tag and "checked" in tag:
            return True
    return False


def test_public_form_field_errors_keep_values_and_send_nothing(
    client, django_capture_on_commit_callbacks
):
    data = public_post(**{"person-1-postcode": "NOT A POSTCODE", "requester_name": ""})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("referrals:public-request"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'value="NOT A POSTCODE"' in html
    assert "We may lose our flat." in html
    assert _checked(html, "presenting_needs", "housing")
    assert _checked(html, "presenting_needs", "finance")
    assert mail.outbox == []
    assert not RequestForSupport.objects.exists()


def test_a_filled_honeypot_succeeds_silently_without_saving(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("referrals:public-request"), public_post(website="http://spam.example")
        )
    assert response.status_code == 302
    sent = client.get(response.url).content.decode()
    reference = re.search(r"EH-\d{4}-([A-Z0-9]{6})", sent)
    assert reference and not reference.group(1).isdigit()
    assert not RequestForSupport.objects.exists()
    assert mail.outbox == []


def test_public_form_is_rate_limited_per_address(client, settings):
    settings.REFERRALS_PUBLIC_RATE_LIMIT = 2
    url = reverse("referrals:public-request")
    for _ in range(2):
        assert client.post(url, public_post(), REMOTE_ADDR="203.0.113.9").status_code == 302
    refused = client.post(url, public_post(), REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429
    assert "try again" in refused.content.decode()
    assert RequestForSupport.objects.count() == 2
    assert client.post(url, public_post(), REMOTE_ADDR="198.51.100.7").status_code == 302


def test_default_rate_limit_is_five_an_hour(client):
    url = reverse("referrals:public-request")
    for _ in range(5):
        assert client.post(url, public_post()).status_code == 302
    assert client.post(url, public_post()).status_code == 429


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


# The API


def api_payload(**overrides):
    return {
        "requester_agency_name": "Brackenford Primary",
        "presenting_needs": ["neglect", "housing"],
        "concerns": "Often hungry.",
        "consent": "given",
        "consent_given_by": "Grace Okafor",
        "consent_covers": "assessment",
        "consent_given_on": str(timezone.localdate()),
        "urgency": "urgent",
        "people": [
            {"role": "child", "given_name": "Mia", "postcode": "bk1 2ab"},
            {"role": "parent_or_carer", "given_name": "Grace"},
        ],
        **overrides,
    }


def test_api_create(api_client, practitioner, django_capture_on_commit_callbacks):
    api_client.force_authenticate(practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/requests/", api_payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith("EH-")
    assert body["status"] == "submitted"
    assert body["requester_email"] == practitioner.email
    assert sorted(body["presenting_needs"]) == ["housing", "neglect"]
    assert body["people"][0]["postcode"] == "BK1 2AB"
    assert len(mail.outbox) == 1
    assert api_client.get(f"/api/requests/{body['uuid']}/").status_code == 200


def test_api_create_400_with_field_errors(api_client, practitioner):
    api_client.force_authenticate(practitioner)
    response = api_client.post(
        "/api/requests/",
        api_payload(presenting_needs=["not-a-need"], urgency="now"),
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"presenting_needs", "urgency"} <= set(errors)
    response = api_client.post(
        "/api/requests/",
        api_payload(consent_given_by="", people=[{"role": "other_adult", "given_name": "Al"}]),
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["consent_given_by"] == ["Enter who gave consent"]
    assert errors["people"] == ["Add at least one child or unborn child"]
    assert not RequestForSupport.objects.exists()


def test_api_other_practitioner_gets_404(api_client, practitioner, colleague):
    request = RequestFactory(requested_by=practitioner)
    api_client.force_authenticate(colleague)
    assert api_client.get(f"/api/requests/{request.uuid}/").status_code == 404
    assert api_client.get("/api/requests/").json()["count"] == 0


# Query counts


def _requests(user, count):
    needs = list(PresentingNeed.objects.filter(code__in=["neglect", "housing"]))
    created = RequestFactory.create_batch(count, requested_by=user)
    for request in created:
        RequestPerson.objects.create(request=request, role="child", given_name="Mia")
        request.presenting_needs.set(needs)
    return created


@pytest.mark.parametrize("count", [2, 50])
def test_query_counts(client, api_client, practitioner, django_assert_max_num_queries, count):
    requests = _requests(practitioner, count)
    client.force_login(practitioner)
    api_client.force_authenticate(practitioner)
    # One query more than a list of own requests needs: the user's teams, for the requests
    # of families whose records are open to them.
    with django_assert_max_num_queries(11):
        assert client.get(reverse("referrals:request-list")).status_code == 200
    with django_assert_max_num_queries(13):
        response = client.get(reverse("referrals:request-detail", args=[requests[0].uuid]))
        assert response.status_code == 200
    with django_assert_max_num_queries(8):
        assert api_client.get("/api/requests/").status_code == 200
    with django_assert_max_num_queries(6):
        assert api_client.get(f"/api/requests/{requests[0].uuid}/").status_code == 200


def test_the_child_rule_shows_alongside_other_errors(client):
    data = public_post(**{"person-1-role": "other_adult", "requester_name": ""})
    html = client.post(reverse("referrals:public-request"), data).content.decode()
    assert "Add at least one child or unborn child" in html
    assert "Enter your name" in html
