# Everything a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-requirements

.PHONY: install run dev serve screenshots test lint format migrations-check check-deploy bench load faults

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# Front-end files no Python package ships (Tom Select), fetched from the npm registry with
# their pinned checksums into static/vendor/ (tools/fetch_assets.py; nothing vendored in git).
install: $(STAMP)
	$(PY) tools/fetch_assets.py

# Trying the app: debug off (the app's own French error pages), static files served by WhiteNoise.
run: install
	$(MAKE) --no-print-directory serve DJANGO_DEBUG=0

# Developing it: the same with Django's debug pages and tracebacks.
dev: install
	$(MAKE) --no-print-directory serve DJANGO_DEBUG=1

serve:
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Ouvrez http://127.0.0.1:8000/ (Ctrl+C pour arrêter)."
	@# The task worker (README « Tâches de fond ») beside runserver, stopped with it.
	$(PY) manage.py db_worker --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# The README's screenshots (docs/images/): a browser test on the demo data, one page per role
# at 1366 and 390 px (federation/tests/browser/test_readme_screenshots.py).
screenshots: install
	DOCS_SCREENSHOTS=1 $(PY) -m pytest federation/tests/browser/test_readme_screenshots.py

test: install
	$(PY) -m pytest -n auto --dist loadgroup

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

check-deploy: install
	DJANGO_SETTINGS_MODULE=federation.settings.production DJANGO_SECRET_KEY=check-only-$$(date +%s)-$$(head -c 32 /dev/urandom | base64) \
	DJANGO_ALLOWED_HOSTS=projet.example.org $(PY) manage.py check --deploy --fail-level WARNING

# Performance (README « Performances »): never part of `make test`. Every GET route for each role
# (bench/every_route.py), then the imports, the PDF and gunicorn (bench/run.py). On DATABASE_URL if set,
# else on a throwaway SQLite file under bench-results/; `make load` needs PostgreSQL.
bench: install
	$(PY) bench/every_route.py
	$(PY) bench/run.py

# A week of the three roles (Locust, bench/week.py): make load USERS=100 DURATION=5m
USERS ?= 100
DURATION ?= 5m
load: install
	$(PY) bench/load.py --users $(USERS) --duration $(DURATION)

# Faults (README « Pannes »): Redis stopped, PostgreSQL restarted, the worker killed, a full
# disk, each against gunicorn on 127.0.0.1:8164; needs root (tmpfs, pg_ctlcluster), redis-server.
faults: install
	$(PY) bench/faults.py
