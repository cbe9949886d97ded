# Two commands matter: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
# The W3C's Nu HTML Checker, from npm, run by the tests on Java.
VNU_VERSION := 26.9.27
VNU_JAR := .cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar
# Lighthouse 13 needs a newer Node.js than Debian's.
LIGHTHOUSE_VERSION := 12.2.3
LIGHTHOUSE := .cache/lighthouse/node_modules/.bin/lighthouse
# npm, for the HTML checker and Lighthouse: Debian's when the machine has none and we may install it.
ENSURE_NPM = command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
DB ?= sqlite
BACKUP_DIR ?= backups

.PHONY: vnu lighthouse run test test-fast oracle install install-test browser migrate demo superuser lint format check clean bench bench-import bench-search serve backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo
	@echo "  Site:  http://127.0.0.1:$(PORT)/"
	@echo "  Admin: http://127.0.0.1:$(PORT)/admin/  (the demo logins above, or your own: make superuser)"
	@echo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

superuser: migrate
	$(BIN)/python manage.py createsuperuser

# The browser tests drive Debian's Chromium; install it when we may.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
		else \
			echo "Chromium not found at $(CHROMIUM): install Debian's 'chromium' package for the browser tests."; \
		fi; \
	fi

# The HTML checker's jar and the Java that runs it.
vnu: $(VNU_JAR)

$(VNU_JAR):
	@command -v java >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }
	@$(ENSURE_NPM)
	npm install --silent --no-audit --no-fund --prefix .cache/vnu vnu-jar@$(VNU_VERSION)

test: install-test browser vnu
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Everything but the tests marked slow (servers, subprocesses, load, browsers): under a minute.
test-fast: install-test
	$(BIN)/python -m pytest -m "not slow" --numprocesses 2 $(PYTEST_ARGS)

# The archive's sample beside the repo (../shared), rendered by Wiki.js 2.5 and by us, compared page by page.
oracle: install
	bash .ci/oracle

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates */templates

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates */templates

check: install
	$(BIN)/python manage.py check

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# A snapshot of the database, the Wiki.js export and the media files, in a new folder under BACKUP_DIR.
backup: install
	$(BIN)/python manage.py backup $(BACKUP_DIR)

# A snapshot brought back into an empty database: make restore BACKUP=backups/<time>.
restore: install
	@if [ -z "$(BACKUP)" ]; then echo "Name the snapshot: make restore BACKUP=$(BACKUP_DIR)/<time>"; exit 1; fi
	$(BIN)/python manage.py restore $(BACKUP)

# Import of a generated 2,000-page archive, then a re-import of the unchanged tree.
bench-import: install
	$(BIN)/python -m bench.import_bench

# Lighthouse's scores of the public pages, mobile and desktop, served the production way; fails below 95.
lighthouse: install browser $(LIGHTHOUSE)
	$(BIN)/python -m bench.lighthouse

$(LIGHTHOUSE):
	@$(ENSURE_NPM)
	npm install --silent --no-audit --no-fund --prefix .cache/lighthouse lighthouse@$(LIGHTHOUSE_VERSION)

# Search page latency on a generated 2,000-episode archive.
bench-search: install
	$(BIN)/python -m bench.search_bench

# The site as production runs it: DEBUG off, static files collected, gunicorn.
serve: install
	$(BIN)/python manage.py migrate --noinput
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=0 $(BIN)/gunicorn --config gunicorn.conf.py

# Pages served the production way under load (wrk, loopback only). DB=postgres for PostgreSQL with Redis.
bench: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || { echo "Install Debian's wrk package."; exit 1; }
	DB=$(DB) $(BIN)/python -m bench.serve_bench
