"""docker-compose.yml and the Dockerfile, kept right by reading them.

No Docker engine runs where the tests do, so these tests parse the files and check them
against the code: the commands name the real WSGI and Celery modules, every variable given
to the service is one settings.py reads, production's required variables are all set, the
database and broker URLs point at the services of those names, only migrate connects as the
tables' owner (web, worker and beat as the service's own role), and the image runs as a
user other than root. No database is needed.
"""

import json
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings
from django.urls import resolve

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_SOURCE = (ROOT / "earlyhelp" / "settings.py").read_text()

APP_SERVICES = ("web", "worker", "beat", "migrate")
LONG_RUNNING = ("web", "worker", "beat")
REQUIRED_IN_PRODUCTION = {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}

_NAME = r"([A-Z][A-Z0-9_]*)"
_SETTINGS_READS = [
    rf'\benv(?:\.\w+)?\(\s*"{_NAME}"',  # env("X"), env.bool("X", ...), env.db("X", ...)
    rf'_required_in_production\(\s*"{_NAME}"',
    rf'"{_NAME}"\s+in\s+env\.ENVIRON\b',
    rf'env\.ENVIRON\[\s*"{_NAME}"\s*\]',
    rf'env\.ENVIRON\.get\(\s*"{_NAME}"',
]


def settings_variables():
    """Every environment variable name earlyhelp/settings.py reads."""
    return {name for pattern in _SETTINGS_READS for name in re.findall(pattern, SETTINGS_SOURCE)}


def interpolate(value):
    """A value as docker compose would see it with none of the variables set.

    `${X:-default}` gives the default, `${X:?message}` (compose refuses to start without X)
    a stand-in, and `${X}` nothing.
    """

    def replace(match):
        name, operator, word = match.group(1), match.group(2), match.group(3) or ""
        if operator in (":-", "-"):
            return word
        if operator in (":?", "?"):
            return f"required-{name.lower()}"
        return ""

    text = re.sub(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}", replace, str(value))
    return text.replace("$$", "$")


def as_argv(command):
    return shlex.split(command) if isinstance(command, str) else [str(arg) for arg in command]


def environment_of(service):
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(
            item.split("=", 1) if "=" in item else (item, "") for item in environment
        )
    return {name: ("" if value is None else str(value)) for name, value in environment.items()}


