# The two commands: `make run` serves the site, `make test` checks it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Where run and dev serve; with no SITE_URL, absolute links use http://HOST:PORT.
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT
export DJANGO_SETTINGS_MODULE := blog.settings

.PHONY: run dev test lint fmt install install-dev save-env migrate audit bench bench-pages bench-search bench-scale clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The settings given to make (DATABASE_URL=… make run) are kept in .env, which
# every later manage.py command reads.
save-env: install
	$(BIN)/python manage.py save_environment $(SAVE_ENV_ARGS)

migrate: save-env
	$(BIN)/python manage.py migrate --noinput

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
