"""Time the abstractive path per article with the tiny test BART (random weights, 64-token window),
so that the cost of chunking and batched generation is measured without real weights.

usage: .venv/bin/python bench/summary_abstractive_bench.py [--articles 20] [--sentences 60]

Each article is a story written here of ``--sentences`` sentences (about 12 tokens each), so it is
cut into several chunks by the 64-token window; the figure is wall-clock time per article for
``summarize_batch`` over all articles, median of three runs. It measures the pipeline's overhead
(tokenising, chunking, padded generate), not what a real 300M-parameter model costs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.engines.summarizer import SummarizerConfig, create_summary_engine  # noqa: E402
from service.schemas import SummaryOptions  # noqa: E402
from tests.unit.test_summary_tiny_models import CORPUS, save_tiny_bart, save_tiny_bert  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=20)
    ap.add_argument("--sentences", type=int, default=60)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        enc = save_tiny_bert(Path(tmp) / "enc")
        bart = save_tiny_bart(Path(tmp) / "bart")
        engine = create_summary_engine(SummarizerConfig(encoder_dir=str(enc), abstractive_dir=str(bart)))
        engine.load()
        engine.warmup()
        story = " ".join(CORPUS[i % len(CORPUS)] for i in range(args.sentences))
        items = [(story, SummaryOptions(method="abstractive"))] * args.articles
        assert engine.abstractive is not None
        chunks = len(engine.abstractive.chunks(story))
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            engine.summarize_batch(items)
            runs.append((time.perf_counter() - t0) / args.articles)
    print(
        f"tiny BART: {args.articles} articles of {args.sentences} sentences, {chunks} chunks each; "
        f"median {1000 * statistics.median(runs):.1f} ms per article"
    )


if __name__ == "__main__":
    main()
