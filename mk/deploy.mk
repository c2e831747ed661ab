# Container image and Helm chart: build, lint, render, validate, and run them on this host.
# Included by the main Makefile. Everything here uses its own DEPLOY_* variables and tools venv.
#
#   make chart-test      lint --strict, render (defaults + helm/.../ci/*-values.yaml), validate
#   make deploy-lint     hadolint on the Dockerfile, checkov on the Dockerfile and rendered chart
#   make image           build the image with podman (stand-in base image built if missing)
#   make container-test  run the image read-only and through `podman kube play`, check it serves

DEPLOY_PYTHON ?= python3
DEPLOY_TOOLS_VENV := .venv-tools
DEPLOY_TOOLS_PY := $(DEPLOY_TOOLS_VENV)/bin/python
DEPLOY_TOOLS_STAMP := $(DEPLOY_TOOLS_VENV)/.chart-tools
DEPLOY_SCAN_STAMP := $(DEPLOY_TOOLS_VENV)/.scan-tools
DEPLOY_CHART := helm/newsroom-analyzer
DEPLOY_OUT := build/deploy
# Oldest Kubernetes the chart is validated for, and the newest schema the validator knows.
DEPLOY_KUBE_VERSIONS ?= 1.30.0 1.37.0

DEPLOY_IMAGE ?= localhost/newsroom-analyzer:dev
# Podman keeps its storage in the work tree (.podman/ is git-ignored) and reads the engine settings
# this host needs from deploy/containers.conf. Paths must be absolute: podman records them.
DEPLOY_PODMAN_DIR := $(CURDIR)/.podman
DEPLOY_CONTAINERS_CONF := $(CURDIR)/deploy/containers.conf
DEPLOY_PODMAN := podman --root $(DEPLOY_PODMAN_DIR)/root --runroot $(DEPLOY_PODMAN_DIR)/run
# 1: build a local python:3.11-slim stand-in with debootstrap and never pull (hosts without a
# registry); 0: pull the real base image.
DEPLOY_BASE_STANDIN ?= 1
DEPLOY_ROOTFS := $(CURDIR)/.rootfs/python-3.11-slim
# A local folder holding the torch CPU wheel (pip's find-links here). When set it becomes the
# `wheels` build context and the PyTorch index is not consulted; empty: the Dockerfile's default.
DEPLOY_WHEELS ?= $(shell pip config get global.find-links 2>/dev/null | cut -d' ' -f1)
# An abstractive model directory (config.json, weights, tokenizer) to bake into the image.
DEPLOY_ABSTRACTIVE_DIR ?=
DEPLOY_BUILD_ARGS ?=
# Extra KEY=VALUE settings for container-test (e.g. ANALYZER_ENGINES=fake: packaging only).
DEPLOY_TEST_ENV ?=

DEPLOY_ENV = CONTAINERS_CONF='$(DEPLOY_CONTAINERS_CONF)' DEPLOY_PODMAN='$(DEPLOY_PODMAN)' DEPLOY_IMAGE='$(DEPLOY_IMAGE)' \
	DEPLOY_BASE_STANDIN='$(DEPLOY_BASE_STANDIN)' DEPLOY_ROOTFS='$(DEPLOY_ROOTFS)' \
	DEPLOY_ABSTRACTIVE_DIR='$(DEPLOY_ABSTRACTIVE_DIR)' DEPLOY_BUILD_ARGS='$(DEPLOY_BUILD_ARGS)' \
	DEPLOY_TEST_ENV='$(DEPLOY_TEST_ENV)' DEPLOY_TOOLS_PY='$(DEPLOY_TOOLS_PY)' DEPLOY_CHART='$(DEPLOY_CHART)' DEPLOY_OUT='$(DEPLOY_OUT)' \
	$(if $(DEPLOY_WHEELS),DEPLOY_WHEELS='$(DEPLOY_WHEELS)' DEPLOY_TORCH_INDEX_URL=)

.PHONY: chart-test deploy-lint deploy-tools image image-rebuild container-test deploy-clean

# The stamp depends on the lock (dependency group `chart`): re-locking reinstalls. A venv made by
# another Python or half-installed is recreated rather than patched.
$(DEPLOY_TOOLS_STAMP): locks/chart.txt
	@$(DEPLOY_TOOLS_PY) -c 'import sys; assert sys.version_info >= (3, 10)' 2>/dev/null \
		|| { rm -rf $(DEPLOY_TOOLS_VENV) && $(DEPLOY_PYTHON) -m venv $(DEPLOY_TOOLS_VENV); }
	$(DEPLOY_TOOLS_PY) -m pip install -q --disable-pip-version-check --no-deps --require-hashes \
		-r locks/chart.txt
	@touch $@

$(DEPLOY_SCAN_STAMP): deploy/scan-requirements.txt $(DEPLOY_TOOLS_STAMP)
	$(DEPLOY_TOOLS_PY) -m pip install -q --disable-pip-version-check -r deploy/scan-requirements.txt
	@touch $@

deploy-tools: $(DEPLOY_TOOLS_STAMP) ## install the locked chart tools into .venv-tools

chart-test: $(DEPLOY_TOOLS_STAMP) ## lint, render and validate the Helm chart offline (fast; CI)
	$(DEPLOY_TOOLS_PY) deploy/chart_test.py check --out $(DEPLOY_OUT)/chart \
		$(foreach v,$(DEPLOY_KUBE_VERSIONS),--kube-version $(v))

deploy-lint: chart-test $(DEPLOY_SCAN_STAMP) ## hadolint and checkov on the Dockerfile and the rendered chart
	$(DEPLOY_TOOLS_VENV)/bin/hadolint --config deploy/hadolint.yaml Dockerfile
	$(DEPLOY_TOOLS_VENV)/bin/checkov --quiet --compact --config-file deploy/checkov.yaml \
		--framework dockerfile --file Dockerfile
	$(DEPLOY_TOOLS_VENV)/bin/checkov --quiet --compact --config-file deploy/checkov.yaml \
		--framework kubernetes --directory $(DEPLOY_OUT)/chart

image: ## build the service image with podman (tag: DEPLOY_IMAGE)
	$(DEPLOY_ENV) deploy/build_image.sh

image-rebuild: ## build the image from scratch (no layer cache)
	$(MAKE) image DEPLOY_BUILD_ARGS='--no-cache $(DEPLOY_BUILD_ARGS)'

container-test: $(DEPLOY_TOOLS_STAMP) ## run the image (read-only, no caps) and the chart's Deployment; check it serves
	$(DEPLOY_ENV) deploy/container_test.sh

deploy-clean: ## remove podman storage, the base stand-in's root filesystem and rendered manifests
	-CONTAINERS_CONF=$(DEPLOY_CONTAINERS_CONF) $(DEPLOY_PODMAN) system reset --force
	rm -rf $(DEPLOY_PODMAN_DIR) $(CURDIR)/.rootfs $(DEPLOY_OUT)
