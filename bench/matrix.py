"""``make bench-levers``: server-level levers side by side, rounds rotated, medians quoted."""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from bench.articles import load_articles
from bench.load import encode_bodies
from bench.report import cpu_model, git_commit, load_average, nan_to_none, write_results
from bench.run_bench import bench_server
from bench.server import ServerConfig
from bench.stats import median_or_nan


def lever_configs(names: Sequence[str] | None) -> list[ServerConfig]:
    """The server-level levers compared by ``--matrix``: one change each against the default."""
    all_cfgs = [
        ServerConfig("default"),
        ServerConfig("batch1", {"ANALYZER_BATCH_SIZE": "1"}),
        ServerConfig("batch4", {"ANALYZER_BATCH_SIZE": "4"}),
        ServerConfig("batch16", {"ANALYZER_BATCH_SIZE": "16"}),
        ServerConfig("wait0", {"ANALYZER_BATCH_WAIT_MS": "0"}),
        ServerConfig("wait10", {"ANALYZER_BATCH_WAIT_MS": "10"}),
        ServerConfig("wait20", {"ANALYZER_BATCH_WAIT_MS": "20"}),
        ServerConfig("threads1", {"ANALYZER_INFERENCE_THREADS": "1"}),
        # One encoder stream whose operators use every thread (the default runs one
        # single-threaded stream per thread).
        ServerConfig("encoder-operators", {"ANALYZER_ENCODER_PARALLELISM": "operators"}),
        ServerConfig("workers2", {"ANALYZER_WORKERS": "2"}),
        ServerConfig("workers2-threads1", {"ANALYZER_WORKERS": "2", "ANALYZER_INFERENCE_THREADS": "1"}),
        ServerConfig("log-warning", {"ANALYZER_LOG_LEVEL": "warning"}),
        # OpenMP threads that sleep at barriers instead of spinning: matters when other processes
        # share the cores and a spinning thread's partner is descheduled.
        ServerConfig("omp-passive", {"OMP_WAIT_POLICY": "PASSIVE"}),
        # Encoder precision forced (the default is auto: bf16 with native bf16, else int8).
        ServerConfig("fp32", {"ANALYZER_ENCODER_DTYPE": "float32"}),
        ServerConfig("int8", {"ANALYZER_ENCODER_DTYPE": "int8"}),
        ServerConfig("bf16", {"ANALYZER_ENCODER_DTYPE": "bfloat16"}),
        # glibc malloc with 2 arenas instead of 8 per core: less RSS from threads' arenas.
        ServerConfig("malloc-arenas2", {"MALLOC_ARENA_MAX": "2"}),
        ServerConfig("granian", {}, launcher="granian"),
    ]
    if not names:
        return [c for c in all_cfgs if c.launcher != "granian" or _has_module("granian")]
    by_name = {c.name: c for c in all_cfgs}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise SystemExit(f"unknown lever(s) {unknown}; known: {', '.join(by_name)}")
    return [by_name[n] for n in names]


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def mode_matrix(args: argparse.Namespace) -> int:
    """Levers side by side: every configuration per round, rounds rotated, medians reported."""
    texts, source = load_articles(args.data, args.max_articles)
    bodies = encode_bodies(texts)
    cfgs = lever_configs(args.levers.split(",") if args.levers else None)
    levels = [1, 8]
    ctx: dict[str, Any] = {"load_at_start": load_average(), "git": git_commit(), "cpu": cpu_model()}
    print(f"load at start: {ctx['load_at_start']['uptime']}")
    print(
        f"levers: {', '.join(c.name for c in cfgs)}; {args.rounds} round(s), {args.matrix_duration:.0f} s "
        f"per level at concurrency {levels}; {len(texts)} articles from {source}",
        flush=True,
    )
    runs = _run_rounds(cfgs, args, bodies, levels)
    summary = summarize_matrix(runs)
    _print_summary(summary)
    results: dict[str, Any] = {
        "kind": "levers",
        **ctx,
        "settings": {**vars(args), "out": str(args.out), "data": str(args.data)},
        "articles": {"source": source, "count": len(texts)},
        "summary": summary,
        "runs": {
            k: [{**r, "levels": {str(c): asdict(x) for c, x in r["levels"].items()}} for r in v]
            for k, v in runs.items()
        },
        "load_at_end": load_average(),
    }
    out = args.out.with_name("bench-levers.json") if args.out.name == "bench.json" else args.out
    write_results(nan_to_none(results), out)
    print(f"\nresults: {out}\nload at end: {results['load_at_end']['uptime']}")
    return 0


