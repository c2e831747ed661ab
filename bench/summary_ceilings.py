"""How much room whole-sentence selection leaves over LEAD-3: the ceilings, per shared summary set.

usage: .venv/bin/python bench/summary_ceilings.py [--beam 10] [--pool 40]

Prints, per set (FRANK CNN/DM, FRANK XSum, SummEval, writers; single reference, ROUGE-1 F as
../shared/eval/score_summaries.py computes it), beside LEAD-3:
- the lead rule: the first candidate sentences up to a word target, whole, by the engine's own
  selection (``select`` with a score that falls with position), for a few fixed settings;
- ORACLE subsets: the best set of at most 4 whole candidate sentences within W words, found by a
  beam search over the first ``--pool`` candidates (a lower bound on the true ceiling), for W = 50,
  75 and 95 (95 = the default 65-word target plus its 30 words of slack);
- the lead rule with the best of its settings chosen per article, i.e. knowing the reference:
  how much the stopping point alone is worth.
The oracle rows read the reference, so they are ceilings, not methods. The unigram F here is exact
for whole-sentence subsets (same tokens, stemmer and clipping as rouge-score's ROUGE-1).
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from summary_data import Doc, Variant, lead3, prepare, rouge, tokens  # noqa: E402

from service.engines.summarizer.selection import Limits, SelectionParams, select  # noqa: E402

SETS = ("frank-cnndm", "frank-xsum", "summeval", "writers")
#: (target words, slack words, most sentences) of the lead-rule rows.
LEAD_RULES = [(b, s, m) for b, s, m in itertools.product((30, 45, 55, 65, 75), (10, 20, 30), (2, 3, 4))]


class Unigrams:
    """Exact ROUGE-1 F of whole-sentence subsets of one article against its reference."""

    def __init__(self, doc: Doc) -> None:
        self.counts = [Counter(tokens(s)) for s in doc.sents]
        self.sizes = [sum(c.values()) for c in self.counts]
        self.ref = Counter(tokens(doc.reference))
        self.ref_size = sum(self.ref.values())

    def f1(self, idx: tuple[int, ...] | list[int]) -> float:
        total: Counter[str] = Counter()
        for i in idx:
            total.update(self.counts[i])
        n = sum(self.sizes[i] for i in idx)
        overlap = sum(min(v, self.ref[w]) for w, v in total.items())
        if not overlap:
            return 0.0
        p, r = overlap / n, overlap / self.ref_size
        return 100 * 2 * p * r / (p + r)


def beam_oracle(doc: Doc, u: Unigrams, max_words: int, pool: int, beam: int) -> float:
    """Best ROUGE-1 F of at most 4 whole sentences within ``max_words`` (beam search)."""
    states: list[tuple[tuple[int, ...], int]] = [((), 0)]
    best = 0.0
    for _ in range(4):
        cand: dict[tuple[int, ...], tuple[float, int]] = {}
        for idx, used in states:
            for i in range(min(len(doc.sents), pool)):
                key = tuple(sorted((*idx, i)))
                if i in idx or used + doc.words[i] > max_words or key in cand:
                    continue
                cand[key] = (u.f1(key), used + doc.words[i])
        if not cand:
            break
        top = sorted(cand.items(), key=lambda kv: -kv[1][0])[:beam]
        states = [(k, v[1]) for k, v in top]
        best = max(best, top[0][1][0])
    return best


def lead_rule(doc: Doc, u: Unigrams, rule: tuple[int, int, int]) -> float:
    b, s, m = rule
    params = SelectionParams(budget_words=b, slack_words=s, max_sentences=m)
    order = -np.arange(len(doc.sents), dtype=np.float32)
    picks = select(order, doc.words, doc.emb, doc.dependent, limits=Limits(), params=params)
    return u.f1([p.index for p in picks])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--beam", type=int, default=10)
    ap.add_argument("--pool", type=int, default=40)
    args = ap.parse_args()
    docs = prepare(Variant(layers=6, max_tokens=128, pool=0))  # every candidate, as measured
    rows: dict[str, list[float]] = {}
    rows["LEAD-3"] = [rouge(d.reference, lead3(d.article), lcs=False)[0] for d in docs]
    units = [Unigrams(d) for d in docs]
    by_rule = {r: [lead_rule(d, u, r) for d, u in zip(docs, units, strict=True)] for r in LEAD_RULES}
    for r in ((30, 10, 2), (55, 20, 4), (65, 20, 4), (65, 30, 3)):
        rows[f"lead rule {r[0]}+{r[1]} words, <= {r[2]} sentences"] = by_rule[r]
    for w in (50, 75, 95):
        rows[f"ORACLE <= 4 sentences, <= {w} words"] = [
            beam_oracle(d, u, w, args.pool, args.beam) for d, u in zip(docs, units, strict=True)
        ]
    rows["lead rule, best setting per article (oracle)"] = [
        max(v[i] for v in by_rule.values()) for i in range(len(docs))
    ]
    lead = rows["LEAD-3"]
    print("ROUGE-1 F (single reference), and minus LEAD-3, per set:")
    print(f"  {'':48s}" + "".join(f"{s:>18s}" for s in SETS))
    for name, vals in rows.items():
        cells = []
        for s in SETS:
            idx = [i for i, d in enumerate(docs) if d.set == s]
            m = float(np.mean([vals[i] for i in idx]))
            delta = m - float(np.mean([lead[i] for i in idx]))
            cells.append(f"{m:8.2f} ({delta:+6.2f})")
        print(f"  {name:48s}" + "".join(f"{c:>18s}" for c in cells))
    print("  n: " + ", ".join(f"{s} {sum(d.set == s for d in docs)}" for s in SETS))


if __name__ == "__main__":
    main()
