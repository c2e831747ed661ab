# Headless browser for the playground page test (tests/browser). `make browser-deps` installs
# Debian's chromium (apt), when missing, and Playwright from locks/browser.txt (dependency group
# `browser`). Playwright drives the system Chromium; its own browser download is never used.

CHROMIUM ?= /usr/bin/chromium
# The emoji font only makes screenshots legible; the tests pass without it.
BROWSER_APT := chromium fonts-noto-color-emoji
EMOJI_FONT := /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
# Root runs apt-get directly; anyone else goes through sudo.
APT_SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
BROWSER_STAMP := $(VENV)/.installed-browser

$(BROWSER_STAMP): $(STAMP) locks/browser.txt
	$(call PIP_SYNC,$(PY)) -r locks/browser.txt
	@touch $@

.PHONY: browser-deps test-browser

browser-deps: $(BROWSER_STAMP) ## install Chromium and the locked Playwright for the browser tests, when missing
	@if ! test -x $(CHROMIUM) || ! test -f $(EMOJI_FONT); then \
		echo "browser-deps: apt-get install $(BROWSER_APT)"; \
		$(APT_SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(APT_SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_APT) >/dev/null; \
	fi

test-browser: browser-deps $(TEST_STAMP) ## run the browser tests (headless Chromium); screenshots go to ARTIFACTS_DIR
	$(PY) -m pytest -q -m browser tests/browser
