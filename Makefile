# CareCase: `make run` serves the portal with demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
PYTEST_WORKERS ?= 2

.PHONY: install run test test-fast e2e lint bench browser migrate seed clean-data stop vendor help

help:
	@echo "make run    - set up everything and serve http://127.0.0.1:8000 with demo data"
	@echo "make test   - install what the tests need and run the whole suite"
	@echo "make lint   - ruff, import-linter and djlint"
	@echo "make bench  - benchmarks (figures in the README)"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python scripts/run.py

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

seed: $(STAMP)
	$(BIN)/python manage.py seed_demo --profile small --seed 1

# Debian's chromium for the browser tests; Playwright's own browser download does not work here.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-liberation >/dev/null; }

test: $(STAMP) browser
	$(BIN)/python scripts/run_tests.py -n $(PYTEST_WORKERS) $(ARGS)

test-fast: $(STAMP)
	$(BIN)/python scripts/run_tests.py -n $(PYTEST_WORKERS) --reuse-db -m "not e2e" $(ARGS)

e2e: $(STAMP) browser
	$(BIN)/python scripts/run_tests.py -n $(PYTEST_WORKERS) -m e2e $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check carecase assessments reviews portal directpayments safeguarding tests scripts benchmarks
	$(BIN)/lint-imports
	$(BIN)/djlint templates --lint

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(ARGS)

vendor:
	bash scripts/vendor-frontend.sh

stop:
	$(BIN)/python -c "from carecase import embedded; embedded.stop_all()"

clean-data:
	$(BIN)/python -c "from carecase import embedded; embedded.wipe()"
