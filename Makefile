# Maeul Evaluator — the two commands a newcomer needs are `make run` and `make test`.
# Everything else (venv, packages, system libraries for the tests) is set up by these targets.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# test processes in parallel (pytest-xdist): one per CPU, at most 4 (each starts its own PostgreSQL
# server and builds its own demo); `make test PYTEST_WORKERS=0` runs in one process
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); if [ $$n -gt 4 ]; then n=4; fi; if [ $$n -lt 2 ]; then n=0; fi; echo $$n)
XDIST := -n $(PYTEST_WORKERS)

.PHONY: run test test-encrypted test-deps test-core test-fast venv bench bench-quick installer installer-test reliability translations clean help

help:
	@echo "make run    - set everything up and open the app on the demo database"
	@echo "make test   - set everything up and run the whole test suite (incl. PostgreSQL)"
	@echo "make bench  - benchmark suite (ratios against bare libraries)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# the stamps re-run pip whenever pyproject.toml changes
$(VENV)/.stamp-run: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e ".[gui,encryption,build]"
	@touch $@

$(VENV)/.stamp-test: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e ".[test]"
	@touch $@

venv: $(VENV)/.stamp-test

translations: $(VENV)/.stamp-run
	$(PY) -m ui.i18n_build
	$(PY) -m evaluator.messages.build

run: $(VENV)/.stamp-run translations
	@bash installer/linux-runtime-deps.sh
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ] && [ "$$(uname)" = "Linux" ] && [ -z "$${QT_QPA_PLATFORM:-}" ]; then \
	  echo "No display found (DISPLAY/WAYLAND_DISPLAY unset): run 'make run' in a desktop session, or under xvfb-run."; exit 1; fi
	$(BIN)/evaluator-gui --demo

# system tools the tests use (PostgreSQL server, pdftoppm, fonts for Qt); installed when missing and root
test-deps:
	@bash tests/support/system-deps.sh

# the core tests run with PySide6 made unimportable (the core must never need Qt); then the GUI tests
test: $(VENV)/.stamp-test test-deps translations
	$(BIN)/lint-imports
	EVALUATOR_BLOCK_QT=1 $(PY) -m pytest -q $(XDIST) -p no:cacheprovider -p no:pytest-qt tests/core tests/reliability
	EVALUATOR_TEST_ENCRYPTED=1 EVALUATOR_BLOCK_QT=1 $(PY) -m pytest -q $(XDIST) -p no:cacheprovider -p no:pytest-qt \
	  tests/core/test_store.py tests/core/test_kit.py tests/core/test_packages_roundtrip.py
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q $(XDIST) -p no:cacheprovider tests/ui

# the whole core suite again with every SQLite database it creates encrypted (SQLCipher); `make test`
# runs a part of it (the store, kits and the merge round trip)
test-encrypted: $(VENV)/.stamp-test test-deps
	EVALUATOR_TEST_ENCRYPTED=1 EVALUATOR_BLOCK_QT=1 $(PY) -m pytest -q $(XDIST) -p no:cacheprovider -p no:pytest-qt tests/core

test-fast: $(VENV)/.stamp-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -x -m "not slow"

bench: $(VENV)/.stamp-test
	$(PY) -m benchmarks --scale full

bench-quick: $(VENV)/.stamp-test
	$(PY) -m benchmarks --scale quick

clean:
	rm -rf build dist *.egg-info .pytest_cache

# --- installer (docs/install.md): PyInstaller one-folder bundle + Linux tarball ------------------
# PyInstaller is a build tool only: installed into the venv here, not a dependency of the app.
$(VENV)/.stamp-installer: installer/requirements.lock $(VENV)/.stamp-run
	$(PY) -m pip install -q --require-hashes -r installer/requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	@touch $@

installer: $(VENV)/.stamp-installer translations
	@bash installer/linux-runtime-deps.sh
	$(PY) installer/build.py

# smoke test of the built bundle (not the source); slow, so not part of `make test`
installer-test: installer $(VENV)/.stamp-test
	$(PY) installer/smoke_test.py

# --- reliability and security suite (docs/reliability.md) ----------------------------------------
# `make test` runs tests/reliability with small trial counts; this runs the full counts and prints
# the figures table kept in docs/reliability.md (build/reliability.jsonl holds the raw figures).
reliability: $(VENV)/.stamp-test test-deps
	@mkdir -p build && rm -f build/reliability.jsonl
	EVALUATOR_BLOCK_QT=1 EVALUATOR_RELIABILITY_TRIALS=full EVALUATOR_RELIABILITY_REPORT=$(CURDIR)/build/reliability.jsonl \
	  $(PY) -m pytest -q -p no:cacheprovider -p no:pytest-qt -rxs tests/reliability
	$(PY) -m tests.reliability.report build/reliability.jsonl
