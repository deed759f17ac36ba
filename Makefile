# Crisis Timeline: `make run` serves the seeded app, `make test` runs the whole suite.
# Both create .venv and install on first use, so a clean clone needs only Python 3.11+.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/crisis_timeline_ci

.PHONY: screenshots run test test-postgres lint format setup install migrate seed serve bench bench-load bench-attack bench-extract bench-exports bench-browser clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py load_seed

setup: seed

run: setup
	@echo ""
	@echo "Crisis Timeline on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "No admin account yet? Create one with: $(PY) manage.py createsuperuser"
	@echo "Give others a role with: $(PY) manage.py assign_role USERNAME Editor|Analyst|Viewer"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production serving: migrate, collect static files (hashed, compressed), then gunicorn
# (gunicorn.conf.py). Needs SECRET_KEY and ALLOWED_HOSTS; WEB_CONCURRENCY sets workers.
serve: export DJANGO_ENV ?= production
serve: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --noinput --verbosity 0
	HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn crisis.wsgi

# 30 s of 50 users against gunicorn on 127.0.0.1; writes the "Load test" section of
# bench/results.md. Not part of `make test`.
bench-load: install
	$(PY) bench/load.py
	$(PY) bench/load.py --fresh --generate 1000

# Every export of every event at 1k/10k/100k events on SQLite: time, time to first byte,
# peak memory, size; writes the "Exports" section of bench/results.md.
bench-exports: install
	$(PY) bench/exports.py --sizes $(BENCH_SIZES)

# The timeline in headless Chromium (first byte, DOMContentLoaded, first paint; first and
# repeat visits) beside TimelineJS3 and vis-timeline drawing the same events (npm, into
# bench/.work); writes the "Browser" section of bench/results.md.
bench-browser: install
	$(PY) bench/browser.py --sizes $(BENCH_SIZES)

# Hostile requests and database faults against gunicorn on 127.0.0.1 (a few minutes);
# writes the "Hostile input and faults" section of bench/results.md.
bench-attack: install
	$(PY) bench/attack.py

test: setup
	$(PY) -m pytest

# The same suite against PostgreSQL (a server on 127.0.0.1:5432, user postgres, trust auth).
test-postgres: install
	DATABASE_URL=$(POSTGRES_URL) $(PY) -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The extraction assistant on the seed article against the hand-reviewed seed file;
# writes the "Extraction assistant" section of bench/results.md.
bench-extract: install
	$(PY) bench/extract.py

# Build 1k/10k/100k-event databases on SQLite and PostgreSQL, and a 1M-event one on
# PostgreSQL only (BENCH_LARGE; about 40 minutes of the run), and time every page.
# Smoke run: make bench BENCH_SIZES=1000 BENCH_LARGE=
BENCH_SIZES ?= 1000,10000,100000
BENCH_DATABASES ?= sqlite,postgresql
BENCH_LARGE ?= 1000000
# Page timings at several sizes on both databases, then the load test.
bench: install
	$(PY) bench/run.py --sizes $(BENCH_SIZES) --databases $(BENCH_DATABASES) --large "$(BENCH_LARGE)"
	$(PY) bench/load.py
	$(PY) bench/load.py --fresh --generate 1000
	$(PY) bench/exports.py --sizes $(BENCH_SIZES)
	$(PY) bench/browser.py --sizes $(BENCH_SIZES) --reuse

# README screenshots of the real page; needs `make run` serving in another terminal.
screenshots: install
	$(PY) docs/screenshots.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
