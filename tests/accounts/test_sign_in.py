import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Role
from audit.models import AuditEvent
from tests.factories import TEST_PASSWORD, UserFactory
from tests.form_pages import shown_again_with_errors

SIGN_IN = reverse("accounts:sign-in")


@pytest.fixture
def member(db):
    return UserFactory(email="chloe@example.org", roles=[Role.PRACTITIONER])


def sign_in(client, email, password):
    return client.post(SIGN_IN, {"username": email, "password": password})


def test_signs_in_with_email_any_case_and_lands_on_home(client, member):
    response = sign_in(client, "  Chloe@Example.org ", TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert escape(member.full_name) in home.content.decode()
    assert AuditEvent.objects.filter(actor=member, action="sign_in").count() == 1


@pytest.mark.parametrize(
    "email", ["chloe@example.org", "nobody@example.org"], ids=["wrong-password", "unknown-email"]
)
def test_failed_sign_in_shows_the_same_error_summary_and_keeps_the_email(client, member, email):
    response = sign_in(client, email, "not the password")
    page = shown_again_with_errors(response)
    assert "Enter a correct email address and password" in page
    assert 'href="#id_username"' in page
    assert f'value="{email}"' in page
    assert "not the password" not in page
    assert "<title>Error: Sign in" in page
    assert AuditEvent.objects.filter(action="sign_in_failed", actor_label=email).count() == 1


def test_missing_fields_get_messages_on_each_field(client, db):
    page = client.post(SIGN_IN, {"username": "", "password": ""}).content.decode()
    assert "Enter your email address" in page
    assert "Enter your password" in page


def test_deactivated_account_cannot_sign_in_and_is_not_revealed(client, member):
    member.is_active = False
    member.save()
    page = sign_in(client, member.email, TEST_PASSWORD).content.decode()
    assert "Enter a correct email address and password" in page
    assert "_auth_user_id" not in client.session


def test_account_locks_after_repeated_failures_with_a_clear_message(client, member):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, member.email, "wrong").status_code == 200
    locked = sign_in(client, member.email, "wrong")
    assert locked.status_code == 429
    assert "Your account is locked" in locked.content.decode()
    # Even the right password is refused while locked, whatever the email's case.
    still_locked = sign_in(Client(), member.email.upper(), TEST_PASSWORD)
    assert still_locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_and_audited(client, member):
    client.force_login(member)
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    response = client.post(reverse("accounts:sign-out"))
    assert response["Location"] == reverse("accounts:signed-out")
    assert client.get(reverse("home"))["Location"].startswith(SIGN_IN)
    assert AuditEvent.objects.filter(actor=member, action="sign_out").exists()


def test_session_expiry_slides_with_activity_and_ends_after_inactivity(client, member):
    client.force_login(member)
    client.get(reverse("home"))
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = (session.expire_date - timezone.now()).total_seconds()
    assert settings.SESSION_COOKIE_AGE - 60 < remaining <= settings.SESSION_COOKIE_AGE

    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now())
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_forms_need_a_csrf_token(member):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(SIGN_IN, {"username": member.email, "password": TEST_PASSWORD})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
    page = strict.get(SIGN_IN).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


@pytest.mark.parametrize("path", [SIGN_IN, reverse("home"), "/api/me/", "/no-such-page/"])
def test_security_headers_on_every_response(client, member, path):
    client.force_login(member)
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store, private"


def test_inline_script_carries_the_csp_nonce(client, db):
    response = client.get(SIGN_IN)
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()


def test_password_validators_refuse_weak_passwords():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["password123", "12345678901234", "short"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("a long and unusual passphrase")


CHANGE_PASSWORD = reverse("accounts:change-password")


def test_change_password_keeps_the_session_and_is_audited(client, member):
    client.force_login(member)
    response = client.post(
        CHANGE_PASSWORD,
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "a long and unusual passphrase",
            "new_password2": "a long and unusual passphrase",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Your password has been changed" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password("a long and unusual passphrase")
    event = AuditEvent.objects.get(actor=member, action="change")
    assert event.detail == {"fields": ["password"]}


@pytest.mark.parametrize(
    "old, new1, new2, message",
    [
        (
            "wrong",
            "a long and unusual passphrase",
            "a long and unusual passphrase",
            "Your current password is not right",
        ),
        (TEST_PASSWORD, "password1234", "password1234", "This password is too common"),
        (
            TEST_PASSWORD,
            "a long and unusual passphrase",
            "a different long passphrase",
            "The new passwords do not match",
        ),
        ("", "", "", "Enter your current password"),
    ],
)
def test_change_password_errors_are_shown_on_the_fields(client, member, old, new1, new2, message):
    client.force_login(member)
    response = client.post(
        CHANGE_PASSWORD, {"old_password": old, "new_password1": new1, "new_password2": new2}
    )
    page = shown_again_with_errors(response)
    assert message in page
    member.refresh_from_db()
    assert member.check_password(TEST_PASSWORD)
