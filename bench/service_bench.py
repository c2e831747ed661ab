"""``make bench``: how fast ``POST /v1/analyze`` is, against the naive way, on real-length articles.

One run:
1. notes the machine load (``uptime``), the commit and the settings;
2. starts the service (``python -m service serve``, ``ANALYZER_ENGINES=real`` unless told otherwise)
   on 127.0.0.1 and a free port, times startup to ``/health/ready`` 200, warms it up;
3. drives ``/v1/analyze`` with closed-loop clients at each concurrency level for a bounded time and
   reports throughput, p50/p95/p99 latency, errors by status, server RSS (VmHWM and current), the
   server's CPU seconds per article and the mean micro-batch size (from ``/metrics``);
4. runs the naive pipeline (``bench/naive_baseline.py``) on the same articles, in its own process,
   half before the service starts and half after it stops (so drift in the machine's load hits both);
5. prints the encoder's FLOPs per article, the achieved GFLOP/s and this machine's GEMM ceiling;
6. prints PASS/FAIL per target and writes everything to ``out/bench.json`` (plus a dated copy).

``--matrix`` instead compares server-level levers side by side (batch size, batch wait, torch
threads, workers, ...), interleaving configurations across ``--rounds`` and quoting medians.
``--profile`` runs the engines in-process under cProfile and the torch profiler (where time goes).

Articles: the CNN/DM rows of ``../shared/data/frank/validation.jsonl`` when present (read at run
time, never copied or logged), otherwise generated news-like texts of the same length.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from bench.engine_profile import profile_engines
from bench.matrix import mode_matrix
from bench.report import terminate_on_sigterm
from bench.run_bench import mode_bench

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "frank" / "validation.jsonl"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=float, default=20.0, help="seconds per concurrency level (default 20)")
    p.add_argument("--levels", default="1,4,8,16", help="concurrency levels (default 1,4,8,16)")
    p.add_argument("--warmup", type=float, default=6.0, help="seconds of unmeasured warm-up load (default 6)")
    p.add_argument(
        "--naive-duration",
        type=float,
        default=30.0,
        help="seconds of naive baseline, split before/after the service (default 30; 0 skips)",
    )
    p.add_argument("--max-requests", type=int, default=20_000, help="cap on requests per level")
    p.add_argument(
        "--engines", choices=["real", "fake"], default="real", help="ANALYZER_ENGINES (default real)"
    )
    p.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for the server, e.g. ANALYZER_BATCH_SIZE=4 (repeatable)",
    )
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="FRANK validation.jsonl")
    p.add_argument("--max-articles", type=int, default=None, help="use only the first N articles")
    p.add_argument("--out", type=Path, default=ROOT / "out" / "bench.json", help="JSON results file")
    p.add_argument("--no-flops", action="store_true", help="skip the FLOP count and GEMM ceiling")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    p.add_argument("--matrix", action="store_true", help="compare server-level levers side by side")
    p.add_argument("--levers", default="", help="with --matrix: comma-separated subset of levers")
    p.add_argument("--rounds", type=int, default=2, help="with --matrix: rounds over all levers (default 2)")
    p.add_argument(
        "--matrix-duration", type=float, default=10.0, help="with --matrix: seconds per level (default 10)"
    )
    p.add_argument(
        "--profile",
        action="store_true",
        help="profile the engines in-process (cProfile + torch profiler) instead",
    )
    p.add_argument(
        "--profile-threads",
        type=lambda v: [int(x) for x in v.split(",")],
        default=[2],
        help="with --profile: torch thread counts for the encoder table (default 2)",
    )
    p.add_argument("--profile-repeats", type=int, default=3, help="with --profile: repeats per variant")
    args = p.parse_args(argv)
    if args.duration <= 0 or args.duration > 600 or args.rounds < 1:
        p.error("--duration must be within (0, 600] and --rounds at least 1")
    for kv in args.env:
        if "=" not in kv or not kv.startswith("ANALYZER_"):
            p.error(f"--env takes ANALYZER_KEY=VALUE, got {kv!r}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: ``python -m bench.service_bench [--matrix | --profile]``."""
    args = parse_args(argv)
    with terminate_on_sigterm():
        if args.profile:
            return profile_engines(args)
        if args.matrix:
            return mode_matrix(args)
        return mode_bench(args)


if __name__ == "__main__":
    sys.exit(main())
