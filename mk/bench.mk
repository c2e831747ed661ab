# Performance benchmark of /v1/analyze against the naive way (bench/service_bench.py).
# BENCH_ARGS passes options through, e.g. `make bench BENCH_ARGS="--duration 5 --engines fake"`.
BENCH_ARGS ?=
BENCH_DATA ?= $(SHARED)/data/frank/validation.jsonl

.PHONY: bench-deps bench bench-levers bench-profile bench-flops

# Benchmarks, baselines and training scripts: dependency group `bench`, locked in locks/bench.txt.
BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP) locks/bench.txt
	$(call PIP_SYNC,$(PY)) -r locks/bench.txt
	@touch $@

bench-deps: $(BENCH_STAMP) ## add the benchmark tools (lock group `bench`) to .venv

bench: $(BENCH_STAMP) ## service throughput/latency/RSS at concurrency 1/4/8/16 vs the naive baseline -> out/bench.json
	$(PY) -m bench.service_bench --data $(BENCH_DATA) $(BENCH_ARGS)

bench-levers: $(BENCH_STAMP) ## server-level levers side by side (batch size/wait, threads, workers) -> out/bench-levers.json
	$(PY) -m bench.service_bench --matrix --data $(BENCH_DATA) $(BENCH_ARGS)

bench-profile: $(BENCH_STAMP) ## encoder-internal levers and cProfile/torch profile of the engines -> out/bench-profile.json
	$(PY) -m bench.service_bench --profile --data $(BENCH_DATA) $(BENCH_ARGS)

bench-flops: $(BENCH_STAMP) ## encoder FLOPs per article and this machine's GEMM ceiling
	$(PY) -m bench.flops --data $(BENCH_DATA)

.PHONY: train-quote-confidence quotes-names

# The quote engine's confidence model for exact speaker names (about a minute on one core; the
# engine pass over PolNeAR train is cached in out/), then the exact-name figures on the hand-named
# quotes and the held-out file.
train-quote-confidence: $(BENCH_STAMP) ## retrain models/weights/quote_confidence.json (nested CV figures printed; pin the printed sha256 in models/registry.py)
	@mkdir -p out
	OMP_NUM_THREADS=1 $(PY) bench/train_quote_confidence.py --data $(SHARED)/data/polnear/train.jsonl --cache out/quote_confidence_rows.json

quotes-names: $(STAMP) ## exact speaker names on the hand-named PolNeAR train quotes and the held-out file
	$(PY) bench/quotes_names.py --data $(SHARED)/data/polnear/train.jsonl
	$(PY) bench/quotes_names.py --data $(SHARED)/data/polnear/train.jsonl --names bench/data/polnear_train_names_heldout.jsonl --out-dir out/names-heldout

# The quote-span keep/drop classifier (bench/train_quote_spans.py): the engine's span features over
# PolNeAR train, article-grouped 5-fold CV over five seeded splits (random.Random(0)) for C and the
# threshold, then the refit. About a minute (24 s of CPU) and 0.2 GB on one contended core. It writes SPANS_OUT
# (out/ by default, so the shipped models/weights/quote_spans.json changes only when asked:
# `make train-quote-spans SPANS_OUT=models/weights/quote_spans.json`, then pin the printed sha256
# in models/registry.py).
SPANS_OUT ?= out/quote_spans.json
.PHONY: train-quote-spans
train-quote-spans: $(BENCH_STAMP) ## retrain the quote-span classifier by grouped CV -> $(SPANS_OUT) (sha256 printed)
	@mkdir -p $(dir $(SPANS_OUT))
	OMP_NUM_THREADS=1 $(PY) bench/train_quote_spans.py --data $(SHARED)/data/polnear --out $(SPANS_OUT)

# The content selector (models/weights/content_selector.json): encode the training articles of
# $(SHARED)/data/summaries/train once (cached, resumable; about 0.07 s CPU an article in int8 with
# one thread, so ~20 min of one core for 16,800 articles, ~1 GB of cache), then cross-validate
# and refit (a few minutes and ~2 GB of memory for ~8,000 articles). SELECTOR_CACHE keeps the cache.
SELECTOR_CACHE ?= /tmp/content_selector_cache
.PHONY: train-selector
train-selector: $(BENCH_STAMP) ## encode the summary training articles (cached) and retrain the content selector
	OMP_NUM_THREADS=1 $(PY) bench/selector_data.py --cache $(SELECTOR_CACHE) \
		--sets cnndm_train xsum cnndm_val bbc frank summeval writers cnndm_lc --limit 4500
	OMP_NUM_THREADS=1 $(PY) bench/train_selector.py --cache $(SELECTOR_CACHE) --write

