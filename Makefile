# The two set-up commands are `make run` and `make test`; everything else is optional.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Tests always run on PostgreSQL (the database users run); override DATABASE_URL to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/sli_portal
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# Two test processes (pytest-xdist), one per core; `make test XDIST=` runs in one.
XDIST ?= -n 2

.PHONY: run test lint format install migrate demo worker beat bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found; set PYTHON=...)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_reference_data
	$(PY) manage.py seed_demo

run: demo
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver 127.0.0.1:8000

test: install
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} $(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: install
	$(VENV)/bin/celery -A sli_portal worker -l info

beat: install
	$(VENV)/bin/celery -A sli_portal beat -l info --scheduler django_celery_beat.schedulers:DatabaseScheduler

bench: install
	@command -v wrk >/dev/null || { echo "Installing wrk (the load tool)"; apt-get install -y -q wrk >/dev/null; }
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
