"""The service's database role cannot change, empty or switch off the audit log.

The suite connects as production's service role (DATABASE_URL, tests/database_roles.py):
it owns no table, so PostgreSQL refuses it TRUNCATE and ALTER TABLE on any table, and on the
audit log it holds only SELECT and INSERT. The owner, who migrates, is stopped from
UPDATE, DELETE and TRUNCATE by triggers (audit migrations 0002 and 0004).
"""

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.utils import DatabaseError

from audit.models import AuditAction, AuditEvent
from audit.services import record
from tests.database_roles import as_table_owner
from tests.factories import UserFactory

pytestmark = pytest.mark.postgres

NOT_ALLOWED = (
    r"permission denied for table audit_auditevent"
    r"|must be owner of (table|relation) audit_auditevent"
)


@pytest.fixture
def event(db):
    return record(actor=UserFactory(), action=AuditAction.VIEW, reason="original")


def _one(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _intact(event):
    stored = AuditEvent.objects.get(pk=event.pk)
    return stored.reason == "original"


def test_the_suite_runs_as_the_services_role_which_owns_no_table(db):
    assert connection.vendor == "postgresql"
    assert settings.DATABASE_APP_ROLE, "DATABASE_OWNER_URL is not set: no role split"
    current_user, session_user = _one("SELECT current_user, session_user")
    assert current_user == settings.DATABASE_APP_ROLE
    assert session_user == settings.DATABASE_OWNER["USER"] != current_user
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = current_schema()"
        )
        owners = {row[0] for row in cursor.fetchall()}
    assert owners == {settings.DATABASE_OWNER["USER"]}
    is_superuser, can_create_roles, can_bypass_rls = _one(
        "SELECT rolsuper, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = current_user"
    )
    assert not (is_superuser or can_create_roles or can_bypass_rls)


def test_migrate_granted_the_services_role_rows_but_not_tables(db):
    role = settings.DATABASE_APP_ROLE

    def has(table, privilege):
        return _one("SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege])[0]

    for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE"):
        assert has("cases_family", privilege), privilege
    for privilege in ("SELECT", "INSERT"):
        assert has("audit_auditevent", privilege), privilege
    for table in ("cases_family", "audit_auditevent"):
        for privilege in ("TRUNCATE", "TRIGGER", "REFERENCES"):
            assert not has(table, privilege), (table, privilege)
    for privilege in ("UPDATE", "DELETE"):
        assert not has("audit_auditevent", privilege), privilege


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET reason = 'rewritten' WHERE id = %(id)s",
        "DELETE FROM audit_auditevent WHERE id = %(id)s",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
        "TRUNCATE audit_auditevent CASCADE",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_truncate",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER USER",
        "DROP TRIGGER audit_event_append_only ON audit_auditevent",
        "DROP TABLE audit_auditevent CASCADE",
    ],
)
def test_the_services_role_cannot_change_empty_or_switch_off_the_audit_log(event, statement):
    with pytest.raises(DatabaseError, match=NOT_ALLOWED):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, {"id": event.pk})
    assert _one("SELECT current_user")[0] == settings.DATABASE_APP_ROLE
    assert _intact(event)
    assert AuditEvent.objects.count() == 1


def test_the_services_role_cannot_switch_triggers_off_on_other_tables_either(db):
    with pytest.raises(DatabaseError, match="must be owner of table"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("ALTER TABLE cases_family DISABLE TRIGGER ALL")


def test_the_services_role_reads_and_appends(event):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (occurred_at, actor_label, action, object_type,"
            " object_id, user_agent, path, reason, detail)"
            " VALUES (now(), 'raw', 'view', '', '', '', '', '', '{}')"
        )
        cursor.execute("SELECT count(*) FROM audit_auditevent")
        assert cursor.fetchone() == (2,)


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE audit_auditevent",
        "TRUNCATE audit_auditevent CASCADE",
        "UPDATE audit_auditevent SET reason = 'rewritten' WHERE id = %(id)s",
        "DELETE FROM audit_auditevent WHERE id = %(id)s",
    ],
)
def test_the_owners_truncate_update_and_delete_are_refused_by_the_triggers(event, statement):
    with pytest.raises(DatabaseError, match="append-only"):
        with as_table_owner() as cursor:
            assert _one("SELECT current_user")[0] == settings.DATABASE_OWNER["USER"]
            # The event's foreign key check is pending in the test's transaction, and
            # PostgreSQL refuses TRUNCATE with pending checks before any trigger fires.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(statement, {"id": event.pk})
    assert _one("SELECT current_user")[0] == settings.DATABASE_APP_ROLE
    assert _intact(event)
