"""The default summary (no length option) with the content selector: what each length policy gives
against LEAD-3 per style, judged on all styles at once.

Policies, each on the same candidate units:
- ``ranker``: today's summary ranker (service/engines/summarizer/reranker.py) chooses the summary
  whole (its length and its sentences);
- ``ranker-n``: the ranker's sentence count n, the selector's best n units (trigram blocking);
- ``ranker-words``: the ranker's word count as a max_words budget (at most its count + 1 units),
  filled by the selector.
R1 F against the reference (score_summaries.py's ROUGE), minus LEAD-3 as score_summaries.py builds
it. Training articles are scored by selectors fitted without their fold (5-fold CV grouped by
article, the same folds as bench/train_selector.py); FRANK, SummEval and the writers' set by the
selector fitted on every training article (never trained on them).

usage: python bench/selector_default.py [--cache DIR] [--l2 X]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.selector_data import FILES, ref_sents  # noqa: E402
from bench.train_selector import REPORT_SETS, SC, TRAIN_SETS, Data, fit, folds_of, load  # noqa: E402
from models.registry import RANKER, load_json_weights  # noqa: E402
from service.engines.summarizer.features import content_words  # noqa: E402
from service.engines.summarizer.reranker import SummaryRanker  # noqa: E402
from service.engines.summarizer.selection import Limits, SelectionParams, select  # noqa: E402

POLICIES = ("ranker", "ranker-n", "ranker-words")


def articles() -> dict[str, str]:
    """Article text by cache key (read at run time, never stored)."""
    out = {}
    for name, path in FILES.items():
        with open(path, encoding="utf8") as fh:
            for line in fh:
                d = json.loads(line)
                out[f"{name}:{d['hash']}"] = d["article"]
    return out


def summaries(d: dict[str, Any], ranker: SummaryRanker, scores: np.ndarray) -> dict[str, str]:
    """Each policy's summary of one article."""
    content = [content_words(t) for t in d["texts"]]
    best = ranker.choose(d["feats"], d["emb"], d["words"], d["dependent"], content)
    n = len(best)
    params = SelectionParams(position_weight=0.0, max_redundancy=0.9, max_sentences=n + 1)
    picks_n = select(
        scores,
        d["words"],
        d["emb"],
        d["dependent"],
        limits=Limits(max_sentences=n),
        params=params,
        blocking=d["tri"],
    )
    budget = sum(d["words"][i] for i in best)
    picks_w = select(
        scores,
        d["words"],
        d["emb"],
        d["dependent"],
        limits=Limits(max_sentences=n + 1, max_words=budget),
        params=params,
        blocking=d["tri"],
    )
    join = lambda idx: " ".join(d["texts"][i] for i in sorted(idx))  # noqa: E731
    return {
        "ranker": join(best),
        "ranker-n": join(p.index for p in picks_n),
        "ranker-words": join(p.index for p in picks_w) or join(best),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/content_selector_cache"))
    ap.add_argument("--dtype", default="int8")
    ap.add_argument("--l2", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--per-set", type=int, default=400, help="training articles scored per style at most")
    args = ap.parse_args()
    docs = load(args.cache, args.dtype)
    text = articles()
    ranker = SummaryRanker.from_dict(load_json_weights(RANKER))
    params = SelectionParams(position_weight=0.0, max_redundancy=0.9)
    train = [d for d in docs if d["set"] in TRAIN_SETS]
    fold = folds_of(train, 5, args.seed)
    data = Data(train)
    scored: list[tuple[dict[str, Any], np.ndarray]] = []
    seen: dict[str, int] = {}
    for k in range(5):
        model = fit(data, [d for d in train if fold[d["key"]] != k], args.l2, params)
        for d in train:
            if fold[d["key"]] == k and seen.get(d["style"], 0) < args.per_set:
                seen[d["style"]] = seen.get(d["style"], 0) + 1
                scored.append((d, model.score(d["feats"], d["emb"])))
    model = fit(data, train, args.l2, params)
    scored += [(d, model.score(d["feats"], d["emb"])) for d in docs if d["set"] in REPORT_SETS]
    rows: dict[str, dict[str, list[float]]] = {}
    for d, scores in scored:
        lead3 = " ".join(ref_sents(text[d["key"]])[:3])
        base = SC.score(d["reference"], lead3)["rouge1"].fmeasure
        out = summaries(d, ranker, scores)
        r = rows.setdefault(d["style"], {p: [] for p in (*POLICIES, "words")})
        for p in POLICIES:
            r[p].append(100 * (SC.score(d["reference"], out[p])["rouge1"].fmeasure - base))
        r["words"].append(len(out["ranker"].split()))
    print("| style | n | " + " | ".join(f"{p} R1 - LEAD-3 (se)" for p in POLICIES) + " | ranker words |")
    print("|---" * (len(POLICIES) + 3) + "|")
    for style, r in rows.items():
        cells = [f"{np.mean(r[p]):+.2f} ({np.std(r[p], ddof=1) / np.sqrt(len(r[p])):.2f})" for p in POLICIES]
        print(f"| {style} | {len(r['ranker'])} | " + " | ".join(cells) + f" | {np.median(r['words']):.0f} |")


if __name__ == "__main__":
    main()
