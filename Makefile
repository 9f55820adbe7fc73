# gxbg — run `make help` for the targets.  Two commands matter:
#   make demo   installs into .venv and runs the demo harvest (SQLite, bundled portals, loopback only)
#   make test   installs into .venv and runs every check: ruff, import-linter, mypy, pytest
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: help install demo test check lint pytest pytest-quick test-ops fuzz bench fmt lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

install: $(VENV)/.installed ## create .venv with the pinned dependencies and gxbg (editable)

$(VENV)/.installed: requirements/main.txt requirements/dev.txt pyproject.toml Makefile
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install -q --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install -q --python $(PY) -r requirements/main.txt -r requirements/dev.txt
	$(BIN)/uv pip install -q --python $(PY) --no-deps -e .
	@# bytecode now: uv writes none, and where PYTHONDONTWRITEBYTECODE is set Python never caches it, so
	@# every command would compile Prefect, SQLAlchemy … from source (gxbg harvest: ~2x the start-up CPU)
	@$(PY) -m compileall -q -j 0 $(VENV)/lib gxbg cli flows tasks > /dev/null
	@touch $@

demo: install ## run the demo harvest on the bundled simulated portals (data in ./data)
	$(BIN)/gxbg demo

check: install ## static checks: ruff, import-linter, mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

pytest: install ## every test, including the ops tests that start real Prefect servers and workers
	GXBG_TEST_OPS=1 $(BIN)/pytest

pytest-quick: install ## every test but the ops tests (a few minutes less)
	$(BIN)/pytest

test: check pytest ## every check and every test (what CI runs)

test-ops: install ## only the ops tests: real Prefect servers, work pool, two workers, alerts
	GXBG_TEST_OPS=1 $(BIN)/pytest -m ops tests/ops

FUZZ_N ?= 20000
fuzz: install ## property tests with fresh examples, then the mutation fuzzer (FUZZ_N inputs, a fresh seed)
	GXBG_HYPOTHESIS=explore $(BIN)/pytest -q -p no:cacheprovider tests/extract/test_properties.py \
		tests/extract/test_fast_paths.py tests/extract/test_htmlgrid.py tests/clean/test_clean_units.py \
		tests/clean/test_attachments.py
	$(PY) -m tests.fuzz --n $(FUZZ_N) --save data/fuzz-failures

bench: install ## run every benchmark script and print the figures
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

fmt: install ## format and autofix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lock: ## recompile requirements/*.txt from requirements/*.in
	$(BIN)/uv pip compile -q --python-version 3.11 requirements/main.in -o requirements/main.txt
	$(BIN)/uv pip compile -q --python-version 3.11 requirements/dev.in -o requirements/dev.txt

clean: ## remove the venv and local data
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
