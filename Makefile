# The project's commands. `make serve` and `make test` are the two a new machine needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
SHARED ?= ../shared

.PHONY: help setup serve test test-fast lint typecheck bench reliability eval lock clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort

$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# The lock pins every package (torch 2.13.0 is the CPU build); the project itself installs
	# without resolving anything again.
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	@touch $(STAMP)

setup: $(STAMP) ## create .venv and install the service and its test tools

serve: $(STAMP) ## start the service on $(HOST):$(PORT) with the embedded default model
	ANALYZER_HOST=$(HOST) ANALYZER_PORT=$(PORT) $(PY) -m service serve

test: $(STAMP) ## lint, type-check and run the whole test suite
	$(PY) -m ruff check service models tests bench
	$(PY) -m mypy
	$(PY) -m pytest -q

test-fast: $(STAMP) ## the suite without the tests that need real weights or a browser
	$(PY) -m pytest -q -m "not model and not browser and not container"

lint: $(STAMP) ## ruff and mypy only
	$(PY) -m ruff check service models tests bench
	$(PY) -m ruff format --check service models tests bench
	$(PY) -m mypy

lock: ## regenerate requirements.lock from the current environment
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e ' > requirements.lock

clean: ## remove caches (keeps .venv)
	rm -rf .pytest_cache .mypy_cache .ruff_cache build *.egg-info

-include mk/*.mk
