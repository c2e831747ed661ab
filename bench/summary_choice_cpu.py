"""Summary CPU time per FRANK CNN/DM article: the default summary chosen by the summary ranker
against the previous default (the sentence scorer's greedy selection), in the same process.

usage: .venv/bin/python bench/summary_choice_cpu.py [--rounds 3]

Both defaults share everything up to the sentence features (split, encode, features); the
benchmark times that shared part once per article and each choice on the same features, with
``time.process_time`` and one torch thread, interleaved article by article. It prints the host's
CPU kind and the medians: shared part, ranker choice, greedy choice, and the whole summary either
way (shared + choice). The whole ``summarize_batch`` of the engine is timed too, as a check.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.articles import DEFAULT_DATA, load_articles  # noqa: E402
from models.precision import host_cpu  # noqa: E402
from service.engines.summarizer import SummarizerConfig  # noqa: E402
from service.engines.summarizer.candidates import candidate_sentences, needs_antecedent  # noqa: E402
from service.engines.summarizer.extractive import ExtractiveSummarizer  # noqa: E402
from service.engines.summarizer.features import content_words, sentence_features, word_count  # noqa: E402
from service.engines.summarizer.selection import Limits, select  # noqa: E402
from service.schemas import SummaryOptions  # noqa: E402


def time_article(eng: ExtractiveSummarizer, text: str) -> dict[str, float]:
    """CPU seconds of the shared part and of each choice for one article."""
    assert eng._scorer is not None
    assert eng._ranker is not None
    t0 = time.process_time()
    sents, _ = candidate_sentences(text, pool=eng.config.candidate_pool)
    emb = eng._encode([[s.text for s in sents]])
    content = [content_words(s.text) for s in sents]
    feats = sentence_features(sents, emb, text, content)
    words = [word_count(s.text) for s in sents]
    dependent = [needs_antecedent(s.text) for s in sents]
    t1 = time.process_time()
    eng._ranker.choose(feats, emb, words, dependent, content)
    t2 = time.process_time()
    scores = eng._scorer.score(feats)
    select(scores, words, emb, dependent, limits=Limits(), params=eng._scorer.selection_for(feats))
    t3 = time.process_time()
    eng.summarize_batch([(text, SummaryOptions())])
    t4 = time.process_time()
    return {"shared": t1 - t0, "ranker": t2 - t1, "greedy": t3 - t2, "engine": t4 - t3}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    if not Path(args.data).exists():
        print(f"no data at {args.data}; nothing to time")
        return
    import torch

    torch.set_num_threads(1)
    articles, _ = load_articles(args.data)
    eng = ExtractiveSummarizer(SummarizerConfig())
    eng.load()
    eng.warmup()
    cpu: dict[str, list[float]] = {k: [] for k in ("shared", "ranker", "greedy", "engine")}
    for _ in range(args.rounds):
        for text in articles:
            for k, v in time_article(eng, text).items():
                cpu[k].append(v)
    new = [a + b for a, b in zip(cpu["shared"], cpu["ranker"], strict=True)]
    old = [a + b for a, b in zip(cpu["shared"], cpu["greedy"], strict=True)]
    host = host_cpu()
    print(f"host: {host.model}, kind {host.kind}; {len(articles)} CNN/DM articles x {args.rounds} rounds")
    print("CPU ms per article (median):")
    for name, xs in (*cpu.items(), ("default now (shared + ranker)", new), ("before (shared + greedy)", old)):
        print(f"  {name:32s} {1000 * statistics.median(xs):7.2f}")
    print(f"  ratio now / before (medians): {statistics.median(new) / statistics.median(old):.3f}")


if __name__ == "__main__":
    main()
