# The summary checker (/v1/verify): its training and its cost.
CHECKER_DATA ?= $(SHARED)/data/faithfulness/frank_validation.jsonl

.PHONY: train-checker bench-verify

train-checker: $(BENCH_STAMP) ## train the summary checker's heads by grouped CV on FRANK (writes models/weights/summary_checker.json)
	OMP_NUM_THREADS=1 $(PY) bench/train_summary_checker.py $(CHECKER_DATA) --cache out/checker-cache --write

bench-verify: $(BENCH_STAMP) ## /v1/verify cost per FRANK summary, and /v1/analyze with and without the checker (same run)
	OMP_NUM_THREADS=1 $(PY) bench/verify_bench.py $(CHECKER_DATA)

.PHONY: bench-verify-batch
bench-verify-batch: $(BENCH_STAMP) ## /v1/verify/batch against the same FRANK summaries sent one by one (same run)
	OMP_NUM_THREADS=1 $(PY) bench/verify_batch_bench.py $(CHECKER_DATA)
