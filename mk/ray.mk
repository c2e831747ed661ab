# The archive CLI on Ray Data (`newsroom-analyzer analyze ... --ray`). Included by the main Makefile.
#
#   make ray-deps    add the dependency group `ray` (locks/ray.txt) to .venv
#   make test-ray    the tests that start a local Ray cluster (pytest -m ray)
#   make bench-ray   Ray path vs the plain CLI on 100 FRANK/PolNeAR articles, interleaved -> out/ray-bench.json

RAY_STAMP := $(VENV)/.installed-ray
RAY_BENCH_ARGS ?=

$(RAY_STAMP): $(STAMP) locks/ray.txt
	$(call PIP_SYNC,$(PY)) -r locks/ray.txt
	@touch $@

.PHONY: ray-deps test-ray bench-ray

ray-deps: $(RAY_STAMP) ## add Ray Data (lock group `ray`) to .venv for `analyze --ray`

test-ray: $(RAY_STAMP) $(TEST_STAMP) ## the tests that start a local Ray cluster
	$(PY) -m pytest -q -m ray

bench-ray: $(RAY_STAMP) ## Ray path vs plain CLI, 100 articles, 2 CPUs, interleaved -> out/ray-bench.json
	$(PY) -m bench.ray_bench --shared $(SHARED) $(RAY_BENCH_ARGS)
