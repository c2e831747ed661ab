# Software bill of materials. Included by the main Makefile.
#
#   make sbom    a CycloneDX JSON SBOM of the runtime lock -> build/sbom/requirements.cdx.json
#                (SBOM_LOCK=locks/image.txt SBOM_OUT=…: the same for another lock)
#
# The generator is cyclonedx-bom (cyclonedx-py), dependency group `sbom` (locks/sbom.txt), in a venv
# of its own. Every locked package is a component with its version, its package URL and the sha256
# of each of its files (under the component's distribution reference), as the lock lists them. The
# output is reproducible: no timestamp or random serial number (SOURCE_DATE_EPOCH sets a time).
# The image carries the SBOM of what it installs (locks/image.txt), written by the Dockerfile.

SBOM_VENV := .venv-sbom
SBOM_STAMP := $(SBOM_VENV)/.installed
SBOM_LOCK ?= requirements.lock
SBOM_OUT ?= build/sbom/requirements.cdx.json

$(SBOM_STAMP): locks/sbom.txt
	@$(SBOM_VENV)/bin/python -c 'import sys; assert sys.version_info >= (3, 10)' 2>/dev/null \
		|| { rm -rf $(SBOM_VENV) && $(PYTHON) -m venv $(SBOM_VENV); }
	$(SBOM_VENV)/bin/python -m pip install -q --disable-pip-version-check --no-deps --require-hashes \
		-r locks/sbom.txt
	@touch $@

.PHONY: sbom sbom-deps

sbom-deps: $(SBOM_STAMP) ## install the locked SBOM generator (cyclonedx-bom) into .venv-sbom

sbom: $(SBOM_STAMP) ## CycloneDX JSON SBOM of requirements.lock (versions, hashes) -> build/sbom/requirements.cdx.json
	@mkdir -p $(dir $(SBOM_OUT))
	PYTHONWARNINGS=ignore $(SBOM_VENV)/bin/cyclonedx-py requirements --pyproject pyproject.toml \
		--output-reproducible --of JSON -o $(SBOM_OUT) $(SBOM_LOCK)
	@echo "sbom: $(SBOM_OUT) ($$(grep -c '^[a-zA-Z0-9].*==' $(SBOM_LOCK)) locked packages)"
