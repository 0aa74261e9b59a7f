# Guildhall: `make run` starts the site with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format bench lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	touch $@

install: $(VENV)/.installed ## the virtualenv, from the lock file

lock: $(BIN)/python ## re-resolve requirements.lock from pyproject.toml
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --extra dev -o requirements.lock pyproject.toml

run: install ## migrate, load demo data, start the site (and Celery when a broker is configured)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@broker=$$($(BIN)/python manage.py shell -c "from django.conf import settings; print(settings.CELERY_BROKER_URL)" 2>/dev/null); \
	if [ -n "$$broker" ]; then \
	  echo "Starting a Celery worker and beat on $$broker"; \
	  $(BIN)/celery -A marketplace worker --beat --loglevel=INFO --concurrency=2 --schedule=$(VENV)/celerybeat-schedule & \
	  trap "kill $$! 2>/dev/null" EXIT; \
	else echo "No broker configured: Celery tasks run inside the web process."; fi; \
	echo ""; echo "Guildhall is running at http://$(HOST):$(PORT)/"; echo ""; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The test database: DATABASE_URL when set, else PostgreSQL on 127.0.0.1:5432 when it answers,
# else SQLite (PostgreSQL-only tests are then reported as skipped).
test: install ## the whole suite (what CI runs)
	@url="$${DATABASE_URL:-}"; \
	if [ -z "$$url" ]; then \
	  if $(BIN)/python -c "import psycopg; psycopg.connect('postgresql://postgres@127.0.0.1:5432/postgres', connect_timeout=2).close()" 2>/dev/null; then \
	    url=postgres://postgres@127.0.0.1:5432/guildhall; \
	  else url=sqlite:///$(CURDIR)/var/test.sqlite3; mkdir -p var; fi; \
	fi; \
	echo "Test database: $$url"; \
	DATABASE_URL="$$url" $(BIN)/pytest $(PYTEST_ARGS)

lint: install ## ruff, djlint and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/mypy .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install ## benchmarks on PostgreSQL; results to BENCHMARKS.md
	DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/guildhall_bench}" $(BIN)/python manage.py bench --out BENCHMARKS.md

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .mypy_cache .ruff_cache
