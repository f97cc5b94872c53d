# Relais — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.test-installed
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# `make run HOST=0.0.0.0 PORT=8000` to serve beyond this machine or on another port.
HOST ?= 127.0.0.1
PORT ?= 5000
# The job queue the worker beside `make run` consumes (one place to change it).
JOBS_APP ?= app.worker.huey
# Extra pytest arguments for test-sqlite/test-postgres/test-fast, e.g. PYTEST_ARGS="tests/core -x".
PYTEST_ARGS ?=
# pytest-xdist workers of `make test`'s two passes (2 cores: 9.5 → 8 min on SQLite, 11-14 →
# 9 min on PostgreSQL); on PostgreSQL each worker has its own database (tests/conftest.py).
# TEST_WORKERS=0 runs a pass in one process.
TEST_WORKERS ?= 2
export RELAIS_ENV ?= development

.PHONY: i18n-update run test test-fast test-sqlite test-postgres bench bench-tools lint install install-test browser translations clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml package.json package-lock.json
	$(BIN)/pip install --quiet -e .
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) translations

translations: $(STAMP)
	$(BIN)/pybabel compile --statistics -d app/i18n

run: install
	$(FLASK) db upgrade
	$(FLASK) demo seed --if-empty
	@echo "Relais: http://$(HOST):$(PORT)  (job worker started beside it)"
	@trap 'kill 0' EXIT; \
	  RELAIS_ENV=$(RELAIS_ENV) $(BIN)/huey_consumer $(JOBS_APP) -w 1 -q & \
	  $(FLASK) run --host $(HOST) --port $(PORT)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install-test: $(TEST_STAMP) translations browser

# Browser tests use Debian's Chromium, never a downloaded browser build; PDF tests read
# the rendered documents back with poppler's pdftotext.
browser:
	@missing=""; \
	  [ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	  command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	    else \
	      echo "Missing Debian packages:$$missing (run 'sudo apt-get install$$missing')"; exit 1; \
	    fi; \
	  fi

test: install-test lint test-sqlite test-postgres

test-sqlite: install-test
	$(BIN)/pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Quick feedback while coding, about a minute on 2 cores: SQLite, no browser test, no test
# marked slow (PDF rendering, demo seeding, fuzzing, scaling checks, child processes), spread
# over every core by pytest-xdist. DATABASE_URL emptied: quick feedback is SQLite's. Bytecode
# caches kept even where PYTHONDONTWRITEBYTECODE is set: without them each
# worker recompiles and re-rewrites every module at each run (about 8 s).
test-fast: install-test
	DATABASE_URL= PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -q -n auto -m "not browser and not slow" $(PYTEST_ARGS)

# Uses the server at PG_URL when one answers there; otherwise the script starts a throwaway
# one for the run (installing Debian's postgresql if needed, as root) and removes it after.
test-postgres: install-test
	PYTHON=$(BIN)/python tools/with_postgres.sh '$(PG_URL)' $(BIN)/pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check app tests bench tools
	$(BIN)/lint-imports
	$(BIN)/python -m tools.code_rules app bench tests
	@# No block of six or more lines copied between modules (imports and docstrings aside).
	$(BIN)/pylint --disable=all --enable=duplicate-code --min-similarity-lines=6 \
	  --ignore-imports=yes --ignore-docstrings=yes --ignore-comments=yes --score=no app

# The load benchmark drives the server with Debian's wrk (installed here when root).
bench-tools:
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else \
	    echo "Missing Debian package: wrk (run 'sudo apt-get install wrk')"; exit 1; \
	  fi; }

bench: install-test bench-tools
	$(BIN)/python -m bench.list_page
	DATABASE_URL=$(PG_URL) $(BIN)/python -m bench.list_page
	$(BIN)/python -m bench.load_list
	DATABASE_URL=$(PG_URL) $(BIN)/python -m bench.load_list
	$(BIN)/python -m bench.import
	DATABASE_URL=$(PG_URL) $(BIN)/python -m bench.import
	$(BIN)/python -m bench.import --rows 1000000
	$(BIN)/python -m bench.campaign_report
	DATABASE_URL=$(PG_URL) $(BIN)/python -m bench.campaign_report
	$(BIN)/python -m bench.scoring
	DATABASE_URL=$(PG_URL) $(BIN)/python -m bench.scoring
	$(BIN)/python -m bench.ambassadors
	DATABASE_URL=$(PG_URL) $(BIN)/python -m bench.ambassadors
	$(BIN)/python -m bench.contracts
	DATABASE_URL=$(PG_URL) $(BIN)/python -m bench.contracts

clean:
	rm -rf $(VENV) node_modules

# After changing user-facing text: refresh the catalog, then translate app/i18n/fr/LC_MESSAGES/messages.po.
i18n-update: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -k lazy_ngettext:1,2 -k N_ \
	  --ignore-dirs '.* __pycache__ node_modules' -o app/i18n/messages.pot .
	$(BIN)/pybabel update -i app/i18n/messages.pot -d app/i18n --no-fuzzy-matching --ignore-obsolete
