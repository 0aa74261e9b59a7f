# Guildhall: `make run` starts the site with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
VENV := .venv
BIN := $(VENV)/bin
# The interpreter that builds the virtualenv: pyenv's shim picks 3.13 from .python-version.
PYTHON ?= python
HOST ?= 127.0.0.1
PORT ?= 8000
# `make test` probes this PostgreSQL server when DATABASE_URL is not set.
GUILDHALL_PG_PROBE_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: install run test lint format bench loadtest lock clean messages

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 13) else "Guildhall needs Python 3.13, but $(PYTHON) is " + sys.version.split()[0] + ". Install 3.13 (pyenv install 3.13) or run: make PYTHON=python3.13 ...")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip check  # the lock is complete: nothing is missing
	touch $@

# Translations: the .po catalogues are in git, the .mo files are compiled here (GNU gettext's
# msgfmt does it; Debian: apt install gettext), never committed.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
$(MO_FILES): %.mo: %.po $(VENV)/.installed
	$(BIN)/python manage.py compilemessages --ignore '.venv' --ignore 'node_modules' --verbosity 0
	touch $(MO_FILES)

install: $(VENV)/.installed $(MO_FILES) ## the virtualenv from the lock file (hashes checked), compiled translations

messages: install ## refresh the German catalogues from the code (then translate the new entries)
	$(BIN)/python manage.py makemessages --locale de --domain django --ignore '.venv' --ignore 'staticfiles' --ignore 'var' --no-obsolete --add-location file
	$(BIN)/python manage.py makemessages --locale de --domain djangojs --ignore '.venv' --ignore 'staticfiles' --ignore 'var' --no-obsolete --add-location file

lock: $(BIN)/python ## re-resolve requirements.lock from pyproject.toml
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --extra dev -o requirements.lock pyproject.toml

# Migrate, load the demo data (seed_demo prints the logins), then the development server. When a
# broker is configured, a Celery worker with an embedded beat runs beside it (logs in
# var/celery.log) and is stopped when the server stops (Ctrl-C). Without one, tasks run eagerly.
SETTINGS_SH = $(BIN)/python -c 'from marketplace import settings as s; print(f"broker={s.CELERY_BROKER_URL!r} debug={int(s.DEBUG)}")'
run: install ## migrate, load demo data, start the site (and Celery when a broker is configured)
	@eval "$$($(SETTINGS_SH))"; \
	if [ -n "$$broker" ] && ! $(BIN)/python -c 'import sys, redis; redis.Redis.from_url(sys.argv[1], socket_timeout=2).ping()' "$$broker" 2>/dev/null; then \
	  echo "The Celery broker $$broker does not answer: start Redis, or unset CELERY_BROKER_URL and REDIS_URL." >&2; \
	  exit 1; \
	fi
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@eval "$$($(SETTINGS_SH))"; \
	if [ "$$debug" = 0 ]; then $(BIN)/python manage.py collectstatic --noinput --verbosity 0; fi; \
	if [ -n "$$broker" ]; then \
	  mkdir -p var; \
	  $(BIN)/celery -A marketplace worker --beat --loglevel=INFO --concurrency=2 \
	    >var/celery.log 2>&1 & \
	  celery_pid=$$!; \
	  trap 'kill -TERM $$celery_pid 2>/dev/null || true; wait $$celery_pid 2>/dev/null || true' EXIT; \
	  echo "Celery worker and beat are running on $$broker (logs: var/celery.log)."; \
	else echo "No broker configured: Celery tasks run inside the web process."; fi; \
	echo ""; echo "Guildhall is running at http://$(HOST):$(PORT)/  (Ctrl-C stops it)"; echo ""; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The test database: DATABASE_URL when set, else the PostgreSQL server at GUILDHALL_PG_PROBE_URL
# (database "guildhall") when it answers, else SQLite, with the PostgreSQL-only tests reported as
# skipped. Any pytest failure fails the target, including "no tests collected" (exit code 5).
test: install ## the whole suite (what CI runs); PYTEST_ARGS="..." passes options to pytest
	@url="$${DATABASE_URL:-}"; \
	if [ -z "$$url" ]; then \
	  if $(BIN)/python -c 'import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=2).close()' "$(GUILDHALL_PG_PROBE_URL)" 2>/dev/null; then \
	    url="$$($(BIN)/python -c 'import sys; print(sys.argv[1].rsplit("/", 1)[0] + "/guildhall")' "$(GUILDHALL_PG_PROBE_URL)")"; \
	  else \
	    mkdir -p var; url="sqlite:///$(CURDIR)/var/test.sqlite3"; \
	    echo "PostgreSQL does not answer: testing on SQLite; PostgreSQL-only tests are skipped."; \
	  fi; \
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

# Benchmarks run in a throw-away database created beside DATABASE_URL's; BENCH_ARGS="--app escrow".
# Production settings (DEBUG off, so the collected static files); wrk drives the load when it is
# installed (apt install wrk), else Python clients do.
bench: install ## benchmarks on PostgreSQL; results to BENCHMARKS.md
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=0 DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/guildhall_bench}" $(BIN)/python manage.py bench --out BENCHMARKS.md $(BENCH_ARGS)

# The mixed-load test alone (make bench runs it too, last): Locust against gunicorn, PostgreSQL,
# Redis (REDIS_URL, default redis://127.0.0.1:6379/1, emptied first) and a Celery worker. Its
# section in BENCHMARKS.md is replaced; the others are kept. LOAD_USERS="20,50" LOAD_SECONDS=60.
loadtest: install ## the mixed-load test; its results to BENCHMARKS.md beside the others
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=0 DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/guildhall_bench}" $(BIN)/python manage.py bench --out BENCHMARKS.md --app load $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .mypy_cache .ruff_cache
