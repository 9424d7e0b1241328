"""The demo data: a fictional county, deterministic and idempotent, on SQLite and PostgreSQL."""

import os
import sqlite3
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from accounts.management.commands.seed_demo import DEMO_PASSWORD, USERS
from accounts.models import Agency, AgencyType, Locality, Role, Team, User


def _manage(*args, database):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}
    }
    env.update({"DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_quick_start_migrates_and_seeds_a_fresh_sqlite_file_twice(tmp_path):
    database = tmp_path / "quick-start.sqlite3"
    for run in ("first", "second"):
        for command in (["migrate", "--no-input"], ["seed_demo"]):
            result = _manage(*command, database=database)
            assert result.returncode == 0, f"{run} {command}: {result.stderr}"
    assert "0 new records" in result.stdout
    with sqlite3.connect(database) as connection:
        counts = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("accounts_locality", "accounts_agency", "accounts_team", "accounts_user")
        }
    assert counts == {
        "accounts_locality": 4,
        "accounts_agency": 15,
        "accounts_team": 15,
        "accounts_user": len(USERS),
    }


def test_seed_builds_the_county_with_every_agency_type_and_role(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--directory-only")
    assert Locality.objects.count() == 4
    assert set(Agency.objects.values_list("agency_type", flat=True)) == set(AgencyType.values)
    assert Team.objects.count() >= 15
    for role in Role:
        assert User.objects.filter(groups__name=role).exists(), role
    triage = User.objects.get(email="triage@brackenshire.example")
    assert triage.check_password(DEMO_PASSWORD)
    assert triage.teams.get().name == "Early Help Hub (MASH)"


def test_seed_is_idempotent_and_keeps_changes(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--directory-only")
    practitioner = User.objects.get(email="practitioner@brackenshire.example")
    practitioner.set_password("changed by the user 2026")
    practitioner.save()
    before = (Agency.objects.count(), Team.objects.count(), User.objects.count())
    call_command("seed_demo", "--directory-only")
    assert (Agency.objects.count(), Team.objects.count(), User.objects.count()) == before
    practitioner.refresh_from_db()
    assert practitioner.check_password("changed by the user 2026")


def test_seed_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo")
    assert not User.objects.exists()
