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

.PHONY: run test lint format install migrate demo worker beat bench clean govuk-frontend accessible-autocomplete screenshots

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

# GOV.UK Frontend, vendored (no Node at run time). `make govuk-frontend` refreshes it from the npm
# registry in a temporary folder: Sass compiled with Arial/Helvetica (this is not a GOV.UK
# service, so no GDS Transport font and no crown or crest), plus the JavaScript and the licence.
# Bump GOVUK_FRONTEND_VERSION, run it, and commit static/vendor/govuk-frontend-<version>/.
GOVUK_FRONTEND_VERSION ?= 6.6.0
SASS_VERSION ?= 1.108.2
govuk-frontend:
	@command -v npm >/dev/null || { echo "npm is needed to refresh govuk-frontend (not to run the portal)"; exit 1; }
	set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	dest=static/vendor/govuk-frontend-$(GOVUK_FRONTEND_VERSION); \
	cd "$$tmp" && npm init -y >/dev/null && \
	npm install --no-audit --no-fund --silent govuk-frontend@$(GOVUK_FRONTEND_VERSION) sass@$(SASS_VERSION) && \
	printf '%s\n' '@use "govuk-frontend/dist/govuk" with (' \
	  '  $$govuk-font-family: (arial, helvetica, sans-serif),' \
	  '  $$govuk-include-default-font-face: false,' \
	  '  $$govuk-assets-path: "assets/"' ');' > portal-govuk.scss && \
	npx sass --no-source-map --style=compressed --load-path=node_modules portal-govuk.scss govuk-frontend.min.css && \
	sed -i 's#url("assets/images/govuk-crest.svg")#none#g' govuk-frontend.min.css && \
	cd - >/dev/null && rm -rf static/vendor/govuk-frontend-* && mkdir -p "$$dest" && \
	cp "$$tmp/govuk-frontend.min.css" "$$dest/" && \
	cp "$$tmp/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js" "$$dest/" && \
	cp "$$tmp/node_modules/govuk-frontend/package.json" "$$dest/package.json" && \
	{ echo "govuk-frontend $(GOVUK_FRONTEND_VERSION) (npm), released under the MIT License:"; echo; \
	  echo "The MIT License (MIT)"; echo; \
	  echo "Copyright (c) 2018 Crown Copyright (Government Digital Service)"; echo; \
	  echo "Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the \"Software\"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:"; echo; \
	  echo "The above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software."; echo; \
	  echo "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE."; echo; \
	  echo "From the package's README:"; echo; \
	  sed -n '/^## Licence/,/^## /p' "$$tmp/node_modules/govuk-frontend/README.md" | sed '$$d'; } > "$$dest/LICENCE.txt" && \
	grep -rl 'vendor/govuk-frontend-[0-9.]*/' templates static/js | xargs -r sed -i 's#vendor/govuk-frontend-[0-9.]*/#vendor/govuk-frontend-$(GOVUK_FRONTEND_VERSION)/#g'; \
	echo "govuk-frontend $(GOVUK_FRONTEND_VERSION) vendored in $$dest"

# accessible-autocomplete (GOV.UK's autocomplete, npm), vendored like govuk-frontend: the built
# JavaScript and CSS, its package.json and its MIT licence, at a pinned version. The portal's
# static/js/autocomplete.js enhances the <select>s marked data-autocomplete (choosing an LA or a
# person); without JavaScript the plain <select> works. Bump the version, run it, commit
# static/vendor/accessible-autocomplete-<version>/.
ACCESSIBLE_AUTOCOMPLETE_VERSION ?= 3.0.1
accessible-autocomplete:
	@command -v npm >/dev/null || { echo "npm is needed to refresh accessible-autocomplete (not to run the portal)"; exit 1; }
	set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	dest=static/vendor/accessible-autocomplete-$(ACCESSIBLE_AUTOCOMPLETE_VERSION); \
	(cd "$$tmp" && npm init -y >/dev/null && \
	 npm install --no-audit --no-fund --silent accessible-autocomplete@$(ACCESSIBLE_AUTOCOMPLETE_VERSION)); \
	src="$$tmp/node_modules/accessible-autocomplete"; \
	rm -rf static/vendor/accessible-autocomplete-* && mkdir -p "$$dest" && \
	cp "$$src/dist/accessible-autocomplete.min.js" "$$src/dist/accessible-autocomplete.min.css" "$$src/package.json" "$$dest/" && \
	sed -i '/sourceMappingURL=/d' "$$dest/accessible-autocomplete.min.js" "$$dest/accessible-autocomplete.min.css" && \
	{ echo "accessible-autocomplete $(ACCESSIBLE_AUTOCOMPLETE_VERSION) (npm), released under the MIT License:"; echo; \
	  cat "$$src/LICENSE.txt"; } > "$$dest/LICENCE.txt" && \
	grep -rl 'vendor/accessible-autocomplete-[0-9.]*/' templates static/js | xargs -r sed -i 's#vendor/accessible-autocomplete-[0-9.]*/#vendor/accessible-autocomplete-$(ACCESSIBLE_AUTOCOMPLETE_VERSION)/#g'; \
	echo "accessible-autocomplete $(ACCESSIBLE_AUTOCOMPLETE_VERSION) vendored in $$dest"

# Screenshots of each module's main page at 1280 and 390 px in docs/screenshots/ (README links
# them): the demo in a throwaway SQLite database, served by runserver, photographed by Chromium.
screenshots: install
	$(PY) docs/screenshots/take.py
