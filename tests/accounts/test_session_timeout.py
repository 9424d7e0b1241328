"""The timeout warning's server side: the timing it is given, the endpoint behind "Stay
signed in", and the sign-in page it sends people to when time runs out. The dialog itself
is driven in tests/browser/test_session_timeout.py."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.templatetags.session_timeout import draft_key
from audit.models import AuditEvent
from tests.factories import UserFactory

EXTEND = reverse("accounts:extend-session")
SIGN_IN = reverse("accounts:sign-in")


@pytest.fixture
def worker(db):
    return UserFactory(roles=[Role.PRACTITIONER])


def session_row(client):
    return Session.objects.get(session_key=client.session.session_key)


def attribute(page, name):
    match = re.search(rf'{name}="([^"]*)"', page)
    return match and match.group(1)


def test_anonymous_extend_is_refused_with_401_and_nothing_signed_in(client, db):
    response = client.post(EXTEND)
    assert response.status_code == 401
    assert response.json() == {"detail": "You are signed out. Sign in again."}
    assert "_auth_user_id" not in client.session


def test_extend_after_the_session_has_expired_is_401(client, worker):
    client.force_login(worker)
    Session.objects.filter(pk=session_row(client).pk).update(expire_date=timezone.now())
    assert client.post(EXTEND).status_code == 401


def test_extend_moves_the_expiry_on_and_says_when_it_now_ends(
    client, worker, settings, django_assert_max_num_queries
):
    settings.SESSION_COOKIE_AGE = 600
    client.force_login(worker)
    soon = timezone.now() + timedelta(seconds=20)
    Session.objects.filter(pk=session_row(client).pk).update(expire_date=soon)
    events_before = AuditEvent.objects.count()

    # The session, the user, and saving the session (in a savepoint).
    with django_assert_max_num_queries(5):
        response = client.post(EXTEND)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    assert answer["seconds_left"] == 600
    expires_at = timezone.datetime.fromisoformat(answer["expires_at"])
    assert abs((expires_at - (timezone.now() + timedelta(seconds=600))).total_seconds()) < 5
    saved = session_row(client).expire_date
    assert saved > soon + timedelta(seconds=500)
    assert abs((saved - expires_at).total_seconds()) < 5
    # It reads no record: nothing is audited.
    assert AuditEvent.objects.count() == events_before


def test_extend_is_a_post_with_a_csrf_token(worker):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(worker)
    assert strict.get(EXTEND).status_code == 405
    assert strict.post(EXTEND).status_code == 403
    page = strict.get(reverse("home")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert strict.post(EXTEND, {"csrfmiddlewaretoken": token}).status_code == 200


def test_signed_in_pages_carry_the_timing_from_the_settings(client, worker, settings):
    client.force_login(worker)
    page = client.get(reverse("home")).content.decode()
    assert attribute(page, "data-session-seconds-left") == "1800"
    assert attribute(page, "data-warning-seconds") == "120"
    assert attribute(page, "data-extend-url") == EXTEND
    assert attribute(page, "data-sign-in-url") == SIGN_IN
    assert '<dialog class="app-timeout-dialog"' in page
    assert "Stay signed in" in page
    assert 'src="/assets/js/session-timeout.js"' in page

    settings.SESSION_COOKIE_AGE = 300
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 45
    page = client.get(reverse("home")).content.decode()
    assert attribute(page, "data-session-seconds-left") == "300"
    assert attribute(page, "data-warning-seconds") == "45"

    # The warning never asks for more time than the session has.
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 900
    page = client.get(reverse("home")).content.decode()
    assert attribute(page, "data-warning-seconds") == "300"


def test_the_draft_key_is_opaque_stable_and_differs_between_users(client, worker, db):
    other = UserFactory(roles=[Role.PRACTITIONER])
    client.force_login(worker)
    page = client.get(reverse("home")).content.decode()
    key = attribute(page, "data-draft-key")
    assert key == draft_key(worker)
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    assert str(worker.uuid).replace("-", "") not in key
    assert str(worker.pk) != key

    client.force_login(other)
    other_key = attribute(client.get(reverse("home")).content.decode(), "data-draft-key")
    assert other_key == draft_key(other) != key

    # The same person signing in again gets the same key, so their work comes back.
    client.logout()
    client.force_login(worker)
    assert attribute(client.get(reverse("home")).content.decode(), "data-draft-key") == key


def test_no_timeout_warning_for_people_not_signed_in(client, db):
    page = client.get(SIGN_IN).content.decode()
    assert "data-app-session" not in page
    assert "app-timeout-dialog" not in page
    assert "Stay signed in" not in page
    # The script still runs there, to keep typed work through the sign-in.
    assert 'src="/assets/js/session-timeout.js"' in page
    assert "data-app-sign-in-page" in page


def test_sign_in_page_after_a_timeout_says_why_and_where_the_work_is(client, db, settings):
    settings.SESSION_COOKIE_AGE = 30 * 60
    plain = client.get(SIGN_IN).content.decode()
    assert "We signed you out for your security" not in plain

    page = client.get(SIGN_IN, {"timed_out": "1", "next": "/families/"}).content.decode()
    assert "We signed you out for your security" in page
    assert "You had not used Early Help for 30 minutes" in page
    assert "kept in this browser tab" in page
    assert 'name="next" value="/families/"' in page


def test_signed_out_page_forgets_typed_work(client, db):
    page = client.get(reverse("accounts:signed-out")).content.decode()
    assert "data-app-forget-typed-work" in page
