"""One seeded demo for every test in tests/demo that reads it.

seed_demo takes most of two minutes, and the tests here only read what it made (or run it
again inside their own rolled-back savepoint), so they share one run: seeded when the first
of them starts, inside a transaction rolled back when the package ends. Each test reads it
inside its own savepoint (the `db` fixture). Package scope, so no test outside this folder
ever sees the demo; inside it, the tests that use the database without reading the demo
(--directory-only, the DEBUG refusal) run first, before it is seeded (pytest-django then
moves the tests without a database, such as the quick start on SQLite, to the end).

Under pytest-xdist (make test, `--dist load`) each worker that runs a test of this folder
seeds its own copy, once, in its own database.
"""

import io
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

DEMO_FIXTURE = "seeded_demo"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    ours = [item for item in items if here in item.path.parents]
    if not ours:
        return
    start = items.index(ours[0])
    mine = {id(item) for item in ours}
    rest = [item for item in items if id(item) not in mine]
    # Stable: each file's order is kept, the seeded tests after all the others.
    ours.sort(key=lambda item: DEMO_FIXTURE in getattr(item, "fixturenames", ()))
    items[:] = rest[:start] + ours + rest[start:]


@pytest.fixture(scope="package")
def seeded_demo(django_db_setup, django_db_blocker):
    """seed_demo's whole county (200 families), with what it printed, when it ran and the
    emails it sent."""
    output = io.StringIO()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            mail.outbox = []
            with override_settings(DEBUG=True):
                call_command("seed_demo", stdout=output)
            seeded = {"output": output.getvalue(), "at": timezone.now(), "sent": list(mail.outbox)}
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield seeded
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def seeded(seeded_demo):
    """What seed_demo printed."""
    return seeded_demo["output"]


@pytest.fixture
def seeded_front_door(seeded_demo):
    """When seed_demo ran and the emails it sent."""
    return {"at": seeded_demo["at"], "sent": seeded_demo["sent"]}