def healthcheck_text(service):
    test = service["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(str(part) for part in test)


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def dockerfile_stages():
    """The Dockerfile's stages, each a list of (INSTRUCTION, arguments), continuations joined."""
    text = (ROOT / "Dockerfile").read_text()
    logical, current = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue  # a comment inside a continued instruction
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        logical.append(current + stripped)
        current = ""
    stages = []
    for instruction_line in logical:
        instruction, _, arguments = instruction_line.partition(" ")
        instruction = instruction.upper()
        if instruction == "FROM":
            stages.append([])
        if stages:
            stages[-1].append((instruction, arguments.strip()))
    return stages


# --- settings.py, as the tests below read it ----------------------------------------------


def test_the_settings_parser_finds_what_settings_reads():
    names = settings_variables()
    assert REQUIRED_IN_PRODUCTION <= names
    assert {"DEBUG", "CSRF_TRUSTED_ORIGINS", "PROXY_COUNT", "SECURE_SSL_REDIRECT"} <= names
    assert "NAME" not in names


# --- docker-compose.yml --------------------------------------------------------------------


def test_compose_runs_the_production_shape(services):
    assert {"web", "worker", "beat", "migrate", "postgres", "redis"} <= set(services)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_build_the_one_image(services, name):
    build = services[name]["build"]
    context = build if isinstance(build, str) else build.get("context", ".")
    assert context in (".", "./")


def test_web_runs_gunicorn_with_the_wsgi_application(services):
    argv = as_argv(services["web"]["command"])
    assert argv[0] == "gunicorn"
    assert "earlyhelp.wsgi:application" in argv
    assert settings.WSGI_APPLICATION == "earlyhelp.wsgi.application"
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:8000"
    # Published on loopback only: the TLS proxy on the host is the way in.
    assert [str(port) for port in services["web"]["ports"]] == ["127.0.0.1:8000:8000"]


def test_worker_and_beat_run_the_celery_app(services):
    assert as_argv(services["worker"]["command"])[:4] == ["celery", "-A", "earlyhelp", "worker"]
    beat = as_argv(services["beat"]["command"])
    assert beat[:4] == ["celery", "-A", "earlyhelp", "beat"]
    # The service user cannot write to /app, so beat keeps its schedule file in /tmp.
    assert beat[beat.index("--schedule") + 1].startswith("/tmp/")
    assert (ROOT / "earlyhelp" / "celery.py").is_file()


def test_migrate_runs_once_before_the_rest(services):
    assert as_argv(services["migrate"]["command"]) == [
        "python",
        "manage.py",
        "migrate",
        "--no-input",
    ]
    assert services["migrate"].get("restart", "no") == "no"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in LONG_RUNNING:
        depends_on = services[name]["depends_on"]
        assert depends_on["postgres"]["condition"] == "service_healthy", name
        assert depends_on["redis"]["condition"] == "service_healthy", name
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_are_given_only_variables_settings_reads(services, name):
    unknown = set(environment_of(services[name])) - settings_variables()
    assert not unknown, f"{name} sets variables settings.py never reads: {sorted(unknown)}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_run_configured_for_production(services, name):
    environment = environment_of(services[name])
    missing = REQUIRED_IN_PRODUCTION - set(environment)
    assert not missing, f"{name} lacks {sorted(missing)}"
    assert environment["DEBUG"] in ("0", "false", "False", "off")
    # The secret comes from whoever starts compose: none is written in the file.
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]*\}", environment["SECRET_KEY"])
    assert interpolate(environment["ALLOWED_HOSTS"]).split(",")[0]
    assert interpolate(environment["SECURE_SSL_REDIRECT"]) == "1"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_database_and_broker_urls_name_the_services(services, name):
    environment = environment_of(services[name])
    postgres = environment_of(services["postgres"])
    database = urlsplit(interpolate(environment["DATABASE_URL"]))
    assert database.scheme in ("postgres", "postgresql", "pgsql")
    assert database.hostname == "postgres" and database.port == 5432
    assert database.path == "/" + postgres["POSTGRES_DB"]

    redis = urlsplit(interpolate(environment["REDIS_URL"]))
    assert (redis.scheme, redis.hostname, redis.port) == ("redis", "redis", 6379)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_the_service_connects_as_its_own_role_not_the_owner(services, name):
    """DATABASE_URL is the role created by the init script, which owns no table."""
    environment = environment_of(services[name])
    postgres = environment_of(services["postgres"])
    database = urlsplit(interpolate(environment["DATABASE_URL"]))
    assert database.username == postgres["EARLYHELP_APP_ROLE"] != postgres["POSTGRES_USER"]
    assert "${POSTGRES_APP_PASSWORD:?" in environment["DATABASE_URL"]
    assert postgres["EARLYHELP_APP_PASSWORD"].startswith("${POSTGRES_APP_PASSWORD:?")
    assert "POSTGRES_PASSWORD" not in environment["DATABASE_URL"].replace("POSTGRES_APP_", "")


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_web_worker_and_beat_do_not_have_the_owners_password(services, name):
    environment = environment_of(services[name])
    assert "DATABASE_OWNER_URL" not in environment
    assert not any("${POSTGRES_PASSWORD" in value for key, value in environment.items()), (
        f"{name} is given the owner's password"
    )


