"""``make bench``: one server configuration at every level, the naive baseline, the compute
floor and the targets."""

from __future__ import annotations

import argparse
import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.articles import load_articles
from bench.load import LevelResult, combine_naive, encode_bodies, run_level, run_naive, warm_up
from bench.procs import tree_snapshot
from bench.report import (
    LEVEL_HEADER,
    cpu_model,
    evaluate_targets,
    fmt_level,
    git_commit,
    host_context,
    load_average,
    nan_to_none,
    write_results,
)
from bench.server import Server, ServerConfig

ROOT = Path(__file__).resolve().parents[1]


def bench_server(
    cfg: ServerConfig,
    args: argparse.Namespace,
    bodies: Sequence[bytes],
    levels: Sequence[int],
    duration_s: float,
    *,
    log_dir: Path,
    verbose: bool = True,
) -> dict[str, Any]:
    """Start one server configuration, warm it, run the levels; its figures."""
    log_path = log_dir / f"server-{cfg.name}.log"
    with Server(cfg, args.engines, log_path) as server:
        startup = server.startup_s
        ready_rss = tree_snapshot(server.pid)
        if verbose:
            print(
                f"[{cfg.name}] ready in {startup:.2f} s, RSS {ready_rss.rss_mb:.0f} MB "
                f"({ready_rss.processes} process(es))",
                flush=True,
            )
        warm_up(server, bodies, args.warmup)
        results: dict[int, LevelResult] = {}
        if verbose:
            print(LEVEL_HEADER, flush=True)
        for c in levels:
            r = run_level(server, bodies, c, duration_s, args.max_requests)
            results[c] = r
            if verbose:
                print(fmt_level(r), flush=True)
        final = tree_snapshot(server.pid)
        peak = max([final.hwm_mb, *(r.server_peak_tree_rss_mb for r in results.values())])
    return {
        "config": asdict(cfg),
        "startup_s": startup,
        "ready_rss_mb": ready_rss.rss_mb,
        "levels": results,
        "peak_rss_mb": peak,
        "hwm_max_process_mb": final.hwm_max_process_mb,
    }


def mode_bench(args: argparse.Namespace) -> int:
    """The default mode: service levels, naive baseline, compute floor, targets."""
    texts, source = load_articles(args.data, args.max_articles)
    cfg = ServerConfig("default", dict(kv.split("=", 1) for kv in args.env))
    ctx = _context(texts, source, cfg)
    _print_context(ctx, args)
    levels = [int(x) for x in args.levels.split(",")]
    naive_parts: list[dict[str, Any]] = []
    half = args.naive_duration / 2
    if args.naive_duration > 0:
        print(f"naive baseline, part 1 ({half:.0f} s) ...", flush=True)
        naive_parts.append(run_naive(texts, half))
    print(f"service: {args.duration:.0f} s per level at concurrency {levels}", flush=True)
    svc = bench_server(
        cfg, args, encode_bodies(texts), levels, args.duration, log_dir=args.out.parent / "logs"
    )
    if args.naive_duration > 0:
        print(f"naive baseline, part 2 ({half:.0f} s) ...", flush=True)
        naive_parts.append(run_naive(texts, half))
    naive: dict[str, Any] = combine_naive(naive_parts) if naive_parts else {"throughput": math.nan}
    level_map: dict[int, LevelResult] = svc["levels"]
    ratio = _print_naive(naive, level_map)
    floor = {} if args.no_flops else compute_floor(texts, level_map)
    kind = ctx["host"]["kind"]
    targets = evaluate_targets(level_map, naive["throughput"], svc["startup_s"], svc["peak_rss_mb"], kind)
    print(f"\ntargets for a host of kind {kind} ({ctx['host']['targets_row']} row):")
    for t in targets:
        print(t.line())
    results: dict[str, Any] = {
        "kind": "bench",
        **ctx,
        "settings": {**vars(args), "out": str(args.out), "data": str(args.data)},
        "server_env": cfg.env,
        **{k: svc[k] for k in ("startup_s", "ready_rss_mb", "peak_rss_mb")},
        "levels": {str(c): asdict(r) for c, r in level_map.items()},
        "naive": naive,
        "ratio_c8_to_naive": ratio,
        "compute_floor": floor,
        "targets": [{**asdict(t), "passed": t.passed} for t in targets],
        "load_at_end": load_average(),
    }
    copy = write_results(nan_to_none(results), args.out)
    print(f"\nresults: {args.out} (copy {copy.relative_to(ROOT) if copy.is_relative_to(ROOT) else copy})")
    print(f"load at end: {results['load_at_end']['uptime']}")
    return 0 if all(t.passed for t in targets) or not args.strict else 1


