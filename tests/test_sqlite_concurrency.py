"""`make run` serves a small team on SQLite: concurrent writes wait their turn.

Two requests that each read and then write in a transaction (signing in, saving a form) used
to meet "database is locked": with SQLite's default deferred transactions both hold a read
lock, and the second to ask for the write lock is refused at once, busy timeout or not, as
waiting could deadlock. settings.SQLITE_OPTIONS begins every transaction as a writer
(IMMEDIATE), so the second waits for the first (timeout), and WAL lets readers carry on.

Each test makes a temporary SQLite file and threads with a connection each, configured as
settings.py configures the demo's database.
"""

import json
import os
import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.db.utils import ConnectionHandler, OperationalError

THREADS = 4


def _connections(path, options):
    return ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": options}}
    )


def _read_then_write_at_once(path, options):
    """THREADS transactions that read, wait (up to a second) until all have read, then write.

    Django's atomic() does what the transaction below does: autocommit off, which on SQLite
    begins the transaction (BEGIN, or BEGIN IMMEDIATE with transaction_mode), then commit.
    Returns the errors met and the counter's final value.
    """
    handler = _connections(path, options)
    with handler["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE counter (id integer PRIMARY KEY, n integer NOT NULL)")
        cursor.execute("INSERT INTO counter (id, n) VALUES (1, 0)")
    handler["default"].close()

    all_have_read = threading.Barrier(THREADS)
    errors = []

    def request():
        connection = handler["default"]  # per thread: each its own connection
        try:
            connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            with connection.cursor() as cursor:
                cursor.execute("SELECT n FROM counter WHERE id = 1")
                (n,) = cursor.fetchone()
                try:
                    all_have_read.wait(timeout=1)
                except threading.BrokenBarrierError:
                    pass  # the others are waiting for this one's lock: write now
                cursor.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])
            connection.commit()
        except OperationalError as error:
            errors.append(str(error))
            connection.rollback()
        finally:
            connection.set_autocommit(True)
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with handler["default"].cursor() as cursor:
        cursor.execute("SELECT n FROM counter WHERE id = 1")
        (final,) = cursor.fetchone()
        cursor.execute("PRAGMA journal_mode")
        (journal_mode,) = cursor.fetchone()
    handler["default"].close()
    return errors, final, journal_mode


def test_concurrent_writes_wait_their_turn_with_the_demos_settings(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():
        errors, final, journal_mode = _read_then_write_at_once(
            tmp_path / "demo.sqlite3", settings.SQLITE_OPTIONS
        )
    assert errors == []
    assert final == THREADS  # every write happened, none lost
    assert journal_mode == "wal"


def test_the_old_options_fail_with_database_is_locked(tmp_path, django_db_blocker):
    """What the demo did before: Django's defaults. The same work fails."""
    with django_db_blocker.unblock():
        errors, final, journal_mode = _read_then_write_at_once(tmp_path / "old.sqlite3", {})
    assert errors and all("database is locked" in error for error in errors)
    assert final == THREADS - len(errors)
    assert journal_mode == "delete"


@pytest.mark.parametrize(
    "url, sqlite",
    [("sqlite:///{tmp}/demo.sqlite3", True), ("postgres://someone@localhost:5432/x", False)],
)
def test_settings_use_the_options_for_sqlite_only(tmp_path, url, sqlite):
    code = (
        "import json; from django.conf import settings;"
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DATABASE_OWNER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **environment,
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "earlyhelp.settings",
            "DATABASE_URL": url.format(tmp=tmp_path),
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout.strip().splitlines()[-1])
    if sqlite:
        assert options == settings.SQLITE_OPTIONS
        assert options["transaction_mode"] == "IMMEDIATE"
        assert options["timeout"] >= 5
        assert "journal_mode=WAL" in options["init_command"]
    else:
        assert "transaction_mode" not in options and "init_command" not in options
