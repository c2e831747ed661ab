"""Build the quote engine's confidence table on PolNeAR train and choose, by cross-validation, the
confidence below which a speaker's name is withheld.

usage: train_quote_confidence.py [--data ../shared/data/polnear/train.jsonl]
                                 [--out models/weights/quote_confidence.json]

Every returned quote matched to a gold quote (Jaccard >= 0.5) with a gold source gives one row: its
outcome key (``speakers.outcome_key``: the rule or ranker that attributed it, the mention kind, how
the mention resolved) and whether the attribution is right as the shared scorer counts it (the
mention overlaps the gold source, or a name word is shared). The table maps each key to its
accuracy, shrunk toward the accuracy of its rule for rare keys. Article-grouped 5-fold cross-
validation builds the table on four folds and scores the fifth: for each threshold, a name is given
when the held-out confidence reaches it, and the utility is right names minus twice the wrong ones
(a wrong name costs more than none). The threshold with the best mean utility is written with the
table built on all of train; per-fold precision and coverage of the names given are printed. Needs
no third-party package beyond the service's own."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.train_quote_ranker import _jacc, _names, _trim, gold_segments
from service.engines.quotes import RuleQuoteEngine
from service.engines.quotes.speakers import outcome_key, resolve

_PRON = {"he", "she", "they", "i", "we", "it", "him", "her", "them", "you"}
FOLDS = 5
THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85)
#: A wrong name counts this many times a right one.
WRONG_COST = 2.0
#: Pseudo-quotes by which a key's accuracy is shrunk toward its rule's.
PRIOR = 10.0


def rows(path: Path) -> list[dict[str, Any]]:
    """One row per matched quote with a gold source: article, key, named, right."""
    engine = RuleQuoteEngine()
    out = []
    for line in path.open(encoding="utf8"):
        doc = json.loads(line)
        text = doc["text"]
        gold = gold_segments(doc)
        quotes, cast, _ = engine.attributed(text)
        for q in quotes:
            if q.mention is None or q.how is None:
                continue
            span = _trim(text, q.start, q.end)
            best = max(gold, key=lambda g: _jacc(g[0], span), default=None)
            if best is None or _jacc(best[0], span) < 0.5:
                continue
            src, m = best[1], q.mention
            named = resolve(text, m, cast)
            right = m.start < src["end"] and m.end > src["start"]
            if not right and src["text"].strip().lower() not in _PRON:
                right = bool(_names(src["text"]) & (_names(named.name or "") | _names(text[m.start : m.end])))
            key = outcome_key(q.how, m.kind, named.resolution)
            out.append(
                {"article": doc["article"], "key": key, "named": named.name is not None, "right": right}
            )
    return out


def table(train: list[dict[str, Any]]) -> tuple[dict[str, float], float]:
    """Accuracy per key, shrunk toward its rule's accuracy (itself shrunk toward the overall one)
    by ``PRIOR`` pseudo-quotes, so that a rare key borrows from its neighbours; and the overall
    accuracy for unseen keys."""
    n: dict[str, int] = defaultdict(int)
    ok: dict[str, int] = defaultdict(int)
    for r in train:
        for k in (r["key"], "how:" + r["key"].split("|")[0]):
            n[k] += 1
            ok[k] += r["right"]
    overall = sum(r["right"] for r in train) / max(1, len(train))
    out = {}
    for k in sorted(k for k in n if not k.startswith("how:")):
        h = "how:" + k.split("|")[0]
        how_acc = (ok[h] + PRIOR * overall) / (n[h] + PRIOR)
        out[k] = round((ok[k] + PRIOR * how_acc) / (n[k] + PRIOR), 4)
    return out, round(overall, 4)


def fold_of(article: str) -> int:
    """A stable fold for an article (its id's digest), so that reruns agree."""
    return int(hashlib.sha256(article.encode()).hexdigest(), 16) % FOLDS


def cross_validate(data: list[dict[str, Any]]) -> dict[float, list[tuple[float, float, float]]]:
    """Threshold -> per fold (utility, precision of names given, coverage)."""
    out: dict[float, list[tuple[float, float, float]]] = {t: [] for t in THRESHOLDS}
    for f in range(FOLDS):
        tab, default = table([r for r in data if fold_of(r["article"]) != f])
        held = [r for r in data if fold_of(r["article"]) == f]
        for t in THRESHOLDS:
            given = [r for r in held if r["named"] and tab.get(r["key"], default) >= t]
            right = sum(r["right"] for r in given)
            wrong = len(given) - right
            out[t].append(
                (right - WRONG_COST * wrong, right / max(1, len(given)), len(given) / max(1, len(held)))
            )
    return out


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=root.parent / "shared" / "data" / "polnear" / "train.jsonl")
    ap.add_argument("--out", type=Path, default=root / "models" / "weights" / "quote_confidence.json")
    args = ap.parse_args()
    data = rows(args.data)
    cv = cross_validate(data)
    for t, folds in cv.items():
        us, ps, cs = zip(*folds, strict=True)
        print(
            f"t={t:.2f}: utility {sum(us) / FOLDS:.1f} (folds {min(us):.0f}-{max(us):.0f}); "
            f"precision {sum(ps) / FOLDS:.4f} ({min(ps):.4f}-{max(ps):.4f}); "
            f"coverage {sum(cs) / FOLDS:.4f} ({min(cs):.4f}-{max(cs):.4f})"
        )
    best = max(THRESHOLDS, key=lambda t: (sum(u for u, _, _ in cv[t]), -t))
    tab, default = table(data)
    doc = {"table": tab, "default": default, "threshold": best, "rows": len(data)}
    raw = (json.dumps(doc, indent=1, sort_keys=True) + "\n").encode()
    args.out.write_bytes(raw)
    print(f"chosen threshold {best}; {len(tab)} keys over {len(data)} quotes")
    print(f"wrote {args.out} sha256 {hashlib.sha256(raw).hexdigest()}")


if __name__ == "__main__":
    main()