def _context(texts: Sequence[str], source: str, cfg: ServerConfig) -> dict[str, Any]:
    return {
        "load_at_start": load_average(),
        "git": git_commit(),
        "cpu": cpu_model(),
        "host": host_context(cfg.env),
        "articles": {
            "source": source,
            "count": len(texts),
            "chars_median": statistics.median(len(t) for t in texts),
        },
    }


def _print_context(ctx: dict[str, Any], args: argparse.Namespace) -> None:
    host = ctx["host"]
    print(f"load at start: {ctx['load_at_start']['uptime']}")
    print(
        f"commit {ctx['git']['commit'][:12]}{' (dirty tree)' if ctx['git']['dirty'] else ''}; "
        f"{ctx['articles']['count']} articles from {ctx['articles']['source']}, median "
        f"{ctx['articles']['chars_median']:.0f} chars; engines={args.engines}"
    )
    print(
        f"host: {host['model']}; matrix extensions: {', '.join(host['extensions']) or 'none'}; "
        f"kind {host['kind']}; encoder precision {host['dtype_setting']} -> {host['dtype']}, "
        f"backend {host['backend']}"
    )


def _print_naive(naive: dict[str, Any], level_map: dict[int, LevelResult]) -> float:
    """Print the naive baseline's figures and the c=8 ratio; return the ratio (NaN if none)."""
    c8 = level_map[8].throughput if 8 in level_map else math.nan
    ratio = c8 / naive["throughput"] if naive["throughput"] else math.nan
    print()
    print(
        f"naive (sentence-transformers, sequential, torch threads {naive.get('torch_threads')}): "
        f"{naive['throughput']:.2f} art/s (runs: "
        f"{', '.join(f'{x:.2f}' for x in naive.get('throughput_per_run', []))}), "
        f"p50 {naive.get('p50_ms', math.nan):.0f} ms, "
        f"CPU {naive.get('cpu_s_per_article', math.nan) * 1000:.0f} ms/article, "
        f"VmHWM {naive.get('vm_hwm_mb', math.nan):.0f} MB"
    )
    print(f"ratio service c=8 / naive: {ratio:.2f}x")
    return ratio


def compute_floor(texts: Sequence[str], levels: dict[int, LevelResult]) -> dict[str, Any]:
    """Print and return FLOPs per article, achieved GFLOP/s per level and the GEMM ceiling."""
    from bench import flops

    f = flops.article_flops(texts)
    ceiling = {
        f"{dtype}_{threads}t": flops.gemm_gflops(threads, dtype)
        for threads in (1, 2)
        for dtype in ("float32", "bfloat16")
    }
    achieved = {str(c): r.throughput * f.gflop_mean for c, r in levels.items()}
    # FLOPs per server CPU-second: what each core-second bought, less sensitive to other jobs than
    # wall-clock GFLOP/s (includes HTTP, JSON, quotes and selection, so it is a lower bound).
    per_cpu = {
        str(c): f.gflop_mean / r.server_cpu_s_per_article if r.server_cpu_s_per_article > 0 else math.nan
        for c, r in levels.items()
    }
    print()
    print(
        f"compute floor: encoder {f.gflop_mean:.3f} GFLOP/article (mean; median {f.gflop_median:.3f}) = "
        f"{f.layers} layers, 2 x {f.layers * flops.layer_params(flops.load_shape()[0]) / 1e6:.2f}M "
        f"non-embedding params x {f.tokens_mean:.0f} tokens + attention ({f.attention_share:.1%}); "
        f"{f.sentences_mean:.1f} candidates (pool {f.pool or 'all'}) of {f.tokens_per_sentence_mean:.1f} "
        f"tokens (<= {f.max_tokens}), unpadded (doc-order batches of 8 padded: {f.gflop_padded8_mean:.3f}); "
        f"the full encoder over every story sentence: {f.full_gflop_mean:.3f}"
    )
    print("achieved: " + ", ".join(f"c={c} {g:.1f} GFLOP/s" for c, g in achieved.items()))
    print("per server CPU-second: " + ", ".join(f"c={c} {g:.1f} GFLOP" for c, g in per_cpu.items()))
    print(
        "GEMM ceiling (torch matmul 2048x384 @ 384x1536): "
        + ", ".join(f"{k} {v:.0f}" for k, v in ceiling.items())
        + " GFLOP/s"
    )
    best = max(achieved.values(), default=math.nan)
    print(
        f"best level reaches {best / ceiling['float32_2t']:.1%} of the fp32 2-thread GEMM ceiling, "
        f"{best / ceiling['bfloat16_2t']:.1%} of bf16"
    )
    return {
        "flops": asdict(f),
        "achieved_gflops": achieved,
        "gflop_per_server_cpu_s": per_cpu,
        "gemm_ceiling_gflops": ceiling,
        "method": "2*L*(4h^2+2hi) per token + 4*L*n^2*h per sentence; tokens from the model "
        "tokenizer over the summary engine's candidates (its layer cut, token cut and pool), "
        "+2 special",
    }
