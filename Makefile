# Calendly Console: `make run` starts the app (on the sandbox), `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint pytest bench deps-run deps-test clean

run: deps-run
	$(VENV)/bin/calendly-console

test: deps-test
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory pytest

lint: deps-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

pytest: deps-test
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(PY) -m pytest

bench: deps-test
	$(PY) -m benchmarks

deps-run:
	@bash packaging/linux/system-deps.sh run
	@$(MAKE) --no-print-directory $(RUN_STAMP)

deps-test:
	@bash packaging/linux/system-deps.sh test
	@$(MAKE) --no-print-directory $(DEV_STAMP)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	@touch $@

$(DEV_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@ $(RUN_STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache
