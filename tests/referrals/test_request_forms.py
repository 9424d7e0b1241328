"""The professional and public request forms: defaults, errors that keep what was typed,
the honeypot and the rate limit."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from referrals import timescales
from referrals.models import RequestForSupport, RequestPerson, Source
from tests.referrals.request_helpers import (
    PDF,
    PNG,
    post_public_until_refused,
    professional_post,
    public_post,
)

pytestmark = pytest.mark.django_db


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
    refused = post_public_until_refused(client, 2)
    assert refused.status_code == 429
    assert "try again" in refused.content.decode()
    assert RequestForSupport.objects.count() == 2
    url = reverse("referrals:public-request")
    assert client.post(url, public_post(), REMOTE_ADDR="198.51.100.7").status_code == 302


def test_default_rate_limit_is_five_an_hour(client):
    url = reverse("referrals:public-request")
    for _ in range(5):
        assert client.post(url, public_post()).status_code == 302
    assert client.post(url, public_post()).status_code == 429


def test_the_child_rule_shows_alongside_other_errors(client):
    data = public_post(**{"person-1-role": "other_adult", "requester_name": ""})
    html = client.post(reverse("referrals:public-request"), data).content.decode()
    assert "Add at least one child or unborn child" in html
    assert "Enter your name" in html
