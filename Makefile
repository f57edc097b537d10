# MisuseWatch: `make run` serves a demo at http://127.0.0.1:5000, `make test` checks everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

# Model weights come from an installed package; never reach for a model hub.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run setup test test-fast lint typecheck browser-deps bench clean

run: setup
	$(BIN)/misuse db upgrade
	$(BIN)/misuse demo load --if-empty
	exec $(BIN)/misuse serve

# Re-installs only when pyproject.toml changes, so a second `make run` starts in seconds.
setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	@# torch first, pinned: the local CPU build. Left to the resolver, the
	@# sentence-transformers dependency would pull a multi-GB CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

# Headless Chromium for the browser tests, from Debian's packages.
browser-deps:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing chromium and chromium-driver"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else \
	    echo "chromium/chromedriver missing: install the Debian packages chromium and chromium-driver"; \
	  fi; \
	fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

# The test processes write the bytecode of the project and of its tests (with pytest's
# rewritten asserts) to __pycache__ (git ignores it), even where the environment turns
# bytecode off (PYTHONDONTWRITEBYTECODE): without it every test process compiles and
# rewrites the same modules again, about 4 s of CPU each, and so does every CLI or Dask
# process a test starts. (Not PYTHONPYCACHEPREFIX: it would also hide the bytecode pip
# wrote for the installed libraries, and a fresh venv would compile them all.)
PYTEST_ENV := PYTHONDONTWRITEBYTECODE=

# Test processes: one per core (pytest-xdist). Each has its own PostgreSQL database,
# Chromium and loopback ports; worksteal evens out the long browser and model tests.
TEST_WORKERS ?= auto

# Unit tests once; every database test on SQLite and on PostgreSQL
# (MISUSE_TEST_POSTGRES_URL, default the local server; a fresh database per run).
# This is what CI runs; the 25 slowest tests are listed at the end.
test: setup browser-deps lint typecheck
	$(PYTEST_ENV) $(BIN)/python -m pytest -p no:cacheprovider -n $(TEST_WORKERS) --dist worksteal --durations=25

# While working: no browser, no embedding model, no fuzzers, SQLite only (aim: under a
# minute). `make test` runs everything.
test-fast: setup
	$(PYTEST_ENV) $(BIN)/python -m pytest -p no:cacheprovider -n $(TEST_WORKERS) --dist worksteal \
	  -m "not browser and not slow and not fuzz" --stores sqlite

bench: setup
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
