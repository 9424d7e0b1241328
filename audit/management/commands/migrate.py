"""Django's migrate, run as the tables' owner when DATABASE_OWNER_URL is set.

The service itself connects as DATABASE_URL's role, which owns no table (audit.database_roles).
With DATABASE_OWNER_URL set, this connects as the owner instead, applies the migrations, and
grants the service's role what it needs on every table, the new ones included. Without it,
migrate runs as DATABASE_URL's user, as Django's does (SQLite, a developer's PostgreSQL).
"""

from django.conf import settings
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import DEFAULT_DB_ALIAS, connections

from audit import database_roles


class Command(MigrateCommand):
    help = (
        f"{MigrateCommand.help} With DATABASE_OWNER_URL set, it runs as the tables' owner and "
        "then grants DATABASE_URL's role its rights (rows, not tables; the audit log append-only)."
    )

    def handle(self, *args, **options):
        if options["database"] != DEFAULT_DB_ALIAS or not settings.DATABASE_OWNER:
            return super().handle(*args, **options)
        connection = connections[options["database"]]
        with database_roles.as_owner(connection):
            super().handle(*args, **options)
            database_roles.grant_app_role(connection)
            if options["verbosity"] >= 1:
                self.stdout.write(
                    f"Granted {settings.DATABASE_APP_ROLE} its rights as the service's role."
                )