# The context selector (service/engines/summarizer/context_selector.py, not shipped): a 2-layer
# transformer over each article's units, on the cache of train-selector (run that first); 5-fold
# CV and the refit with the reported sets, one torch thread, checkpoints per fold and epoch in
# CONTEXT_CKPT (resumable; ~15 min and ~2.5 GB for 6,200 articles on a contended core).
CONTEXT_CKPT ?= /tmp/context_selector_ckpt
# The probe of #25's measurement question (bench/selector_probe.py): logistic regression on the
# cached vectors, position and features, CV rows by source and file, the sets never trained on,
# and (SELECTOR_LC_CACHE) their lower-cased copies; ~2 min per table set on one thread, ~2 GB.
SELECTOR_LC_CACHE ?= /tmp/content_selector_lc_cache
.PHONY: selector-probe
selector-probe: $(BENCH_STAMP) ## why the selectors miss the bar on cased news: probes on the train-selector cache (run that first)
	OMP_NUM_THREADS=1 $(PY) bench/selector_data.py --sets frank summeval writers --lower --cache $(SELECTOR_LC_CACHE)
	OMP_NUM_THREADS=1 $(PY) bench/selector_probe.py --cache $(SELECTOR_CACHE) --lowered $(SELECTOR_LC_CACHE) \
		--prior 0 0.5 --bonus 0 0.5

# The same probe with selection at a fixed length (bench/selector_fixed_length.py): exactly-k sets
# of at least LEAD-k's words (beam search, or a greedy swap), chosen by CV, then the sets never
# trained on once; ~5 min on one thread after the cache (4 min of it loading), ~4 GB.
.PHONY: selector-fixed-length
selector-fixed-length: $(BENCH_STAMP) ## the probe choosing k sentences at LEAD-k's length (on the train-selector cache)
	OMP_NUM_THREADS=1 $(PY) bench/selector_fixed_length.py --cache $(SELECTOR_CACHE) --prior 0 0.5 1

# Fine-tuning the encoder's top layer for content selection (bench/finetune_selector.py, round eight,
# nothing shipped): the states after the first two layers of every cased CNN/DM story, 1,500
# lower-cased ones and the sets never trained on are cached once (FINETUNE_DIR, resumable shards,
# 1.3 GB, ~5 min of one core), then the third layer and a linear head are trained per fold (3,
# grouped by article), 2 epochs, one thread, a checkpoint every 50 steps (~5 min of one core per
# fold); the fold nets' mean scores the sets never trained on; the same head on the frozen layer
# (--freeze) beside it; then the tables. Needs the cache of train-selector with cnndm_lc in full.
FINETUNE_DIR ?= /tmp/finetune_selector
.PHONY: finetune-selector
finetune-selector: $(BENCH_STAMP) ## fine-tune the encoder's top layer for content selection by CV (on the train-selector cache)
	OMP_NUM_THREADS=1 $(PY) bench/finetune_selector_data.py --cache $(SELECTOR_CACHE) --out $(FINETUNE_DIR) --lc 1500
	OMP_NUM_THREADS=1 $(PY) bench/finetune_selector.py --data $(FINETUNE_DIR) --epochs 2
	OMP_NUM_THREADS=1 $(PY) bench/finetune_selector.py --data $(FINETUNE_DIR) --epochs 2 --freeze
	OMP_NUM_THREADS=1 $(PY) bench/finetune_selector_report.py --data $(FINETUNE_DIR) --epochs 2

.PHONY: train-context-selector
train-context-selector: $(BENCH_STAMP) ## cross-validate the context selector on the train-selector cache (bench/train_context_selector.py --write FILE writes weights)
	OMP_NUM_THREADS=1 $(PY) bench/train_context_selector.py --cache $(SELECTOR_CACHE) --ckpt $(CONTEXT_CKPT) \
		--train-sets cnndm_train cnndm_val cnndm_lc --epochs 8 --eval-epochs 2 4 8 --position 0 0.5 1.0

# The summary ranker trained on the training styles of ../shared/data/summaries/train/ (highlights,
# lower-cased highlights, one sentence, long extractive; 1,500 a style at most), each style weighing
# the same in the loss (bench/train_summary_ranker_styles.py): the reference-length table, nested
# 5-fold CV per style against LEAD-3 and the shipped ranker, then the four evaluation sets scored
# once; then the same with the evaluation sets folded into the CV, against today's recipe on the same
# folds. Encoding ~5,400 articles: ~4 min on one idle thread (cached in resumable shards); each of the
# three runs ~8-13 min on one thread, under 0.8 GB. Writes nothing (`--write` would retrain the
# shipped weights).
RANKER_STYLES_CACHE ?= /tmp/summary_styles_embeddings
.PHONY: summary-ranker-styles
summary-ranker-styles: $(BENCH_STAMP) ## the summary ranker trained across reference styles, styles balanced (CV tables; writes nothing)
	OMP_NUM_THREADS=1 $(PY) bench/summary_styles.py --cache $(RANKER_STYLES_CACHE)
	OMP_NUM_THREADS=1 $(PY) bench/train_summary_ranker_styles.py --cache $(RANKER_STYLES_CACHE)
	OMP_NUM_THREADS=1 $(PY) bench/train_summary_ranker_styles.py --cache $(RANKER_STYLES_CACHE) \
		--temperatures 10 --train-styles highlights lowercase one-sentence
	OMP_NUM_THREADS=1 $(PY) bench/train_summary_ranker_styles.py --cache $(RANKER_STYLES_CACHE) \
		--temperatures 10 --train-styles highlights lowercase one-sentence --cv-with-eval-sets --fold-seeds 13 1
