#!/usr/bin/env bash
# Creates the service's own PostgreSQL role (docker-compose.yml mounts this script into the
# postgres image's /docker-entrypoint-initdb.d, which runs it once, on the first start with
# an empty data volume). The role owns nothing: `manage.py migrate`, run as the owner
# (DATABASE_OWNER_URL), grants it what it may do on each table (audit/database_roles.py).
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v role="$EARLYHELP_APP_ROLE" -v password="$EARLYHELP_APP_PASSWORD" <<'SQL'
CREATE ROLE :"role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'password';
SQL
