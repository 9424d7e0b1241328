#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL and Redis of its own, on loopback ports
# chosen free at start, with DATABASE_URL, DATABASE_OWNER_URL and REDIS_URL set; stop and
# remove both after.
#
# PostgreSQL has the roles production has (docs/configuration.md): earlyhelp owns the
# database and its tables (DATABASE_OWNER_URL: migrations; not a superuser, but CREATEDB so it
# can make the test database), and earlyhelp_app is the service's own role (DATABASE_URL),
# which owns nothing. The owner is also made a member of earlyhelp_app, so the test suite can
# log in as the owner to create and migrate the test database and then run every test as
# earlyhelp_app (SET ROLE, tests/database_roles.py).
set -euo pipefail

pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
work=$(mktemp -d /tmp/earlyhelp-test.XXXXXX)
chmod 755 "$work"

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_port=$(free_port)
redis_port=$(free_port)
pgdata="$work/pg"
mkdir "$pgdata"
[ "$(id -u)" = 0 ] && chown postgres "$pgdata"

stop_services() {
    as_postgres "$pg_bin/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true
    redis-cli -h 127.0.0.1 -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap stop_services EXIT

as_postgres "$pg_bin/initdb" -D "$pgdata" -A trust -U postgres --no-sync -E UTF8 >"$work/initdb.log"
# Durability is switched off: this database lives for one test run.
as_postgres "$pg_bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w \
    -o "-p $pg_port -k $pgdata -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
"$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE ROLE earlyhelp LOGIN CREATEDB NOSUPERUSER;
CREATE ROLE earlyhelp_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
GRANT earlyhelp_app TO earlyhelp;
CREATE DATABASE earlyhelp OWNER earlyhelp;
SQL

# 64 databases: each pytest-xdist worker uses one of its own (tests/xdist_workers.py).
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --databases 64 \
    --daemonize yes --pidfile "$work/redis.pid" --logfile "$work/redis.log"
for _ in $(seq 50); do
    redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1 && break
    sleep 0.1
done

export DATABASE_URL="postgres://earlyhelp_app@127.0.0.1:$pg_port/earlyhelp"
export DATABASE_OWNER_URL="postgres://earlyhelp@127.0.0.1:$pg_port/earlyhelp"
export REDIS_URL="redis://127.0.0.1:$redis_port/0"
echo "Test services: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port," \
     "Redis $(redis-server --version | sed -E 's/.*v=([0-9.]+).*/\1/') on 127.0.0.1:$redis_port"

"$@"
