"""The outbox (finding 14 of issue 13): a job is recorded with the change that asks for it,
handed over after the commit, left waiting (never an error for the user) when the broker
does not answer, relayed later, and sent once. And the public form's rate limit without
its cache. The outage itself, against a real Redis that is stopped and started, is in
test_redis_outage.py."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from kombu.exceptions import OperationalError

from accounts.models import Role
from earlyhelp.celery import app
from outbox import services as outbox
from outbox.models import DoneOnce, OutboxMessage
from referrals import tasks as referral_tasks
from referrals.models import RequestForSupport, Status
from referrals.requests import services as referral_services
from tests.factories import UserFactory
from tests.outbox.helpers import professional_post
from tests.outbox.redis_server import free_port
from tests.referrals.request_helpers import RequestFactory, post_public_until_refused, public_post

pytestmark = pytest.mark.django_db

ACKNOWLEDGEMENT = "referrals.send_request_acknowledgement"


@pytest.fixture(autouse=True)
def _broker_not_paused():
    outbox.resume()
    yield
    outbox.resume()


@pytest.fixture
def broker_down(monkeypatch):
    """Tasks go to a broker (not run eagerly), and every publish fails as a refused
    connection does."""
    app.conf.task_always_eager = False  # put back after each test by tests/conftest.py
    published = []

    def refuse(args=None, kwargs=None, **options):
        published.append(ACKNOWLEDGEMENT)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    app.loader.import_default_modules()
    monkeypatch.setattr(app.tasks[ACKNOWLEDGEMENT], "apply_async", refuse)
    return published


@pytest.fixture
def cache_down(settings):
    """The cache on a Redis that is not there (nothing listens on the port)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def _submit(practitioner, **overrides):
    data = {
        "requester_name": "Sam Teacher",
        "requester_agency_name": "Brackenford Primary",
        "requester_email": "sam@school.example",
        "presenting_needs": ["neglect"],
        "concerns": "Often hungry.",
        "consent": "not_asked",
        "urgency": "routine",
        **overrides,
    }
    return referral_services.request_submit(
        by=practitioner,
        source="professional",
        people=[{"role": "child", "given_name": "Mia"}],
        **data,
    )


# Recorded with the change


