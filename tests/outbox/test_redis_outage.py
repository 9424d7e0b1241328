"""Finding 14 of issue 13: with Redis (broker and cache) down, a parent's request and a
professional's request are each saved once, answered at once with their reference, and
acknowledged by email once Redis is back: the outbox, relayed through a real worker.

The test runs its own Redis on a free loopback port and stops and starts it; the suite's
shared Redis (REDIS_URL) is left alone."""

import re
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from earlyhelp.celery import app
from outbox import services as outbox
from outbox.models import OutboxMessage
from outbox.tasks import relay
from referrals.models import RequestForSupport
from referrals.tasks import send_request_acknowledgement
from tests.factories import TeamFactory, UserFactory
from tests.outbox.helpers import professional_post
from tests.outbox.redis_server import OwnRedis
from tests.referrals.request_helpers import public_post

ACKNOWLEDGEMENT = "referrals.send_request_acknowledgement"


def _reset_celery_connections():
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None
    app._backend_cache = None
    app._local = threading.local()


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    if server.answers():
        server.stop()


@pytest.fixture
def pointed_at_own_redis(own_redis, settings):
    """The cache, the broker and the result store on the test's own Redis."""
    settings.CACHES = {"default": {**django_settings.CACHES["default"], "LOCATION": own_redis.url}}
    before = app.conf.broker_url, app.conf.result_backend
    app.conf.broker_url = app.conf.result_backend = own_redis.url
    _reset_celery_connections()
    outbox.resume()
    yield own_redis
    app.conf.broker_url, app.conf.result_backend = before
    _reset_celery_connections()
    outbox.resume()


def _wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_requests_are_saved_once_and_acknowledged_once_redis_is_back(client, pointed_at_own_redis):
    redis_server = pointed_at_own_redis
    assert django_settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    assert app.conf.task_always_eager is False
    redis_server.stop()

    # A parent, on the public form.
    response = client.post(reverse("referrals:public-request"), public_post())
    assert response.status_code == 302
    assert response.url == reverse("referrals:public-sent")
    parent_request = RequestForSupport.objects.get()
    sent_page = client.get(response.url)
    assert sent_page.status_code == 200
    assert parent_request.reference in sent_page.content.decode()

    # A teacher, signed in, on the professional form.
    team = TeamFactory()
    teacher = UserFactory(roles=[Role.PRACTITIONER], agency=team.agency, teams=[team])
    client.force_login(teacher)
    response = client.post(reverse("referrals:request-create"), professional_post())
    assert response.status_code == 302
    teacher_request = RequestForSupport.objects.exclude(pk=parent_request.pk).get()
    assert response.url == reverse("referrals:request-detail", args=[teacher_request.uuid])
    detail = client.get(response.url)
    assert detail.status_code == 200
    assert f"Your reference is {teacher_request.reference}" in detail.content.decode()

    # Each saved once, each acknowledgement waiting in the outbox; nothing sent yet.
    assert RequestForSupport.objects.count() == 2
    waiting = {m.args[0]: m for m in OutboxMessage.objects.filter(task_name=ACKNOWLEDGEMENT)}
    assert set(waiting) == {parent_request.pk, teacher_request.pk}
    assert all(message.sent_at is None for message in waiting.values())
    # The first request tried the broker once, on a connection that gives up at once; the
    # second did not try it inline at all, as the broker had just failed.
    assert waiting[parent_request.pk].attempts == 1
    assert "Connection refused" in waiting[parent_request.pk].last_error
    assert waiting[teacher_request.pk].attempts == 0
    assert mail.outbox == []

    # Redis is back; the relay job runs in a real worker and hands both to the broker.
    redis_server.start()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        relay.delay()
        assert _wait_for(lambda: len(mail.outbox) >= 2), mail.outbox
        time.sleep(1)  # anything sent twice would arrive now
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == sorted(
        f"We have received your request for support: {reference}"
        for reference in (parent_request.reference, teacher_request.reference)
    )
    assert sorted(message.to[0] for message in mail.outbox) == [
        "grace@home.example",
        "sam@school.example",
    ]
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()

    # Relaying again sends nothing more, and the job itself sends no second email.
    assert outbox.relay_pending()["sent"] == 0
    assert send_request_acknowledgement(parent_request.pk) is False
    assert len(mail.outbox) == 2
    assert RequestForSupport.objects.count() == 2
    assert re.fullmatch(r"EH-\d{4}-\d{6}", parent_request.reference)