def test_migrate_connects_as_the_owner_of_the_same_database(services):
    environment = environment_of(services["migrate"])
    postgres = environment_of(services["postgres"])
    owner = urlsplit(interpolate(environment["DATABASE_OWNER_URL"]))
    app = urlsplit(interpolate(environment["DATABASE_URL"]))
    assert owner.username == postgres["POSTGRES_USER"] != app.username
    assert (owner.hostname, owner.port, owner.path) == (app.hostname, app.port, app.path)
    assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_OWNER_URL"]
    assert postgres["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_postgres_creates_the_services_role_on_first_start(services):
    volumes = [str(mount).split(":") for mount in services["postgres"]["volumes"]]
    mounts = {parts[1]: parts[0] for parts in volumes}
    scripts = {
        target: source
        for target, source in mounts.items()
        if target.startswith("/docker-entrypoint-initdb.d/")
    }
    assert len(scripts) == 1, mounts
    (source,) = scripts.values()
    script = (ROOT / source).read_text()
    assert re.search(r'CREATE ROLE :"role" LOGIN[^;]*NOSUPERUSER', script)
    assert 'role="$EARLYHELP_APP_ROLE"' in script
    assert 'password="$EARLYHELP_APP_PASSWORD"' in script
    # Nothing in the script grants it rights: migrate does, as the owner, table by table.
    assert "GRANT" not in script


def test_backing_services_are_the_designed_versions(services):
    assert services["postgres"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"


def test_healthchecks(services):
    assert "pg_isready" in healthcheck_text(services["postgres"])
    assert "redis-cli ping" in healthcheck_text(services["redis"])
    web = healthcheck_text(services["web"])
    assert "urllib" in web and "curl" not in web
    assert "http://127.0.0.1:8000/healthz/" in web
    # SECURE_SSL_REDIRECT is on: without the proxy's header the check would get a redirect.
    assert "X-Forwarded-Proto" in web and "'https'" in web
    assert resolve("/healthz/").url_name == "health"


def test_data_lives_in_named_volumes(compose, services):
    volumes = set(compose["volumes"])
    assert any(
        mount == f"{volume}:/var/lib/postgresql/data"
        for volume in volumes
        for mount in services["postgres"]["volumes"]
    )
    for name in ("web", "worker"):
        media_root = environment_of(services[name]).get("MEDIA_ROOT", "/app/var/media")
        assert media_root == "/app/var/media"
        mounts = {
            str(mount).rsplit(":", 1)[-1]: str(mount).split(":", 1)[0]
            for mount in services[name]["volumes"]
        }
        assert mounts.get(media_root) in volumes, name


# --- Dockerfile ----------------------------------------------------------------------------


def test_dockerfile_builds_on_python_311_slim_bookworm():
    stages = dockerfile_stages()
    final = stages[-1]
    assert final[0][1].split()[0] == "python:3.11-slim-bookworm"


def test_dockerfile_command_is_the_web_command(services):
    commands = [
        arguments for instruction, arguments in dockerfile_stages()[-1] if instruction == "CMD"
    ]
    assert commands, "the final stage has no CMD"
    cmd = json.loads(commands[-1])
    assert cmd == as_argv(services["web"]["command"])
    assert "earlyhelp.wsgi:application" in cmd


def test_dockerfile_runs_as_a_user_other_than_root():
    users = [
        arguments for instruction, arguments in dockerfile_stages()[-1] if instruction == "USER"
    ]
    assert users, "the final stage has no USER line, so it runs as root"
    user = users[-1].split(":")[0].strip()
    assert user and user not in ("root", "0")


def test_dockerfile_collects_static_files_and_leaves_node_out_of_the_image():
    stages = dockerfile_stages()
    runs = [
        arguments for stage in stages for instruction, arguments in stage if instruction == "RUN"
    ]
    collectstatic = [run for run in runs if "collectstatic" in run]
    assert collectstatic and "--no-input" in collectstatic[0] and "DEBUG=0" in collectstatic[0]
    assert any("npm ci" in run for run in runs)
    final_runs = " ".join(
        arguments for instruction, arguments in stages[-1] if instruction == "RUN"
    )
    assert "nodejs" not in final_runs and "npm" not in final_runs
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-liberation"):
        assert library in final_runs


def test_dockerfile_copies_every_local_app():
    copied = set()
    for stage in dockerfile_stages():
        for instruction, arguments in stage:
            if instruction == "COPY" and not arguments.startswith("--from"):
                sources = arguments.split()[:-1]
                copied.update(source.rstrip("/").removeprefix("./") for source in sources)
    local_apps = {
        app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()
    }
    assert "earlyhelp" in local_apps and "accounts" in local_apps
    missing = (local_apps | {"manage.py", "templates", "static"}) - copied
    assert not missing, f"the image lacks {sorted(missing)}"


# --- docs/configuration.md --------------------------------------------------------------------


def test_configuration_guide_documents_every_variable_settings_reads():
    guide = (ROOT / "docs" / "configuration.md").read_text()
    undocumented = {name for name in settings_variables() if f"`{name}`" not in guide}
    assert not undocumented, f"docs/configuration.md's variables table lacks {sorted(undocumented)}"
