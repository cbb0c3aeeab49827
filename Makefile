# Two commands for a new user: `make demo` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
TEST_WORKERS ?= auto
HOST ?= 127.0.0.1
PG_URL := postgres://postgres@127.0.0.1:5432/dmc_engine
# The one rule for "PostgreSQL when it answers" (make test, make bench): a shell snippet run at the start of
# a recipe line; it exports DATABASE_URL=$(PG_URL) unless DATABASE_URL is already set.
USE_LOCAL_POSTGRES = if [ -z "$$DATABASE_URL" ] && $(PY) -c 'import socket; socket.create_connection(("127.0.0.1", 5432), 1)' 2>/dev/null; then \
		echo "make $@: using PostgreSQL at 127.0.0.1:5432"; export DATABASE_URL=$(PG_URL); \
	fi
# The benches measure PostgreSQL (row locks, plans, a gunicorn on the same database): refuse anything else.
NEED_POSTGRES = case "$$DATABASE_URL" in postgres*) ;; *) echo "make $@ needs PostgreSQL: start it at 127.0.0.1:5432 \
	(user postgres, trust authentication) or set DATABASE_URL=postgres://user@host:port/name" >&2; exit 1;; esac

.PHONY: demo test lint format worker bench bench-region bench-lighthouse install migrate serve clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

## make demo: install, migrate an SQLite file, load the demo destination, serve on $(HOST):$(PORT)
## (load_demo and the server both get SITE_URL=http://$(HOST):$(PORT): the links in emails, vouchers and pages)
## The server runs with DEBUG off (DEBUG=true make demo for debug pages): static files collected, hashed and
## compressed, served by whitenoise with production's cache headers, so the demo is as fast as production.
demo: install staticfiles/staticfiles.json
	DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/db.sqlite3} $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/db.sqlite3} SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py load_demo
	DEBUG=$${DEBUG:-false} DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/db.sqlite3} SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py runserver --noreload $(HOST):$(PORT)

# collectstatic (hashed names, .gz and .br: a few minutes) only when a static file or the installed libraries changed.
STATIC_SOURCES := $(shell find static marketplace cms operators packages certifications -path '*/static/*' -type f 2>/dev/null)
staticfiles/staticfiles.json: $(STAMP) $(STATIC_SOURCES)
	DEBUG=false $(PY) manage.py collectstatic --noinput -v0
	@touch $@

## make test: the whole suite, one pytest-xdist worker per core (TEST_WORKERS=1 for one process). PostgreSQL at 127.0.0.1:5432 is used when it answers (or DATABASE_URL).
test: install
	@$(USE_LOCAL_POSTGRES); \
	if [ -z "$$REDIS_URL" ] && $(PY) -c 'import socket; socket.create_connection(("127.0.0.1", 6379), 1)' 2>/dev/null; then \
		export TEST_REDIS_URL=redis://127.0.0.1:6379/15; \
	fi; \
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## make worker: a Celery worker with beat against REDIS_URL (the shape docker-compose runs as two services)
worker: install
	@test -n "$$REDIS_URL" || (echo "Set REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0 make worker" && exit 1)
	$(VENV)/bin/celery -A marketplace worker --beat --loglevel=info --schedule=/tmp/dmc-celerybeat-schedule

## make bench: every bench in bench/ but the region-scale and Lighthouse ones, on PostgreSQL (as make test picks it)
bench: install
	@$(USE_LOCAL_POSTGRES); $(NEED_POSTGRES); \
	for script in $(filter-out bench/bench_region.py bench/bench_lighthouse.py,$(wildcard bench/bench_*.py)); do \
		echo "== $$script"; $(PY) $$script || exit 1; \
	done

## make bench-region: 7.3 million slots against 50,000, side by side (minutes; BENCH_REGION_ARGS="--scale 0.05")
bench-region: install
	@$(USE_LOCAL_POSTGRES); $(NEED_POSTGRES); $(PY) bench/bench_region.py $(BENCH_REGION_ARGS)

## make bench-lighthouse: Lighthouse 12 (npm, Debian's chromium) on the production shape served by gunicorn
## (about half an hour; BENCH_LIGHTHOUSE_ARGS="--runs 1 --pages home --presets mobile" for a quick look)
bench-lighthouse: install
	$(PY) bench/bench_lighthouse.py $(BENCH_LIGHTHOUSE_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
