"""Settings come from the environment; production refuses to start half-configured."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "earlyhelp.brackenshire.example",
    "CSRF_TRUSTED_ORIGINS": "https://earlyhelp.brackenshire.example",
    "EMAIL_HOST": "smtp.brackenshire.example",
}


def manage(*args, env):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production check.
    unwanted = {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {key: value for key, value in os.environ.items() if key not in unwanted}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_warnings_in_production(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_a_required_variable(tmp_path, missing):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = manage("check", env={**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_development_defaults_need_no_configuration(tmp_path):
    result = manage("check", env={"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    assert result.returncode == 0, result.stderr


def test_settings_read_from_the_environment():
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.CELERY_BROKER_URL == os.environ["REDIS_URL"]
    assert settings.CACHES["default"]["LOCATION"] == os.environ["REDIS_URL"]


def test_loading_every_url_does_not_import_the_pdf_converter():
    """WeasyPrint takes about a second to import; a process pays it when it makes a PDF,
    not when it starts (earlyhelp/pdf.py)."""
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, django; django.setup(); import earlyhelp.urls; "
            "print(sorted(name for name in sys.modules if name.split('.')[0] == 'weasyprint'))",
        ],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "earlyhelp.settings", "DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"
