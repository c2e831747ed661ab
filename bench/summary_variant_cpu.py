"""Summary CPU time per FRANK CNN/DM article: today's encoder (6 layers, every candidate) against a
cheaper variant, in the same process, one torch thread, interleaved article by article.

usage: .venv/bin/python bench/summary_variant_cpu.py [--layers 3] [--pool 0] [--rounds 3]

CPU time is ``time.process_time`` around ``summarize_batch`` of one article (split, encode, score,
select); both engines use the shipped scorer (its cost does not depend on the encoder). The ratio
of the totals is the figure to compare; single timings are noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.articles import DEFAULT_DATA  # noqa: E402
from service.engines.summarizer import SummarizerConfig, create_summary_engine  # noqa: E402
from service.schemas import SummaryOptions  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--pool", type=int, default=0)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    if not Path(args.data).exists():
        print(f"no data at {args.data}; nothing to time")
        return
    import torch

    torch.set_num_threads(1)
    with open(args.data, encoding="utf8") as fh:
        articles = [d["article"] for d in map(json.loads, fh) if d["dataset"] == "cnndm"]
    engines = {
        "today (6 layers, all candidates)": SummarizerConfig(encoder_layers=6, candidate_pool=0),
        f"variant ({args.layers} layers, pool {args.pool or 'all'})": SummarizerConfig(
            encoder_layers=args.layers, candidate_pool=args.pool
        ),
    }
    built = {name: create_summary_engine(cfg) for name, cfg in engines.items()}
    for eng in built.values():
        eng.load()
        eng.warmup()
    cpu: dict[str, list[float]] = {name: [] for name in built}
    for _ in range(args.rounds):
        for text in articles:
            for name, eng in built.items():
                t0 = time.process_time()
                eng.summarize_batch([(text, SummaryOptions())])
                cpu[name].append(time.process_time() - t0)
    print(f"{len(articles)} CNN/DM articles x {args.rounds} rounds, 1 torch thread, CPU ms per article:")
    for name, xs in cpu.items():
        med, mean = 1000 * statistics.median(xs), 1000 * statistics.fmean(xs)
        print(f"  {name:36s} median {med:6.1f}  mean {mean:6.1f}")
    a, b = (sum(xs) for xs in cpu.values())
    print(f"  ratio today / variant (totals): {a / b:.2f}x")


if __name__ == "__main__":
    main()
