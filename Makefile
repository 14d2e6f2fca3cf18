# Calendly Console: `make run` starts the app (on the sandbox), `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
PACKAGE_STAMP := $(VENV)/.installed-package

.PHONY: run test lint pytest bench deps-run deps-test clean package bundle deps-package smoke-test-package screenshots

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

# The tests that start QtWebEngine run as their own step (a browser engine per process).
pytest: deps-test
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(PY) -m pytest -m "not webengine"
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(PY) -m pytest -m webengine

bench: deps-test
	$(PY) -m benchmarks

# The README's pictures, docs/screenshots/*.png: each main page offscreen on the sandbox (fixed
# seed, frozen clock), window size, font, DPI, zone and locale fixed (scripts/screenshots.py).
screenshots: deps-run
	$(PY) scripts/screenshots.py --out docs/screenshots

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

# The installers (packaging/README.md): the PyInstaller bundle dist/calendly-console/, and on
# Linux dist/calendly-console_<version>_<arch>.deb and dist/calendly-console-<version>-linux-*.tar.gz.
package: bundle
	bash packaging/linux/build-deb.sh dist/calendly-console

bundle: deps-package
	$(PY) -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/calendly-console.spec

# As root, with a Secret Service running (as .ci/run has it): install the .deb with apt, run the
# installed app's --self-test offscreen, remove the package.
smoke-test-package:
	bash packaging/linux/smoke-test.sh

deps-package:
	@bash packaging/linux/system-deps.sh package
	@$(MAKE) --no-print-directory $(PACKAGE_STAMP)

$(PACKAGE_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[package]'
	@touch $@ $(RUN_STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache
