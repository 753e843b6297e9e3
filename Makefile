# Two commands matter: `make run` (install and serve on http://localhost:3000)
# and `make test` (install and pass every test). Both start from nothing.
SHELL := /bin/bash
VENV := .venv
BIN := $(abspath $(VENV))/bin
PY := $(BIN)/python
export PATH := $(BIN):$(PATH)
export REFLEX_USE_NPM := 1
export REFLEX_TELEMETRY_ENABLED := false
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install traduzioni run prod demo test test-unit test-e2e test-hosts lint bench bench-hosts screenshots clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	bash scripts/install-browser.sh
	bash scripts/install-services.sh
	touch $@

# The compiled catalogs of the visitor page's languages (serena_app/lingue).
CATALOGHI := $(patsubst %.po,%.mo,$(wildcard serena_app/lingue/locales/*/LC_MESSAGES/messages.po))
%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d serena_app/lingue/locales -D messages --statistics

install: $(VENV)/.installed $(CATALOGHI)

# After changing a visitor string: extract them all again, then translate the new ones.
traduzioni: install
	$(BIN)/pybabel extract -F babel.cfg -k _ -k N_ -k ngettext:1,2 --no-location --omit-header \
		-o serena_app/lingue/locales/messages.pot .
	$(BIN)/pybabel update -i serena_app/lingue/locales/messages.pot \
		-d serena_app/lingue/locales -D messages --no-fuzzy-matching

run: install
	serena prepare
	reflex run --env prod --single-port --frontend-port 3000

# The production topology on this machine: Caddy on http://localhost:8080, several app
# processes, Redis and PostgreSQL (their own under var/, unless REDIS_URL/DATABASE_URL).
prod: install
	serena prod

# The live demo: a throwaway database, every phone on the network gets a private sandbox.
demo: install
	serena demo

lint: install
	ruff check serena_app tests scripts rxconfig.py
	ruff format --check serena_app tests scripts rxconfig.py
	pyright

test: install lint
	pytest

# No browser, no server: under a minute.
test-unit: install
	pytest tests/unit tests/state

# The real app in Chromium, and the attacks over a raw Socket.IO client.
test-e2e: install
	pytest tests/e2e tests/security

# Several machines on this one (network namespaces; needs root): part of `make test` too.
test-hosts: install
	pytest tests/macchine

bench: install
	$(PY) scripts/bench.py --demo
	$(PY) scripts/bench_presenza.py
	$(PY) scripts/bench_leggibilita.py

# The figures of several machines (network namespaces; needs root).
bench-hosts: install
	$(PY) scripts/bench_macchine.py

# The README's pictures, into docs/screenshots/ (look at them before committing them).
screenshots: install
	$(PY) scripts/screenshots.py

clean:
	rm -rf .web .states $(VENV) serena.db*  # var/ (make prod's data) is kept
