"""Train the quote-span keep/drop classifier (logistic regression over quoted spans) on PolNeAR train.

usage: train_quote_spans.py [--data DIR] [--out models/weights/quote_spans.json]

Reads the gold jsonl at run time only (its text never enters the repository). Every span the mark
pairer finds (after the fixed drops: single marks in double-quoted articles, headline and page-noise
lines) gets the features of ``steps.span_table``; its label is "matched one-to-one to a
gold quote segment at character Jaccard >= 0.5", as the shared scorer matches. Article-grouped
5-fold cross-validation on train, averaged over five different splits, chooses the regularisation
and the threshold that maximise F1 (gold segments no span reaches count as misses); the final
model is fitted on all of train and written as JSON with its sha256 printed (pin it in spans.py).
Needs scikit-learn (offline only).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service.engines.quotes.steps import prepare, span_table

_MARKS = "\"'“”‘’«»„‟`´ \n\t\r.,;:—–-…"
_CLOSERS = "\"”’'"
#: Word-identity features seen fewer times than this in train are left out of the model.
_MIN_COUNT = 5
#: Cross-validation splits averaged when choosing C and the threshold.
_REPEATS = 5


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _MARKS:
        s += 1
    while e > s and text[e - 1] in _MARKS:
        e -= 1
    return s, e


def _overlap(gold: tuple[int, int], closed: bool, pred: tuple[int, int]) -> float:
    """Character Jaccard; prefix coverage for a gold segment cut short by its annotation."""
    if closed:
        i = max(0, min(gold[1], pred[1]) - max(gold[0], pred[0]))
        u = max(gold[1], pred[1]) - min(gold[0], pred[0])
        return i / u if u else 0.0
    if abs(pred[0] - gold[0]) > 3:
        return 0.0
    cover = max(0, min(gold[1], pred[1]) - max(gold[0], pred[0])) / (gold[1] - gold[0])
    return 1.0 if cover >= 0.9 else cover * 0.5


def rows(path: Path) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """One row per candidate span, and the number of gold segments per article."""
    out: list[dict[str, Any]] = []
    gold_n: dict[str, int] = {}
    for line in path.open(encoding="utf8"):
        doc = json.loads(line)
        text = doc["text"]
        gold = []
        for q in doc["quotes"]:
            for seg in q["quote_segments"]:
                s, e = _trim(text, seg["start"], seg["end"])
                if e > s:
                    gold.append(((s, e), seg["text"].rstrip()[-1:] in _CLOSERS))
        gold_n[doc["article"]] = len(gold)
        art, draft = prepare(text, apostrophe_pairs=False)
        qs = draft.quotes
        feats = span_table(art, draft)
        spans = [_trim(text, q.start, q.end) for q in qs]
        pairs = sorted(
            ((_overlap(g, c, sp), i, j) for i, (g, c) in enumerate(gold) for j, sp in enumerate(spans)),
            reverse=True,
        )
        used_g: set[int] = set()
        label = [False] * len(qs)
        for ov, i, j in pairs:
            if ov < 0.5 - 1e-9:
                break
            if i in used_g or label[j] or spans[j][1] <= spans[j][0]:
                continue
            used_g.add(i)
            label[j] = True
        for f, y in zip(feats, label, strict=True):
            out.append({"article": doc["article"], "feats": f, "label": y})
    return out, gold_n


def f1(kept: list[bool], labels: list[bool], gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 of keeping ``kept`` against ``gold`` segments."""
    tp = sum(k and y for k, y in zip(kept, labels, strict=True))
    npred = sum(kept)
    p = tp / npred if npred else 0.0
    r = tp / gold if gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"
    )
    ap.add_argument("--out", type=Path, default=Path("models/weights/quote_spans.json"))
    args = ap.parse_args()
    data, gold_n = rows(args.data / "train.jsonl")
    counts: Counter[str] = Counter(k for r in data for k in r["feats"])
    for r in data:
        r["feats"] = {k: v for k, v in r["feats"].items() if "=" not in k or counts[k] >= _MIN_COUNT}
    gold = sum(gold_n.values())
    labels = [r["label"] for r in data]
    print(f"spans: {len(data)}, positive: {sum(labels)}, gold segments: {gold}", file=sys.stderr)
    p, r, f = f1([True] * len(data), labels, gold)
    print(f"keep all: P {p:.4f} R {r:.4f} F1 {f:.4f}", file=sys.stderr)
    arts = sorted(gold_n)
    # Five different article-grouped 5-fold splits: the F1-against-threshold curve of one split is
    # flat and noisy near its top, so C and the threshold are chosen on the curve averaged over
    # splits (the first split is the plain round-robin one).
    rng = random.Random(0)
    splits = [arts] + [rng.sample(arts, len(arts)) for _ in range(_REPEATS - 1)]

    def fit(rs: list[dict[str, Any]], c: float) -> tuple[DictVectorizer, LogisticRegression]:
        vec = DictVectorizer()
        x = vec.fit_transform([r["feats"] for r in rs])
        return vec, LogisticRegression(C=c, max_iter=3000).fit(x, [r["label"] for r in rs])

    thresholds = [round(0.2 + 0.01 * i, 2) for i in range(61)]
    best = (-1.0, 1.0, 0.5)
    for c in (0.1, 0.3, 1.0, 3.0):
        curves: list[list[tuple[float, float, float]]] = []
        for order in splits:
            fold_of = {a: i % 5 for i, a in enumerate(order)}
            probs = [0.0] * len(data)
            for k in range(5):
                tr = [r for r in data if fold_of[r["article"]] != k]
                idx = [i for i, r in enumerate(data) if fold_of[r["article"]] == k]
                vec, lr = fit(tr, c)
                ps = lr.predict_proba(vec.transform([data[i]["feats"] for i in idx]))[:, 1]
                for i, p in zip(idx, ps, strict=True):
                    probs[i] = float(p)
            curves.append([f1([x >= t for x in probs], labels, gold) for t in thresholds])
        mean = [
            tuple(sum(cv[i][m] for cv in curves) / len(curves) for m in range(3))
            for i in range(len(thresholds))
        ]
        i = max(range(len(thresholds)), key=lambda j: mean[j][2])
        p, r, f = mean[i]
        t = thresholds[i]
        print(
            f"C={c}: CV ({len(splits)} splits) best at t={t} P {p:.4f} R {r:.4f} F1 {f:.4f}",
            file=sys.stderr,
        )
        if f > best[0]:
            best = (f, c, t)
    f, c, t = best
    print(f"chosen C={c} threshold={t}: CV F1 {f:.4f}", file=sys.stderr)
    vec, lr = fit(data, c)
    weights = {
        name: round(float(w), 6)
        for name, w in zip(vec.get_feature_names_out(), lr.coef_[0], strict=True)
        if abs(w) >= 1e-4
    }
    doc = {
        "model": "logistic regression",
        "bias": round(float(lr.intercept_[0]), 6),
        "threshold": t,
        "weights": weights,
    }
    data_out = (json.dumps(doc, indent=1, sort_keys=True) + "\n").encode()
    args.out.write_bytes(data_out)
    print(f"wrote {args.out} sha256 {hashlib.sha256(data_out).hexdigest()}", file=sys.stderr)


if __name__ == "__main__":
    main()
