# syntax=docker/dockerfile:1
# The production image of Early Help: one image for web (gunicorn), worker, beat and migrate.
# See docker-compose.yml for how they are run, and docs/configuration.md for the settings.

# --- Python dependencies, in a virtual environment copied into the final image -------------
FROM python:3.11-slim-bookworm AS python-deps
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /build
# `pip install .` installs the dependencies listed in pyproject.toml; the project itself has
# no packages (the apps run from /app). pyproject names README.md as the long description:
# an empty stand-in keeps this layer cached when only the README changes.
COPY pyproject.toml ./
RUN touch README.md && pip install .

# --- Front-end packages: Node.js and npm exist only in this stage ---------------------------
FROM python:3.11-slim-bookworm AS assets
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY package.json package-lock.json ./
# Development packages (axe-core, for the accessibility tests) are not needed here.
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# --- The source, with static files collected ------------------------------------------------
FROM python-deps AS source
WORKDIR /app
# Only what the service runs: never a developer's .env, .venv, var/ (SQLite, media) or .git.
COPY manage.py ./
COPY earlyhelp ./earlyhelp
COPY accounts ./accounts
COPY audit ./audit
COPY cases ./cases
COPY referrals ./referrals
COPY thresholds ./thresholds
COPY assessments ./assessments
COPY outbox ./outbox
COPY reporting ./reporting
COPY home ./home
COPY demo ./demo
COPY templates ./templates
COPY static ./static
# govuk-frontend is served from node_modules through STATICFILES_DIRS, so it must be here for
# collectstatic; afterwards the collected copy in var/static is all the service needs.
COPY --from=assets /build/node_modules ./node_modules
# Settings refuse to start with DEBUG off unless SECRET_KEY and ALLOWED_HOSTS are set: these
# values exist for this one command only and are not kept in the image.
RUN DEBUG=0 \
    SECRET_KEY=collectstatic-only-not-a-secret \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --no-input \
    && rm -rf node_modules \
    && find . -name __pycache__ -prune -exec rm -rf {} +

# --- The runtime image ----------------------------------------------------------------------
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH
# Pango (and HarfBuzz's subsetter) for WeasyPrint's PDFs; Liberation fonts to render them.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 earlyhelp \
    && useradd --system --uid 10001 --gid earlyhelp --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin earlyhelp
COPY --from=python-deps /opt/venv /opt/venv
WORKDIR /app
# Code and collected static files belong to root, so the service cannot change them; only
# MEDIA_ROOT (var/media, a volume in docker-compose.yml) is writable by the service user.
COPY --from=source /app /app
RUN python -m compileall -q /app \
    && mkdir -p /app/var/media \
    && chown earlyhelp:earlyhelp /app/var/media
USER earlyhelp
EXPOSE 8000
CMD ["gunicorn", "earlyhelp.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