def test_the_job_is_recorded_in_the_changes_transaction(
    practitioner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request = _submit(practitioner)
    message = OutboxMessage.objects.get()
    assert (message.task_name, message.args, message.sent_at) == (
        ACKNOWLEDGEMENT,
        [request.pk],
        None,
    )
    assert len(callbacks) == 1 and mail.outbox == []


def test_a_change_rolled_back_leaves_no_job(practitioner):
    with pytest.raises(RuntimeError), transaction.atomic():
        _submit(practitioner)
        raise RuntimeError("the change fails after the job was recorded")
    assert not RequestForSupport.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_with_eager_tasks_the_job_runs_after_the_commit_as_before(
    practitioner, django_capture_on_commit_callbacks
):
    """`make run`: no broker, the acknowledgement is sent at once."""
    assert app.conf.task_always_eager is True
    with django_capture_on_commit_callbacks(execute=True):
        request = _submit(practitioner)
    assert [m.subject for m in mail.outbox] == [
        f"We have received your request for support: {request.reference}"
    ]
    message = OutboxMessage.objects.get()
    assert message.sent_at is not None and message.attempts == 1 and message.last_error == ""


# The broker does not answer


def test_a_broker_that_does_not_answer_is_no_error_for_the_professional(
    client, practitioner, broker_down, django_capture_on_commit_callbacks
):
    client.force_login(practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("referrals:request-create"), professional_post())
    request = RequestForSupport.objects.get()
    assert response.status_code == 302
    assert f"Your reference is {request.reference}" in client.get(response.url).content.decode()
    message = OutboxMessage.objects.get()
    assert message.sent_at is None and message.attempts == 1
    assert "Connection refused" in message.last_error
    assert broker_down == [ACKNOWLEDGEMENT]

    # The next request does not try the broker inline: its job waits for the relay.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("referrals:request-create"), professional_post())
    assert response.status_code == 302
    assert RequestForSupport.objects.count() == 2
    assert broker_down == [ACKNOWLEDGEMENT]
    assert sorted(OutboxMessage.objects.values_list("attempts", flat=True)) == [0, 1]


def test_the_relay_stops_at_a_broker_that_does_not_answer(practitioner, broker_down):
    with transaction.atomic():
        _submit(practitioner)
        _submit(practitioner)
    outbox.resume()
    result = outbox.relay_pending()
    assert result == {"sent": 0, "failed": 1, "waiting": 2, "broker_down": True}
    assert broker_down == [ACKNOWLEDGEMENT]  # one try, not one per message
    assert outbox.broker_paused()


def test_the_relay_sends_waiting_jobs_once(practitioner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = _submit(practitioner)
        second = _submit(practitioner, requester_email="jo@school.example")
    assert mail.outbox == []
    assert outbox.relay_pending() == {"sent": 2, "failed": 0, "waiting": 0, "broker_down": False}
    assert sorted(m.subject for m in mail.outbox) == sorted(
        f"We have received your request for support: {r.reference}" for r in (first, second)
    )
    assert outbox.relay_pending()["sent"] == 0
    # The after-commit hand-over, running late, finds them sent.
    assert not any(outbox.relay_message(m.pk) for m in OutboxMessage.objects.all())
    assert len(mail.outbox) == 2


def test_the_relay_command_says_what_it_did(practitioner, django_capture_on_commit_callbacks):
    from io import StringIO

    with django_capture_on_commit_callbacks(execute=False):
        _submit(practitioner)
    out = StringIO()
    call_command("relay_outbox", stdout=out)
    assert out.getvalue().strip() == "Sent: 1. Not sent: 0. Still waiting: 0."
    assert len(mail.outbox) == 1


def test_the_relay_job_removes_messages_sent_long_ago(practitioner):
    from datetime import timedelta

    from django.utils import timezone

    from outbox.tasks import relay

    now = timezone.now()
    old = OutboxMessage.objects.create(task_name=ACKNOWLEDGEMENT, args=[1], sent_at=now)
    OutboxMessage.objects.filter(pk=old.pk).update(sent_at=now - timedelta(days=31))
    recent = OutboxMessage.objects.create(
        task_name=ACKNOWLEDGEMENT, args=[2], sent_at=now - timedelta(days=29)
    )
    with transaction.atomic():
        waiting = _submit(practitioner).pk
    OutboxMessage.objects.filter(args=[waiting]).update(created_at=now - timedelta(days=60))
    assert relay() == {"sent": 1, "failed": 0, "waiting": 0, "broker_down": False, "pruned": 1}
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()
    assert OutboxMessage.objects.filter(pk=recent.pk).exists()
    assert OutboxMessage.objects.filter(args=[waiting], sent_at__isnull=False).exists()


def test_a_job_that_fails_stays_waiting_with_its_error(
    practitioner, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server not answering")

    monkeypatch.setattr(referral_tasks, "send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        request = _submit(practitioner)
    assert RequestForSupport.objects.filter(pk=request.pk).exists()
    message = OutboxMessage.objects.get()
    assert message.sent_at is None
    assert message.last_error == "ConnectionRefusedError: SMTP server not answering"
    # The failed job's "done once" key went with its rollback: a later run sends it.
    assert not DoneOnce.objects.exists()
    monkeypatch.undo()
    assert outbox.relay_pending()["sent"] == 1
    assert len(mail.outbox) == 1


def test_publishing_gives_up_quickly():
    """No 19-second hang: the publishing connection tries once, with a one-second connect
    timeout, and never asks the result store."""
    app.conf.task_always_eager = False  # put back after each test by tests/conftest.py
    connection = outbox.broker_connection()
    assert connection.connect_timeout <= 1
    assert connection.transport_options["max_retries"] == 0
    assert connection.transport_options["socket_connect_timeout"] <= 1
    assert connection.transport_options["socket_timeout"] <= 2
    connection.release()


def test_the_relay_runs_every_minute_and_jobs_are_registered():
    from django.conf import settings

    app.loader.import_default_modules()
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "outbox.relay"]
    assert len(entries) == 1
    assert entries[0]["schedule"].minute == set(range(60))
    assert entries[0]["schedule"].hour == set(range(24))
    assert {"outbox.relay", ACKNOWLEDGEMENT, "referrals.send_decision_notification"} <= set(
        app.tasks
    )


# Sent once on the task side


def test_the_acknowledgement_is_sent_once(practitioner):
    request = RequestFactory(requested_by=practitioner, requester_email="sam@school.example")
    assert referral_tasks.send_request_acknowledgement(request.pk) is True
    assert referral_tasks.send_request_acknowledgement(request.pk) is False
    assert len(mail.outbox) == 1


def test_the_outcome_email_is_sent_once(practitioner):
    request = RequestFactory(requested_by=practitioner, status=Status.WITHDRAWN)
    assert referral_tasks.send_decision_notification(request.pk) is True
    assert referral_tasks.send_decision_notification(request.pk) is False
    assert [m.to for m in mail.outbox] == [[practitioner.email]]


# The cache does not answer


def test_the_public_form_saves_the_request_when_the_cache_is_down(client, cache_down):
    response = client.post(reverse("referrals:public-request"), public_post())
    assert response.status_code == 302
    request = RequestForSupport.objects.get()
    assert request.reference in client.get(response.url).content.decode()


def test_without_the_cache_the_rate_limit_counts_saved_requests(client, cache_down, settings):
    settings.REFERRALS_PUBLIC_RATE_LIMIT = 2
    refused = post_public_until_refused(client, 2)
    assert refused.status_code == 429
    assert RequestForSupport.objects.count() == 2
    url = reverse("referrals:public-request")
    assert client.post(url, public_post(), REMOTE_ADDR="198.51.100.7").status_code == 302
    assert RequestForSupport.objects.count() == 3


def test_without_the_cache_the_honeypot_still_saves_nothing(client, cache_down):
    response = client.post(
        reverse("referrals:public-request"), public_post(website="http://spam.example")
    )
    assert response.status_code == 302
    assert not RequestForSupport.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_without_the_cache_people_sign_in_and_use_the_service(client, cache_down):
    from tests.factories import TEST_PASSWORD

    member = UserFactory(email="chloe@example.org", roles=[Role.PRACTITIONER])
    response = client.post(
        reverse("accounts:sign-in"), {"username": member.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("referrals:request-create")).status_code == 200


def test_the_cache_gives_up_quickly():
    from django.conf import settings

    options = settings.CACHES["default"].get("OPTIONS", {})
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        assert options["socket_connect_timeout"] <= 1 and options["socket_timeout"] <= 1
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


# The admin


def test_system_administrators_see_the_outbox_read_only(client, practitioner):
    with transaction.atomic():
        _submit(practitioner)
    administrator = UserFactory(roles=[Role.SYSTEM_ADMINISTRATOR])
    client.force_login(administrator)
    listing = client.get(reverse("admin:outbox_outboxmessage_changelist"))
    assert listing.status_code == 200
    assert ACKNOWLEDGEMENT in listing.content.decode()
    assert client.get(reverse("admin:outbox_outboxmessage_add")).status_code == 403
    message = OutboxMessage.objects.get()
    change = client.post(
        reverse("admin:outbox_outboxmessage_change", args=[message.pk]),
        {"task_name": "something.else"},
    )
    assert change.status_code == 403
    assert OutboxMessage.objects.get().task_name == ACKNOWLEDGEMENT
    client.force_login(practitioner)
    refused = client.get(reverse("admin:outbox_outboxmessage_changelist"), follow=True)
    assert refused.status_code == 403
    assert ACKNOWLEDGEMENT not in refused.content.decode()


def test_anonymous_users_are_not_shown_the_outbox(client):
    assert AnonymousUser().is_authenticated is False
    response = client.get(reverse("admin:outbox_outboxmessage_changelist"))
    assert response.status_code == 302


# The class of bug


def test_every_job_after_a_change_goes_through_the_outbox():
    """No `.delay()`, `.apply_async()` or `transaction.on_commit()` in the application's
    code outside the outbox: a job queued straight to the broker is an error for the user
    (or a lost job) when Redis is down."""
    import re
    from pathlib import Path

    from django.conf import settings

    pattern = re.compile(r"\.delay\(|\.apply_async\(|on_commit\(")
    offenders = []
    base = Path(settings.BASE_DIR)
    folders = [
        folder
        for folder in base.iterdir()
        if folder.is_dir()
        and not folder.name.startswith(".")
        and folder.name not in {"node_modules", "tests", "var"}
    ]
    paths = [*base.glob("*.py"), *(path for folder in folders for path in folder.rglob("*.py"))]
    assert base / "referrals" / "requests" / "services.py" in paths
    for path in sorted(paths):
        relative = path.relative_to(base)
        if str(relative) == "outbox/services.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if pattern.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []
