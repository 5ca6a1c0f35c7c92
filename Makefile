# Peyvand — set-up, run and test.  Needs only make, python3 (3.11) and apt.
#   make run    virtualenv + project + SQLite + Persian demo data, serves http://127.0.0.1:8000
#   make test   installs what the tests need (Debian packages included) and runs the suite
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null || echo python3)
VENV   := .venv
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The edition a new instance starts with (`make run EDITION=tier1`); an existing instance keeps its own.
EDITION ?= tier5
LINT_DIRS := $(wildcard kernel modules devices tests examples bench)

.PHONY: venv run test lint bench clean

venv: $(STAMP)

# Create the virtualenv once.  Debian's python3.11 has no ensurepip until python3.11-venv
# is installed: if venv fails, install that package and try again.
$(VENV)/bin/pip:
	@if ! $(PYTHON) -m venv $(VENV) >/dev/null 2>&1; then \
	  rm -rf $(VENV); \
	  PYTHON=$(PYTHON) scripts/install-debs.sh venv && \
	  $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "make: could not create $(VENV) with $(PYTHON)" >&2; exit 1; }; \
	fi
	@echo "created $(VENV) with $$($(VENV)/bin/python --version)"

# (Re)install the project only when pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml examples/acme_hello/pyproject.toml | $(VENV)/bin/pip
	$(VENV)/bin/python -m pip install --disable-pip-version-check -q -e '.[test]'
	$(VENV)/bin/python -m pip install --disable-pip-version-check -q -e examples/acme_hello
	@touch $@

run: venv
	@scripts/install-debs.sh runtime
	PEYVAND_EDITION=$(EDITION) $(VENV)/bin/peyvand init --demo
	PEYVAND_EDITION=$(EDITION) $(VENV)/bin/peyvand serve --host $(HOST) --port $(PORT)

test: venv
	@scripts/install-debs.sh test
	@scripts/test.sh $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check $(LINT_DIRS)

bench: venv
	@scripts/install-debs.sh runtime
	@test -f bench/run.py || { echo "make bench: bench/run.py does not exist yet" >&2; exit 1; }
	$(VENV)/bin/python bench/run.py $(BENCH_ARGS)

# Removes the virtualenv and caches; keeps var/ (the database and uploaded files).
clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
	find . -path ./var -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
