# Concord's two commands for a fresh machine:  make demo   (run it)   and   make test   (test it).
# Everything they need is installed by the targets below; nothing is installed by hand.

SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
RUN := $(UV) run --frozen
HOST ?= 127.0.0.1
PORT ?= 8000

# Values for running on a laptop over plain HTTP; production sets its own (see .env.example).
# The encryption keys below are fixed, public demo keys: NOT for production, where data would be readable.
LOCAL_ENV := CONCORD_SECRET_KEY=$${CONCORD_SECRET_KEY:-local-demo-secret-key-do-not-use-in-production} \
	CONCORD_FIELD_ENCRYPTION_KEYS=$${CONCORD_FIELD_ENCRYPTION_KEYS:-demo-only-field-key-NOT-for-production-0000=} \
	CONCORD_BLIND_INDEX_KEY=$${CONCORD_BLIND_INDEX_KEY:-demo-only-blind-index-key-NOT-for-production} \
	CONCORD_SECURE_SSL_REDIRECT=false CONCORD_SECURE_COOKIES=false CONCORD_HSTS_SECONDS=0

.PHONY: demo test check sync uv browser serve vendor messages bench bench-cases clean demo-code demo-token

uv:
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv

sync: uv
	@$(UV) sync --frozen --quiet

## make demo: migrate the SQLite database, load the demo network, serve on http://$(HOST):$(PORT)
demo: sync
	@mkdir -p var
	@$(LOCAL_ENV) $(RUN) python manage.py migrate --noinput -v0
	@$(LOCAL_ENV) $(RUN) python manage.py seed_demo
	@$(LOCAL_ENV) $(RUN) python manage.py collectstatic --noinput -v0
	@echo "Concord is at http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	@$(LOCAL_ENV) $(RUN) gunicorn concord.config.wsgi --bind $(HOST):$(PORT) --worker-class gthread --workers 2 --threads 4 --access-logfile -

## make demo-code EMAIL=...: the current two-factor code of a demo account (demo accounts only)
demo-code: sync
	@$(LOCAL_ENV) $(RUN) python manage.py demo_code "$(EMAIL)"

## make demo-token EMAIL=...: an API token for a demo account (demo accounts only)
demo-token: sync
	@$(LOCAL_ENV) $(RUN) python manage.py api_token "$(EMAIL)"

## make serve: the same server without reloading the demo data
serve: sync
	@$(LOCAL_ENV) $(RUN) python manage.py migrate --noinput -v0
	@$(LOCAL_ENV) $(RUN) python manage.py collectstatic --noinput -v0
	@$(LOCAL_ENV) $(RUN) gunicorn concord.config.wsgi --bind $(HOST):$(PORT) --worker-class gthread --workers 2 --threads 4

browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests..."; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# TEST_ON=all: SQLite, then the database in DATABASE_URL when set.  TEST_ON=url: only DATABASE_URL.
TEST_ON ?= all
PYTEST_ARGS ?=
## make test: the whole suite on SQLite, and on PostgreSQL too when DATABASE_URL points at one
test: sync browser
	@if [ "$(TEST_ON)" != url ]; then \
		echo "== test suite on SQLite"; \
		env -u DATABASE_URL $(RUN) pytest -n 2 $(PYTEST_ARGS) || exit $$?; \
	fi; \
	if [ -n "$$DATABASE_URL" ]; then \
		echo "== test suite on $${DATABASE_URL%%://*}"; \
		$(RUN) pytest -n 2 $(PYTEST_ARGS) || exit $$?; \
	elif [ "$(TEST_ON)" = url ]; then echo "TEST_ON=url needs DATABASE_URL" >&2; exit 2; fi

## make check: lint, format, types, migrations, deployment settings
check: sync
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(LOCAL_ENV) $(RUN) mypy concord
	$(LOCAL_ENV) $(RUN) python manage.py makemigrations --check --dry-run
	CONCORD_SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc A-Za-z0-9) \
		CONCORD_FIELD_ENCRYPTION_KEYS=$$(head -c 32 /dev/urandom | base64 | tr '+/' '-_') \
		CONCORD_BLIND_INDEX_KEY=$$(head -c 48 /dev/urandom | base64 | tr -dc A-Za-z0-9) \
		$(RUN) python manage.py check --deploy --fail-level WARNING

## make messages: refresh the translation catalogues (needs GNU gettext) and compile them
messages: sync
	cd concord && $(LOCAL_ENV) $(RUN) django-admin makemessages -l sq -l sr_Latn -l mk --ignore 'tests/*' --ignore '*_tests/*' --no-obsolete
	# Montenegrin starts as a copy of Serbian (Latin) until its own translators take it over.
	cd concord/locale && { sed -n '1,2p' cnr/LC_MESSAGES/django.po; sed -e 's/^"Language: sr_Latn\\n"/"Language: cnr\\n"/' sr_Latn/LC_MESSAGES/django.po; } > cnr.tmp && mv cnr.tmp cnr/LC_MESSAGES/django.po
	cd concord && $(LOCAL_ENV) $(RUN) django-admin compilemessages

## make vendor: refresh concord/static/vendor/ from the npm packages pinned in package.json
vendor:
	rm -rf var/vendor && mkdir -p var/vendor && cd var/vendor && npm pack bootstrap@$$(node -p "require('../../package.json').dependencies.bootstrap") --silent && tar xzf bootstrap-*.tgz
	cp var/vendor/package/dist/css/bootstrap.min.css* var/vendor/package/dist/js/bootstrap.bundle.min.js* var/vendor/package/LICENSE concord/static/vendor/bootstrap/

bench: sync
	$(LOCAL_ENV) $(RUN) python bench/page_weight.py

# BENCH_ARGS: e.g. --reuse-database, --cases 10000, --list-url /cases/ --case-url /cases/<code>/ (bench/README.md)
BENCH_ARGS ?=
## make bench-cases: case list and case page latency at 20 connections on PostgreSQL, beside a bare view
bench-cases: sync
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing Debian's wrk for the load test..."; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(RUN) python bench/cases_load.py $(BENCH_ARGS)

clean:
	rm -rf var .venv
