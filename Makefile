# The two commands: `make run` serves the site, `make test` checks it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Where run and dev serve; with no SITE_URL, absolute links use http://HOST:PORT.
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT
export DJANGO_SETTINGS_MODULE := blog.settings

.PHONY: run dev test lint fmt install install-dev save-env lock audit-deps migrate upgrade audit bench bench-pages bench-search bench-scale bench-import clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs take the exact versions, and files, of the lock files: pip refuses
# any file whose hash the lock does not list. The project itself goes on top
# with no dependencies of its own; `pip check` then fails if pyproject.toml
# asks for something the lock lacks.
LOCK_STALE := "pyproject.toml asks for packages that the lock files do not pin: run make lock"

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@$(BIN)/pip check >/dev/null || { $(BIN)/pip check; echo $(LOCK_STALE); exit 1; }
	@touch $@

$(VENV)/.locked-dev: $(BIN)/python requirements-dev.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.locked-dev pyproject.toml
	$(BIN)/pip install --quiet --no-deps -e .
	@$(BIN)/pip check >/dev/null || { $(BIN)/pip check; echo $(LOCK_STALE); exit 1; }
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The settings given to make (DATABASE_URL=… make run) are kept in .env, which
# every later manage.py command reads.
save-env: install
	$(BIN)/python manage.py save_environment $(SAVE_ENV_ARGS)

migrate: save-env
	$(BIN)/python manage.py migrate --noinput

# After fetching a new release (README, "Upgrading"): its packages, its
# database changes, its static files, and article bodies stored by an older
# renderer. Then restart gunicorn.
upgrade: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py rebuild_bodies --stale

# Demo content goes only into the single-machine default (no DATABASE_URL, not
# DJANGO_PRODUCTION), unless DEMO_CONTENT=1.
run: migrate
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py rebuild_bodies --stale
	$(BIN)/python manage.py load_demo_content
	$(BIN)/python manage.py ensure_admin --url http://$(HOST):$(PORT)/admin/
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/gunicorn --config deploy/gunicorn.conf.py --bind $(HOST):$(PORT)

# gunicorn says where links lead when it starts (deploy/gunicorn.conf.py);
# runserver does not, so this does.
dev: SAVE_ENV_ARGS = --serving $(HOST):$(PORT)
dev: migrate
	$(BIN)/python manage.py rebuild_bodies --stale
	$(BIN)/python manage.py load_demo_content
	$(BIN)/python manage.py ensure_admin --url http://$(HOST):$(PORT)/admin/
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

fmt: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The Nu HTML checker comes from npm; without npm its test says it did not run.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && touch $@; \
	else \
		echo "!!! npm not found: the HTML validity test will not run !!!"; \
	fi

test: lint node_modules/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The lock files, from pyproject.toml, for Python 3.11 on Linux, with the hash
# of every file PyPI has of each pinned release. Pins already there are kept;
# UPGRADE=1 moves every one to the newest release pyproject.toml allows.
# Only PyPI is named in them, whatever index this machine's pip is set to use.
LOCK_ARGS := --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade)
lock: $(VENV)/.locked-dev
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile $(LOCK_ARGS) \
		-o requirements.lock pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile $(LOCK_ARGS) \
		--extra dev -c requirements.lock -o requirements-dev.lock pyproject.toml

# Known vulnerabilities in the locked versions, from OSV's database (which
# holds PyPI's advisories): any one fails the run, and so does an answer
# that does not come (pip-audit then stops with an error).
LOCKS ?= requirements.lock requirements-dev.lock
OSV_URL ?= https://api.osv.dev/v1/query
audit-deps: install-dev
	$(BIN)/pip-audit --strict --progress-spinner off --disable-pip --require-hashes \
		--vulnerability-service osv --osv-url $(OSV_URL) $(addprefix -r ,$(LOCKS))

audit: install-dev
	$(BIN)/python scripts/audit.py

# Feed cost next to an article page: queries and requests a second (< 1 min).
bench: install
	$(BIN)/python scripts/bench_feeds.py

# Reader pages with the page cache on and off: queries, requests a second, p50
# and p99 (about 2 minutes); Wagtail's figures are in docs/benchmarks.md.
bench-pages: install
	$(BIN)/python scripts/bench_pages.py

# Search latency at 1,000 and 50,000 articles in a throwaway PostgreSQL
# database (about 10 minutes); figures go in docs/benchmarks.md.
BENCH_DB ?= bench_search
PG_ARGS ?= -h 127.0.0.1 -U postgres
bench-search: install
	createdb $(PG_ARGS) $(BENCH_DB)
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DB) \
		$(BIN)/python scripts/bench_search.py; \
		status=$$?; dropdb $(PG_ARGS) $(BENCH_DB); exit $$status

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache

# Reader pages at 1,000 and 100,000 articles, page cache off, in a throwaway
# PostgreSQL database (about 20 minutes); figures go in docs/benchmarks.md.
bench-scale: install
	createdb $(PG_ARGS) bench_scale
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_scale \
		$(BIN)/python scripts/bench_scale.py; \
		status=$$?; dropdb $(PG_ARGS) bench_scale; exit $$status

# manage.py import_wordpress on a made-up export of 2,000 posts: time and peak
# memory (about a minute); figures go in docs/benchmarks.md.
bench-import: install
	$(BIN)/python scripts/bench_import.py
