# Two commands for a new user: `make demo` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
HOST ?= 127.0.0.1
PG_URL := postgres://postgres@127.0.0.1:5432/dmc_engine

.PHONY: demo test lint format worker bench install migrate serve clean

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
demo: install
	DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/db.sqlite3} $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/db.sqlite3} SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py load_demo
	DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/db.sqlite3} SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py runserver --noreload $(HOST):$(PORT)

## make test: the whole suite. PostgreSQL at 127.0.0.1:5432 is used when it answers (or DATABASE_URL).
test: install
	@if [ -z "$$DATABASE_URL" ] && $(PY) -c 'import socket; socket.create_connection(("127.0.0.1", 5432), 1)' 2>/dev/null; then \
		echo "make test: using PostgreSQL at 127.0.0.1:5432"; export DATABASE_URL=$(PG_URL); \
	fi; \
	if [ -z "$$REDIS_URL" ] && $(PY) -c 'import socket; socket.create_connection(("127.0.0.1", 6379), 1)' 2>/dev/null; then \
		export TEST_REDIS_URL=redis://127.0.0.1:6379/15; \
	fi; \
	$(PY) -m pytest $(PYTEST_ARGS)

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

bench: install
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
