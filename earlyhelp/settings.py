"""Settings for Early Help, read from the environment (django-environ).

Every variable is listed, with its default and meaning, in the README's configuration
table. Defaults give a zero-configuration developer set-up: SQLite under var/, tasks run
eagerly, DEBUG on. With DEBUG off the service refuses to start without a SECRET_KEY and
ALLOWED_HOSTS, and naming the missing variable.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)


def _required_in_production(name, development_default, cast=str):
    """Read a variable that production must set; development may fall back to a default."""
    if name in env.ENVIRON:
        return env.get_value(name, cast=cast)
    if DEBUG:
        return development_default
    raise ImproperlyConfigured(
        f"Set the {name} environment variable: it is required when DEBUG is off."
    )


SECRET_KEY = _required_in_production(
    "SECRET_KEY", "development-only-insecure-key-never-use-in-production"
)
ALLOWED_HOSTS = _required_in_production(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"], cast=list
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SERVICE_NAME = env.str("SERVICE_NAME", default="Early Help")
COUNCIL_NAME = env.str("COUNCIL_NAME", default="Brackenshire County Council")
# Where the service is, for links in emails.
SERVICE_URL = env.str("SERVICE_URL", default="http://127.0.0.1:8000").rstrip("/")
PHASE = env.str("PHASE", default="beta")

INSTALLED_APPS = [
    "earlyhelp.apps.EarlyHelpAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "guardian",
    "axes",
    "csp",
    "accounts",
    "audit",
    "outbox",
    "cases",
    "referrals",
    "thresholds",
    "assessments",
    "reporting",
    # Above the domains: the home page and the menu, and the demo data with seed_demo.
    "home",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "earlyhelp.middleware.SecurityHeadersMiddleware",
    "audit.middleware.AuditContextMiddleware",
    # Axes last, as its documentation asks, so it sees the final authentication result.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "earlyhelp.urls"
WSGI_APPLICATION = "earlyhelp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "earlyhelp.context_processors.service",
                "home.context_processors.navigation",
            ],
            "builtins": ["earlyhelp.templatetags.gds", "cases.templatetags.case_tags"],
        },
    },
]
FORM_RENDERER = "earlyhelp.forms.GovUKFormRenderer"

(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'earlyhelp.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0))

# SQLite (the demo, `make run`) serving a small team: readers never wait for a writer (WAL),
# a writer waits its turn for up to `timeout` seconds rather than failing with "database is
# locked", and every transaction takes the write lock as it begins (IMMEDIATE), so two
# requests that read and then write can never deadlock upgrading their locks.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}

# PostgreSQL in production: the service connects as DATABASE_URL's role, which reads and
# writes rows but owns no table, so it can neither empty the audit log nor switch its
# triggers off. `manage.py migrate` connects as the tables' owner, DATABASE_OWNER_URL (only
# its user and password are used: the server and database are DATABASE_URL's), and then
# grants the service's role what it needs (audit.database_roles). Unset, or with SQLite,
# migrate runs as DATABASE_URL's user and grants nothing.
DATABASE_OWNER = None
DATABASE_APP_ROLE = None
_owner_url = env.str("DATABASE_OWNER_URL", default="")
if _owner_url and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _owner = environ.Env.db_url_config(_owner_url)
    if _owner["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_OWNER_URL must be a PostgreSQL URL.")
    if not DATABASES["default"].get("USER") or _owner.get("USER") == DATABASES["default"]["USER"]:
        raise ImproperlyConfigured(
            "DATABASE_OWNER_URL must name another user than DATABASE_URL: the owner of the "
            "tables, while DATABASE_URL names the service's own role."
        )
    DATABASE_OWNER = {"USER": _owner["USER"], "PASSWORD": _owner.get("PASSWORD", "")}
    DATABASE_APP_ROLE = DATABASES["default"]["USER"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:signed-out"

# Sessions end after a period of inactivity: the expiry slides forward on every request.
SESSION_INACTIVITY_TIMEOUT = timedelta(
    minutes=env.int("SESSION_INACTIVITY_TIMEOUT_MINUTES", default=30)
)
SESSION_COOKIE_AGE = int(SESSION_INACTIVITY_TIMEOUT.total_seconds())
# Signed-in pages warn this many seconds before the session ends, offering to stay signed in.
SESSION_TIMEOUT_WARNING_SECONDS = env.int("SESSION_TIMEOUT_WARNING_SECONDS", default=120)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# django-axes: lock an account after repeated failed sign-ins.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.auth.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0) or None
AXES_VERBOSE = False

# django-guardian: object permissions through our access policy only.
GUARDIAN_MONKEY_PATCH_USER = False
GUARDIAN_MONKEY_PATCH_GROUP = False
ANONYMOUS_USER_NAME = None

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/assets/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# In development whitenoise serves straight from the source folders, without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # govuk-frontend's compiled CSS refers to /assets/fonts and /assets/images, so its
    # assets folder is served at the root of STATIC_URL.
    BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "assets",
    ("govuk-frontend", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"

# Security headers. The HTTPS settings follow from DEBUG, so `check --deploy` is clean in
# production and local development still works over plain HTTP.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Health checks come from inside the deployment over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "earlyhelp.views.csrf_failure"
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a decision for each council's domain, not for this codebase.
    "security.W021",
    # Lockout is per account on purpose: counting by address would lock a whole council
    # office out, since its staff share one address behind the firewall.
    "axes.W006",
]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Email
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="early-help@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so a bad token is answered 401 with a WWW-Authenticate header.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "earlyhelp.api.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "earlyhelp.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=90)),
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Early Help API",
    "DESCRIPTION": (
        "Every capability of the Early Help service, under the same access policy as "
        "the web pages. Authenticate with a session or with `Authorization: Token <key>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "earlyhelp.api.document_error_responses",
    ],
    # Swagger UI from our own static files: no CDN, and nothing inline for CSP to refuse.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# Triage timescales in working days by urgency (referrals.timescales), e.g. red=0,amber=1,green=3
TRIAGE_TIMESCALES_WORKING_DAYS = {
    urgency.strip(): int(days)
    for urgency, days in (
        item.split("=", 1)
        for item in env.list("TRIAGE_TIMESCALES", default=["red=0", "amber=1", "green=3"])
    )
}
TRIAGE_END_OF_WORKING_DAY = env.str("TRIAGE_END_OF_WORKING_DAY", default="17:00")
# Public requests for support accepted per client address per hour.
REFERRALS_PUBLIC_RATE_LIMIT = env.int("REFERRALS_PUBLIC_RATE_LIMIT", default=5)

# Episodes (DESIGN sections 5 and 7)
# A closed episode reopens as itself within this many days; later, help is a new episode.
EPISODE_REOPEN_DAYS = env.int("EPISODE_REOPEN_DAYS", default=28)
# The lead professional and TAF of a closed episode may still read the family's records
# (read only) for this many days.
CLOSED_EPISODE_READ_DAYS = env.int("CLOSED_EPISODE_READ_DAYS", default=90)
# A step up or step down not accepted within this many working days of approval is flagged.
TRANSITION_ACCEPTANCE_WORKING_DAYS = env.int("TRANSITION_ACCEPTANCE_WORKING_DAYS", default=5)
# The Early Help Assessment is due this many working days after allocation.
ASSESSMENT_DUE_WORKING_DAYS = env.int("ASSESSMENT_DUE_WORKING_DAYS", default=20)
# TAF reviews fall due this many weeks apart, or as set for a level by its rank, e.g. 2=8,3=6.
REVIEW_CADENCE_WEEKS = env.int("REVIEW_CADENCE_WEEKS", default=6)
REVIEW_CADENCE_WEEKS_BY_LEVEL = {
    int(rank): int(weeks)
    for rank, weeks in (
        item.split("=", 1) for item in env.list("REVIEW_CADENCE_WEEKS_BY_LEVEL", default=[])
    )
}
# The daily reminder job warns lead professionals of reviews and assessments due within
# this many days, and escalates overdue ones to their managers.
REMINDER_DAYS_AHEAD = env.int("REMINDER_DAYS_AHEAD", default=7)
# A family plan PDF not made this many minutes after it was asked for counts as failed
# (the job was lost or is stuck): the page offers to try again, and asking makes a new one.
FAMILY_PLAN_PDF_STALE_MINUTES = env.int("FAMILY_PLAN_PDF_STALE_MINUTES", default=10)

REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Give up quickly when Redis is down: callers fall back (see referrals.requests.views).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Celery: without a broker, tasks run eagerly in the web process so the quick start works.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "accounts.clear_expired_sessions",
        "schedule": crontab(minute=17, hour="*"),
    },
    "send-due-reminders": {
        "task": "assessments.send_due_reminders",
        # Before the working day starts, London time (CELERY_TIMEZONE).
        "schedule": crontab(minute=0, hour=7),
    },
    # Jobs recorded while the broker was down wait in the outbox until this sends them.
    "relay-outbox": {
        "task": "outbox.relay",
        "schedule": crontab(),
        "options": {"expires": 55},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint and fontTools narrate every stylesheet and font at INFO.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
