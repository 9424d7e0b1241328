"""The suite runs under production's two PostgreSQL roles (audit.database_roles).

scripts/with-test-services.sh creates them: the owner of the tables (DATABASE_OWNER_URL, not
a superuser, CREATEDB) and the service's own role (DATABASE_URL), of which the owner is a
member. The test connection logs in as the owner, which creates the test database and
migrates it; the migrate command grants the service's role its rights, as in production.
From then on every connection to the test database starts with `SET ROLE <service role>`,
so each query of every test, the live server's and the Celery worker's included, runs with
the service's privileges and no more.

One thing the service's role may not do is what pytest-django does after a transactional
test (browser, broker): empty every table with TRUNCATE. That flush alone runs as the owner
(SET LOCAL ROLE NONE), with the audit log's TRUNCATE trigger disabled for its transaction.

Without DATABASE_OWNER_URL (SQLite, or one PostgreSQL user) nothing here changes anything.
"""

from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.signals import connection_created

AUDIT_TABLE = "audit_auditevent"
TRUNCATE_TRIGGER = "audit_event_no_truncate"


def _split_roles():
    database = settings.DATABASES[DEFAULT_DB_ALIAS]
    return bool(settings.DATABASE_OWNER) and database["ENGINE"].endswith("postgresql")


def _run_as_service_role(sender, connection, **kwargs):
    if connection.alias != DEFAULT_DB_ALIAS or connection.vendor != "postgresql":
        return
    role = connection.ops.quote_name(settings.DATABASE_APP_ROLE)
    # On the driver's own cursor, so the statement is not counted as a query of the test.
    with connection.connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {role}")


def _flush_as_owner(original):
    def execute_sql_flush(self, sql_list):
        if self.connection.alias != DEFAULT_DB_ALIAS:
            return original(self, sql_list)
        table = self.quote_name(AUDIT_TABLE)
        trigger = self.quote_name(TRUNCATE_TRIGGER)
        return original(
            self,
            [
                "SET LOCAL ROLE NONE",
                f"ALTER TABLE {table} DISABLE TRIGGER {trigger}",
                *sql_list,
                f"ALTER TABLE {table} ENABLE TRIGGER {trigger}",
            ],
        )

    return execute_sql_flush


@contextmanager
def as_table_owner():
    """For the block, the test connection acts as the tables' owner, as it logged in.

    For tests that show what even the owner cannot do, or that need an owner's statement
    (ANALYZE). Back to the service's role afterwards, whether the block failed or not.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if not _split_roles():  # one role (SQLite, or a developer's PostgreSQL): the owner
            yield cursor
            return
        cursor.execute("SET LOCAL ROLE NONE")
        yield cursor
        cursor.execute(f"SET LOCAL ROLE {connection.ops.quote_name(settings.DATABASE_APP_ROLE)}")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Log in as the owner, to create, migrate, empty and drop the test database."""
    if _split_roles():
        connections[DEFAULT_DB_ALIAS].close()
        settings.DATABASES[DEFAULT_DB_ALIAS].update(settings.DATABASE_OWNER)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Once the test database is made, every test runs as the service's role."""
    if not _split_roles():
        yield
        return
    from django.db.backends.postgresql.operations import DatabaseOperations

    original_flush = DatabaseOperations.execute_sql_flush
    for each in connections.all():
        each.close()
    connection_created.connect(_run_as_service_role)
    DatabaseOperations.execute_sql_flush = _flush_as_owner(original_flush)
    try:
        yield
    finally:
        DatabaseOperations.execute_sql_flush = original_flush
        connection_created.disconnect(_run_as_service_role)
        for each in connections.all():
            each.close()
