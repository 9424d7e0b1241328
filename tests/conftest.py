import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from accounts.models import Role
from tests.cases.episode_helpers import make_locality

# The suite runs as the service's own PostgreSQL role, not as the tables' owner.
from tests.database_roles import django_db_modify_db_settings, django_db_setup  # noqa: F401
from tests.factories import TeamFactory, UserFactory


def _database_line():
    database = settings.DATABASES["default"]
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    if engine != "postgresql":
        return f"Database: {engine} (not PostgreSQL: use `make test` for the real suite)"
    import psycopg2

    with (
        psycopg2.connect(
            dbname=database["NAME"],
            user=database["USER"],
            host=database["HOST"],
            port=database["PORT"],
            password=database.get("PASSWORD") or None,
        ) as connection,
        connection.cursor() as cursor,
    ):
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    connection.close()
    return f"Database: PostgreSQL {version} at {database['HOST']}:{database['PORT']}"


def _redis_line():
    if not settings.REDIS_URL:
        return "Redis: none (REDIS_URL unset; broker tests will fail)"
    import redis

    info = redis.Redis.from_url(settings.REDIS_URL).info("server")
    return f"Redis: {info['redis_version']} at {settings.REDIS_URL}"


def _chromium_line():
    if not shutil.which("/usr/bin/chromium"):
        return "Chromium: not installed at /usr/bin/chromium"
    version = subprocess.run(
        ["/usr/bin/chromium", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return f"Chromium: {version}"


# The suite's clock. Every test runs on a clock that starts at this instant and moves on in
# real time, so no result depends on the hour or the day the suite happens to run. Set
# EARLYHELP_TEST_NOW (ISO 8601, London time unless an offset is given) to run the whole suite
# at another moment: around midnight, on a weekend, on a bank holiday, across a clock change.
# Tests about particular dates travel further with time_machine themselves.
DEFAULT_TEST_NOW = "2027-01-20T11:00:00"  # a Wednesday in term time, no bank holiday near


def _test_now():
    moment = datetime.fromisoformat(os.environ.get("EARLYHELP_TEST_NOW") or DEFAULT_TEST_NOW)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("Europe/London"))
    return moment


_suite_clock = None


# Production's hasher (PBKDF2, a million rounds) takes most of a second a password on this
# kind of machine; seed_demo hashes one for each demo user and many tests sign in with one.
# The suite tests what is done with passwords, not the hash's strength: a fast hasher.
TEST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    from django.contrib.auth import hashers

    settings.PASSWORD_HASHERS = TEST_PASSWORD_HASHERS
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()
    global _suite_clock
    _suite_clock = time_machine.travel(_test_now(), tick=True)
    _suite_clock.start()


def pytest_unconfigure(config):
    if _suite_clock is not None:
        _suite_clock.stop()


def pytest_report_header(config):
    clock = f"Clock: starts at {_test_now().isoformat()} (EARLYHELP_TEST_NOW to change)"
    return [_database_line(), _redis_line(), _chromium_line(), clock]


DEMO_TESTS = Path(__file__).parent / "demo"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The demo's tests run first, as one block in their own order.

    They hold the suite's two longest pieces (a worker seeding the whole demo, about two
    minutes, and the quick start seeding it twice on SQLite, about two and a half), and
    pytest-django moves the quick start, which uses no test database, to the very end. Run
    last, either one kept a pytest-xdist worker busy for minutes after the other had run out
    of tests; run first, the other worker takes the rest of the suite meanwhile.
    """
    demo = [item for item in items if DEMO_TESTS in item.path.parents]
    if demo:
        rest = [item for item in items if DEMO_TESTS not in item.path.parents]
        items[:] = demo + rest


@pytest.fixture(autouse=True)
def _eager_tasks_unless_broker_test(request):
    """Tasks run in-process, except in tests that exercise the real Redis broker."""
    from earlyhelp.celery import app

    eager = not request.node.get_closest_marker("broker")
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


# Reference data that data migrations load. A transactional test (browser, broker) empties
# every table when it ends, so the next one would start without them.
REFERENCE_DATA_LOADERS = [
    ("accounts.migrations.0002_roles", "create_roles"),
    ("referrals.migrations.0002_load_presenting_needs", "load"),
    ("assessments.migrations.0002_default_template", "load"),
]


@pytest.fixture
def reference_data(transactional_db):
    """Put the migrations' reference data back for a transactional test."""
    import importlib

    from django.apps import apps

    from thresholds import services as thresholds
    from thresholds.models import Framework

    for module, function in REFERENCE_DATA_LOADERS:
        getattr(importlib.import_module(module), function)(apps, None)
    if not Framework.objects.exists():
        default = settings.BASE_DIR / "thresholds" / "data" / "default_framework.yaml"
        framework = thresholds.framework_import(
            by=None, data=default.read_bytes(), source_name=default.name
        )
        thresholds.framework_publish(by=None, framework=framework)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


# Django keeps each content type in the process once it has looked it up, and a worker starts
# with none (as it does again after a transactional test empties the tables). The access
# policy's grant subqueries (earlyhelp.access.grants) look content types up, so a page's query
# count would include the lookups no earlier test in the same worker happened to make, and
# would depend on the order the tests ran in. Every count is of a worker that already knows
# all its content types, as a running server does.
@pytest.fixture
def django_assert_max_num_queries(django_assert_max_num_queries):
    def counting_from_known_content_types(*args, **kwargs):
        from django.apps import apps
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.get_for_models(*apps.get_models())
        return django_assert_max_num_queries(*args, **kwargs)

    return counting_from_known_content_types


@pytest.fixture
def team(db):
    return TeamFactory()


@pytest.fixture
def practitioner(team):
    return UserFactory(roles=[Role.PRACTITIONER], agency=team.agency, teams=[team])


@pytest.fixture
def colleague(team):
    """Another member of the practitioner's team."""
    return UserFactory(roles=[Role.PRACTITIONER], agency=team.agency, teams=[team])


@pytest.fixture
def outsider(db):
    """A partner agency user from an unrelated agency and team."""
    return UserFactory(roles=[Role.PARTNER_AGENCY_USER], teams=[TeamFactory()])


@pytest.fixture
def locality_manager(team):
    return UserFactory(roles=[Role.LOCALITY_MANAGER], agency=team.agency, manages=[team])


@pytest.fixture
def system_administrator(db):
    return UserFactory(roles=[Role.SYSTEM_ADMINISTRATOR])


@pytest.fixture
def analyst(db):
    return UserFactory(roles=[Role.PERFORMANCE_ANALYST])


def client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def as_user(api_client):
    """Sign the API client in as a user: `as_user(user).get(url)`."""

    def sign_in(user):
        # A fresh copy, so nothing the access policy cached while setting up carries over.
        from accounts.models import User

        api_client.force_authenticate(User.objects.get(pk=user.pk))
        return api_client

    return sign_in


@pytest.fixture
def north():
    """The North locality of tests/cases/episode_helpers.make_locality: its teams, manager,
    lead professional and partners (a module may define its own `north` instead)."""
    return make_locality("North")
