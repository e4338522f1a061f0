# The two commands that matter: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
WEB_ADDR ?= 127.0.0.1:8000
export BASE_URL ?= http://$(WEB_ADDR)

.PHONY: install run test test-fast test-dates lint check bench chaos scale messages clean totp

install: $(STAMP) messages
	@mkdir -p var

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Our Vietnamese catalogues (and the overrides of Wagtail's gaps) compiled to .mo.
messages: $(STAMP)
	$(PY) scripts/compile_messages.py

run: install
	WEB_ADDR=$(WEB_ADDR) scripts/run-dev.sh

# Development: the code a demo account's authenticator shows now (two-step sign-in),
# e.g. `make totp USER=lanhdao.khuvuc`.
totp:
	$(PY) manage.py totp_code "$(USER)"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: install
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py makemigrations --check --dry-run

# The inner loop: SQLite, no browser.
test-fast: install
	$(VENV)/bin/pytest -q -m "not e2e and not postgres"

# The in-process suite (test-fast's, less the tests that start other processes) with
# the clock moved (tests/conftest.py, --clock) to 1 Jan, 28 Feb, 30 Jun and 31 Dec
# 2027 and 29 Feb 2028, near local midnight (scripts/test-dates.sh says why each);
# TEST_DATES="2029-03-01T00:30+07:00 ..." picks other moments.
test-dates: install
	scripts/test-dates.sh $(TEST_DATES)

# Everything CI runs. Tests marked `postgres` (several scheduler processes) run in
# the PostgreSQL pass only; run on SQLite by mistake, they fail, they never skip.
# The two passes run side by side (scripts/test-passes.sh): SQLite with the browser
# journeys and the long walks (`once`); a throwaway PostgreSQL with the tests that
# need it (two schedulers, skip-locked claims, advisory locks), without those.
test: install lint check
	scripts/ensure-chromium.sh
	scripts/test-passes.sh

bench: install
	$(PY) bench/page_render.py
	$(PY) bench/fb_reads.py
	$(PY) bench/dispatch.py
	scripts/with-postgres.sh $(PY) bench/dispatch.py
	$(PY) bench/lateness.py
	$(PY) bench/engagement_sync.py
	scripts/with-postgres.sh $(PY) bench/engagement_sync.py
	$(PY) bench/dashboard.py
	scripts/with-postgres.sh $(PY) bench/dashboard.py
	$(PY) bench/spreadsheets.py
	$(PY) bench/clicks.py
	scripts/with-postgres.sh $(PY) bench/clicks.py
	$(PY) bench/inbox.py
	scripts/with-postgres.sh $(PY) bench/inbox.py
	$(PY) bench/audio_render.py

# The chaos run (bench/chaos.py, bench/README.md): several schedulers, random faults
# and SIGKILLs, feeds compared with the database; under 10 minutes. Options through
# CHAOS_ARGS (e.g. CHAOS_ARGS="--seed 7"); PGPORT=... picks the throwaway cluster's port.
chaos: install
	$(if $(PGPORT),PGPORT=$(PGPORT) )scripts/with-postgres.sh $(PY) bench/chaos.py $(CHAOS_ARGS)

# The scale run (bench/scale.py, bench/README.md): 1,000 channels x 10 posts a day
# for 30 days on PostgreSQL; ~20 minutes on the loaded build machine.
scale: install
	scripts/with-postgres.sh $(PY) bench/scale.py

clean:
	rm -rf $(VENV) var static_collected
