# make run   – the demo on http://127.0.0.1:8000 (SQLite + Celery over the filesystem broker)
# make test  – the whole suite (SQLite and eager Celery; PostgreSQL + Redis when DATABASE_URL
#              and CELERY_BROKER_URL are set)
# make test-fast – the same without browser, worker and slow tests, for while you work
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
MANAGE := $(BIN)/python manage.py
VAR_DIRS := var/broker/out var/broker/processed var/broker/control var/media var/static
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install dirs run test test-fast lint format messages check clean screenshots

help:
	@echo "make run       demo server + Celery worker/beat on http://127.0.0.1:8000"
	@echo "make test      the whole test suite (PYTEST_ARGS='-k ...' to narrow it)"
	@echo "make test-fast without the browser, worker and slow tests (Hypothesis, demo seed)"
	@echo "make lint      ruff check + ruff format --check"
	@echo "make format    ruff format"
	@echo "make messages  compile the translations (.po -> .mo)"
	@echo "make check     Django system checks and missing migrations"
	@echo "make screenshots the README's pictures (docs/screenshots) from the browser tests"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstalled only when pyproject.toml changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[dev]'
	@touch $@

install: $(STAMP)

dirs:
	@mkdir -p $(VAR_DIRS)

run: install dirs
	@scripts/run-dev.sh

test: install dirs
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "note: /usr/bin/chromium is missing - the browser tests will be skipped"; fi
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: install dirs
	$(BIN)/pytest -m "not e2e and not worker and not slow" $(PYTEST_ARGS)

lint: install
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .

# Every locale/ dir of the project and its apps (not the ones inside .venv).
messages: install
	@if find . -path ./$(VENV) -prune -o -name '*.po' -print -quit | grep -q .; then \
		$(MANAGE) compilemessages --ignore=$(VENV) --ignore=var; \
	else echo "No .po files yet: nothing to compile."; fi

check: install dirs
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

clean:
	rm -rf var/broker var/test-media .pytest_cache

# The README's pictures, taken by the browser tests from the demo data.
screenshots: install
	SCREENSHOTS_DIR=docs/screenshots $(BIN)/pytest -q -p no:randomly -m e2e tests/e2e/test_screenshots.py
