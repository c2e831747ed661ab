# Performance benchmark of /v1/analyze against the naive way (bench/service_bench.py).
# BENCH_ARGS passes options through, e.g. `make bench BENCH_ARGS="--duration 5 --engines fake"`.
BENCH_ARGS ?=
BENCH_DATA ?= $(SHARED)/data/frank/validation.jsonl

.PHONY: bench bench-levers bench-profile bench-flops

bench: $(STAMP) ## service throughput/latency/RSS at concurrency 1/4/8/16 vs the naive baseline -> out/bench.json
	$(PY) -m bench.service_bench --data $(BENCH_DATA) $(BENCH_ARGS)

bench-levers: $(STAMP) ## server-level levers side by side (batch size/wait, threads, workers) -> out/bench-levers.json
	$(PY) -m bench.service_bench --matrix --data $(BENCH_DATA) $(BENCH_ARGS)

bench-profile: $(STAMP) ## encoder-internal levers and cProfile/torch profile of the engines -> out/bench-profile.json
	$(PY) -m bench.service_bench --profile --data $(BENCH_DATA) $(BENCH_ARGS)

bench-flops: $(STAMP) ## encoder FLOPs per article and this machine's GEMM ceiling
	$(PY) -m bench.flops --data $(BENCH_DATA)
