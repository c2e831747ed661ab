# Reliability: bad input and fuzzing, load at 4x capacity, a 10-minute soak, SIGTERM under load,
# model faults, deadlines, auth, log leaks and pins. Included by the main Makefile.
#
#   make reliability         the full run (about 20 minutes), table on stdout, out/reliability.json
#   make reliability-quick   the same checks, shorter (about 4 minutes)
#   make reliability-test    only the fast pytest subset (tests/reliability, a minute or two)
#   make sweep               every article of ../shared/data in 5 forms through /v1/analyze (~50 min)
#   make sweep-fast          the same articles through the engines in-process, quotes only (~1 min)
#   make fuzz-long           the engine property tests with many more examples (a few minutes)

RELIABILITY_STAMP := $(VENV)/.reliability-tools
RELIABILITY_ARGS ?=

$(RELIABILITY_STAMP): reliability/requirements.txt $(STAMP)
	$(PY) -m pip install -q -r reliability/requirements.txt
	@touch $(RELIABILITY_STAMP)

.PHONY: reliability reliability-quick reliability-test sweep sweep-fast fuzz-long

reliability: $(RELIABILITY_STAMP) ## reliability checks, full (~20 min), then fuzz-long and sweep
	$(PY) -m reliability.run $(RELIABILITY_ARGS)
	$(MAKE) --no-print-directory fuzz-long sweep

reliability-quick: $(RELIABILITY_STAMP) ## reliability checks, short mode for CI (~4 min)
	$(PY) -m reliability.run --quick $(RELIABILITY_ARGS)

reliability-test: $(RELIABILITY_STAMP) $(TEST_STAMP) ## the fast reliability tests only (pytest tests/reliability)
	$(PY) -m pytest -q tests/reliability

SWEEP_ARGS ?=

sweep: $(STAMP) ## corpus sweep over HTTP, real model: 0 answers >= 500, exact offsets; out/sweep.json
	$(PY) -m reliability.sweep $(SWEEP_ARGS)

sweep-fast: $(STAMP) ## corpus sweep in-process (no HTTP), quote engine only, for iterating
	$(PY) -m reliability.sweep --mode inproc --parts quotes $(SWEEP_ARGS)

fuzz-long: $(TEST_STAMP) ## the engine property tests with the long hypothesis profile
	ANALYZER_FUZZ_PROFILE=fuzz-long $(PY) -m pytest -q -p no:cacheprovider -m "not model" tests/unit/test_fuzz_quotes.py tests/unit/test_fuzz_text.py tests/unit/test_fuzz_summary.py
