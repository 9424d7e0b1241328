"""The two PostgreSQL roles: the tables' owner, for migrations, and the service's own role.

The service (web, worker, beat) connects as DATABASE_URL's role. It may read and write the
rows of every table but owns none, so it cannot TRUNCATE, ALTER or DROP a table, nor switch a
trigger off (only an owner may). On the audit log it may only read and append: no UPDATE,
DELETE or TRUNCATE at all, and the triggers of migrations 0002 and 0004 stop the owner too.

`manage.py migrate` (audit/management/commands/migrate.py) connects as DATABASE_OWNER_URL's
user, applies the migrations, and then calls grant_app_role, so each new table is granted
as it appears. Both settings are described in the README (production notes).
"""

from contextlib import contextmanager

from django.conf import settings

APPEND_ONLY_TABLES = ("audit_auditevent",)


@contextmanager
def as_owner(connection):
    """Connect `connection` as the tables' owner (settings.DATABASE_OWNER) for the block."""
    saved = {key: connection.settings_dict.get(key) for key in ("USER", "PASSWORD")}
    connection.close()
    connection.settings_dict.update(settings.DATABASE_OWNER)
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def grant_app_role(connection, role=None):
    """Grant the service's role rows, not tables; on the audit log, read and append only."""
    role = connection.ops.quote_name(role or settings.DATABASE_APP_ROLE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = connection.ops.quote_name(cursor.fetchone()[0])
        statements = [
            f"GRANT USAGE ON SCHEMA {schema} TO {role}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
            f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {schema} FROM {role}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
            # Tables made later by the owner outside migrate (createcachetable, say).
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema}"
            f" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema}"
            f" GRANT USAGE, SELECT ON SEQUENCES TO {role}",
        ]
        statements += [
            f"REVOKE UPDATE, DELETE, TRUNCATE ON {connection.ops.quote_name(table)} FROM {role}"
            for table in APPEND_ONLY_TABLES
        ]
        for statement in statements:
            cursor.execute(statement)
