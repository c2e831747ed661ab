# Reliability: bad input and fuzzing, load at 4x capacity, a 10-minute soak, SIGTERM under load,
# model faults, deadlines, auth, log leaks and pins. Included by the main Makefile.
#
#   make reliability         the full run (about 20 minutes), table on stdout, out/reliability.json
#   make reliability-quick   the same checks, shorter (about 4 minutes)
#   make reliability-test    only the fast pytest subset (tests/reliability, a minute or two)

RELIABILITY_STAMP := $(VENV)/.reliability-tools
RELIABILITY_ARGS ?=

$(RELIABILITY_STAMP): reliability/requirements.txt $(STAMP)
	$(PY) -m pip install -q -r reliability/requirements.txt
	@touch $(RELIABILITY_STAMP)

.PHONY: reliability reliability-quick reliability-test

reliability: $(RELIABILITY_STAMP) ## reliability checks, full (~20 min): table + out/reliability.json
	$(PY) -m reliability.run $(RELIABILITY_ARGS)

reliability-quick: $(RELIABILITY_STAMP) ## reliability checks, short mode for CI (~4 min)
	$(PY) -m reliability.run --quick $(RELIABILITY_ARGS)

reliability-test: $(RELIABILITY_STAMP) ## the fast reliability tests only (pytest tests/reliability)
	$(PY) -m pytest -q tests/reliability
