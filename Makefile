# Two commands do everything (see README):
#   make run   serve the demo on http://127.0.0.1:8000 (SQLite, tasks run eagerly)
#   make test  install what is missing, start a throwaway PostgreSQL and Redis, run every test
#              on every core (pytest-xdist; PYTEST_ARGS="-n 0 tests/..." for one process)

# The distribution's Python when it is 3.11 or later, else `python3` from the PATH: Debian's
# build ran the same tests on 16% less CPU than a 3.11 built from source by pyenv
# (docs/development.md). Set PYTHON to choose another.
SYSTEM_PYTHON := $(shell /usr/bin/python3 -c 'import sys, ensurepip; print(sys.version_info >= (3, 11))' 2>/dev/null)
PYTHON ?= $(if $(filter True,$(SYSTEM_PYTHON)),/usr/bin/python3,python3)
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := DEBUG=1
PYTEST_ARGS ?=

.PHONY: run test install system-deps migrate seed lint check-migrations clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input

seed: migrate
	$(DEV_ENV) $(BIN)/python manage.py seed_demo

run: seed
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

system-deps:
	scripts/install-system-deps.sh

lint: install
	$(BIN)/ruff check .

check-migrations: install
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

test: install system-deps lint check-migrations
	scripts/with-test-services.sh $(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules var/static
