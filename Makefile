# The project's commands. `make serve` and `make test` are the two a new machine needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
SHARED ?= ../shared
# `make serve HOST=… PORT=…` overrides ANALYZER_HOST/ANALYZER_PORT; only values given on the make
# command line are passed on, so the variables from the environment (and $PORT) keep working.
SERVE_ARGS := $(if $(filter command line,$(origin HOST)),--host $(HOST)) \
	$(if $(filter command line,$(origin PORT)),--port $(PORT))

# Where torch's CPU build comes from. The locks pin torch==2.13.0+cpu, which only PyTorch's CPU
# index serves. A host whose pip already finds the wheel in a local folder (pip's find-links, as on
# the project's build machines) uses that folder and never contacts the index.
TORCH_INDEX_URL ?= https://download.pytorch.org/whl/cpu
TORCH_WHEELS ?= $(firstword $(shell $(PYTHON) -m pip config get global.find-links 2>/dev/null))
TORCH_LOCAL := $(if $(TORCH_WHEELS),$(wildcard $(TORCH_WHEELS)/torch-*+cpu-*.whl))
TORCH_SOURCE := $(if $(TORCH_LOCAL),--find-links $(TORCH_WHEELS),--extra-index-url $(TORCH_INDEX_URL))
# Every install is from a lock: exact versions, sha256-checked, nothing resolved again.
PIP_SYNC = $(1) -m pip install -q --disable-pip-version-check --no-deps --require-hashes $(TORCH_SOURCE)

.PHONY: help setup test-deps serve test test-fast lint format eval lock lock-check lock-upgrade clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort | expand -t 22
	@echo
	@echo "serve binds $${ANALYZER_HOST:-127.0.0.1}:$${ANALYZER_PORT:-$${PORT:-8000}} (ANALYZER_HOST/ANALYZER_PORT or HOST=/PORT= override)"
	@echo "torch CPU wheel from: $(if $(TORCH_LOCAL),$(TORCH_LOCAL),$(TORCH_INDEX_URL))"

# A venv made by another Python or half-installed is recreated rather than patched. The project
# itself installs editable without build isolation: setuptools is in the lock.
$(STAMP): pyproject.toml requirements.lock
	@$(PY) -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null \
		|| { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(call PIP_SYNC,$(PY)) -r requirements.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

$(TEST_STAMP): $(STAMP) locks/test.txt
	$(call PIP_SYNC,$(PY)) -r locks/test.txt
	@touch $(TEST_STAMP)

setup: $(STAMP) ## create .venv with the service only (runtime lock)

test-deps: $(TEST_STAMP) ## add the test tools (lock group `test`) to .venv

serve: $(STAMP) ## start the service with the embedded default model (see the last lines of `make help`)
	$(PY) -m service serve $(strip $(SERVE_ARGS))

test: lint ## lint, format check, type-check and the whole test suite
	$(PY) -m pytest -q

test-fast: $(TEST_STAMP) ## the suite without the tests that need real weights, a browser or podman
	$(PY) -m pytest -q -m "not model and not browser and not container"

lint: $(TEST_STAMP) ## ruff, ruff format --check and mypy only
	$(PY) -m ruff check service models tests bench
	$(PY) -m ruff format --check service models tests bench
	$(PY) -m mypy

format: $(TEST_STAMP) ## apply ruff's fixes and formatting
	$(PY) -m ruff check --fix service models tests bench
	$(PY) -m ruff format service models tests bench

# Offline scores on the evaluation data beside the checkout ($(SHARED)), with the shared scorers.
eval: $(TEST_STAMP) ## score quotes (PolNeAR dev) and summaries (FRANK validation) with the shared scorers
	@test -d $(SHARED)/data || { echo "eval: no evaluation data at SHARED=$(SHARED)" >&2; exit 1; }
	@mkdir -p out
	$(PY) bench/quotes_eval.py $(SHARED)/data/polnear/dev.jsonl --out out/quotes_pred.jsonl \
		--scorer $(SHARED)/eval/score_quotes.py
	$(PY) bench/summary_eval.py $(SHARED)/data/frank/validation.jsonl --out out/summary_pred.jsonl

# uv, pinned and hash-checked like everything else, lives in its own venv.
LOCK_VENV := .venv-lock
LOCK_STAMP := $(LOCK_VENV)/.installed
LOCK_ENV = UV=$(LOCK_VENV)/bin/uv TORCH_WHEELS=$(if $(TORCH_LOCAL),$(TORCH_WHEELS))

$(LOCK_STAMP): locks/lock.txt
	@test -x $(LOCK_VENV)/bin/python || $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install -q --disable-pip-version-check --no-deps --require-hashes \
		-r locks/lock.txt
	@touch $@

lock: $(LOCK_STAMP) ## re-lock after editing pyproject.toml (keeps existing pins; resolves what changed)
	$(LOCK_ENV) locks/compile.sh

lock-check: lock ## fail when the committed locks are not what `make lock` writes from pyproject.toml
	@git diff --exit-code --stat -- requirements.lock locks/ \
		|| { echo "lock-check: pyproject.toml changed without 'make lock' (see the diff above)" >&2; exit 1; }

lock-upgrade: $(LOCK_STAMP) ## re-lock every transitive pin to the newest allowed version
	$(LOCK_ENV) UV_ARGS=--upgrade locks/compile.sh

clean: ## remove caches (keeps .venv)
	rm -rf .pytest_cache .mypy_cache .ruff_cache build *.egg-info

-include mk/*.mk
