"""Background jobs: autodiscovery, the beat schedule, and a run through a real Redis broker."""

from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tasks import clear_expired_sessions
from earlyhelp.celery import app


def _sessions(expired, current):
    for _ in range(expired):
        store = SessionStore()
        store.create()
        Session.objects.filter(session_key=store.session_key).update(
            expire_date=timezone.now() - timedelta(minutes=1)
        )
    for _ in range(current):
        SessionStore().create()


def test_tasks_are_autodiscovered_and_scheduled():
    app.loader.import_default_modules()
    assert "accounts.clear_expired_sessions" in app.tasks
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled <= set(app.tasks)
    assert app.conf.timezone == "Europe/London"


def test_clear_expired_sessions_removes_only_expired_ones(db):
    _sessions(expired=3, current=2)
    assert clear_expired_sessions() == 3
    assert Session.objects.count() == 2
    assert Session.objects.filter(expire_date__lt=timezone.now()).count() == 0


def test_without_a_broker_tasks_run_eagerly(tmp_path):
    import subprocess
    import sys

    code = (
        "import django; django.setup();"
        "from earlyhelp.celery import app; print(app.conf.task_always_eager)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "earlyhelp.settings",
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        },
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=True,
    )
    assert result.stdout.strip() == "True"


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_task_runs_through_the_real_redis_broker_and_a_worker():
    assert settings.CELERY_BROKER_URL.startswith("redis://127.0.0.1:")
    assert app.conf.task_always_eager is False
    _sessions(expired=2, current=1)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = clear_expired_sessions.delay()
        assert result.get(timeout=30) == 2
    assert Session.objects.count() == 1
