"""Start to ready of the service, a few times: ``python -m bench.startup [--runs 3]``.

Starts ``python -m service serve`` on 127.0.0.1 (bench.server.Server, real engines), times the
first 200 of ``/health/ready``, reads the process tree's RSS, stops it, and prints each run and the
median. Compare commits by running it on each in turn, under the same load.
"""

from __future__ import annotations

import argparse
import statistics

from bench.procs import tree_snapshot
from bench.server import ROOT, Server, ServerConfig


def main(argv: list[str] | None = None) -> int:
    """Print start to ready and RSS per run, then the medians."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--engines", choices=["real", "fake"], default="real")
    args = p.parse_args(argv)
    ready, rss = [], []
    for i in range(args.runs):
        with Server(ServerConfig("startup"), args.engines, ROOT / "out" / "logs" / "startup.log") as s:
            ready.append(s.startup_s)
            rss.append(tree_snapshot(s.pid).rss_mb)
        print(f"run {i + 1}: ready in {ready[-1]:.2f} s, RSS {rss[-1]:.0f} MB", flush=True)
    print(f"median: ready in {statistics.median(ready):.2f} s, RSS {statistics.median(rss):.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
