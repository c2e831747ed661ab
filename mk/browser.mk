# Headless browser for the playground page test (tests/browser). `make browser-deps` installs
# Debian's chromium (apt) and the pinned Playwright from pyproject's `browser` extra (pip), each
# only when missing. Playwright drives the system Chromium; its own browser download is never used.

CHROMIUM ?= /usr/bin/chromium
# The emoji font only makes screenshots legible; the tests pass without it.
BROWSER_APT := chromium fonts-noto-color-emoji
EMOJI_FONT := /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
# Root runs apt-get directly; anyone else goes through sudo.
APT_SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
# The pins, read from the one-line `browser = [...]` list in pyproject.toml so that they live in
# one place (sed, not Python: on a clean machine the venv does not exist yet when this expands).
BROWSER_PINS := $(shell sed -n 's/^browser = \[\(.*\)\]/\1/p' pyproject.toml | tr -d '",')
# Exit 0 when every NAME==VERSION given is installed at exactly that version.
PINS_PRESENT := import sys; from importlib import metadata as m; \
	have = lambda n: next((d.version for d in m.distributions(name=n)), None); \
	sys.exit(any(have(p.split("==")[0]) != p.split("==")[1] for p in sys.argv[1:]))

.PHONY: browser-deps test-browser

browser-deps: ## install Chromium and the pinned Playwright for the browser tests, when missing
	@test -n "$(BROWSER_PINS)" || { echo "browser-deps: no pins in pyproject's browser list" >&2; exit 1; }
	@test -x $(PY) || $(MAKE) --no-print-directory setup
	@if ! test -x $(CHROMIUM) || ! test -f $(EMOJI_FONT); then \
		echo "browser-deps: apt-get install $(BROWSER_APT)"; \
		$(APT_SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(APT_SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_APT) >/dev/null; \
	fi
	@$(PY) -c '$(PINS_PRESENT)' $(BROWSER_PINS) || { \
		echo "browser-deps: pip install $(BROWSER_PINS)"; \
		$(PY) -m pip install -q $(BROWSER_PINS); }

test-browser: browser-deps ## run the browser tests (headless Chromium); screenshots go to ARTIFACTS_DIR
	$(PY) -m pytest -q -m browser tests/browser