def _run_rounds(
    cfgs: list[ServerConfig], args: argparse.Namespace, bodies: Sequence[bytes], levels: list[int]
) -> dict[str, list[dict[str, Any]]]:
    """Every configuration once per round, the order rotated each round; failures are reported."""
    runs: dict[str, list[dict[str, Any]]] = {c.name: [] for c in cfgs}
    for rnd in range(args.rounds):
        # Rotate the order so that no configuration always runs in the same slot of the load cycle.
        order = cfgs[rnd % len(cfgs) :] + cfgs[: rnd % len(cfgs)]
        for cfg in order:
            try:
                res = bench_server(
                    cfg,
                    args,
                    bodies,
                    levels,
                    args.matrix_duration,
                    log_dir=args.out.parent / "logs",
                    verbose=False,
                )
            except (RuntimeError, TimeoutError) as e:
                print(f"[round {rnd + 1}] {cfg.name}: failed: {e}", flush=True)
                continue
            lv = res["levels"]
            print(
                f"[round {rnd + 1}] {cfg.name:<18} c8 {lv[8].throughput:6.2f} art/s  c1 p50 "
                f"{lv[1].p50_ms:6.1f} ms  c8 p99 {lv[8].p99_ms:7.1f} ms  batch {lv[8].mean_batch_size:4.2f}  "
                f"cpu {lv[8].server_cpu_s_per_article * 1000:5.0f} ms/a  RSS {res['peak_rss_mb']:5.0f} MB  "
                f"startup {res['startup_s']:5.2f} s",
                flush=True,
            )
            runs[cfg.name].append(res)
    return runs


def _print_summary(summary: dict[str, dict[str, float]]) -> None:
    print()
    print(
        f"{'lever':<18} {'c8 art/s':>9} {'vs default':>10} {'c1 p50':>8} {'c8 p50':>8} {'c8 p99':>8} "
        f"{'batch':>6} {'cpu ms/a':>9} {'RSS MB':>7} {'start s':>7}"
    )
    for name, s in summary.items():
        print(
            f"{name:<18} {s['c8_throughput']:9.2f} {s['vs_default']:9.2f}x {s['c1_p50_ms']:8.1f} "
            f"{s['c8_p50_ms']:8.1f} {s['c8_p99_ms']:8.1f} {s['c8_mean_batch']:6.2f} "
            f"{s['c8_cpu_ms_per_article']:9.0f} {s['peak_rss_mb']:7.0f} {s['startup_s']:7.2f}"
        )


def summarize_matrix(runs: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, float]]:
    """Median figures per configuration, and c=8 throughput relative to the default's median."""
    out: dict[str, dict[str, float]] = {}
    for name, rs in runs.items():

        def med(c: int, attr: str, rs: list[dict[str, Any]] = rs) -> float:
            return median_or_nan([float(getattr(r["levels"][c], attr)) for r in rs if c in r["levels"]])

        out[name] = {
            "rounds": float(len(rs)),
            "c8_throughput": med(8, "throughput"),
            "c1_p50_ms": med(1, "p50_ms"),
            "c8_p50_ms": med(8, "p50_ms"),
            "c8_p99_ms": med(8, "p99_ms"),
            "c8_mean_batch": med(8, "mean_batch_size"),
            "c8_cpu_ms_per_article": 1000 * med(8, "server_cpu_s_per_article"),
            "peak_rss_mb": median_or_nan([r["peak_rss_mb"] for r in rs]),
            "startup_s": median_or_nan([r["startup_s"] for r in rs]),
        }
    base = out.get("default", {}).get("c8_throughput", math.nan)
    for s in out.values():
        s["vs_default"] = s["c8_throughput"] / base if base else math.nan
    return out
