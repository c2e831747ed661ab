"""Train the quote-speaker ranker (logistic regression over candidate mentions) on PolNeAR train.

usage: train_quote_ranker.py [--data DIR] [--out models/weights/quote_ranker.json]

Reads the gold jsonl files at run time only (their text never enters the repository). For each
quote the rules leave open or settle weakly, every candidate mention gets the features of
``service.engines.quotes.ranker.candidates`` and the label "overlaps the gold source span (or shares
a capitalised name word with it)". Article-grouped 5-fold cross-validation on train chooses the
regularisation and the threshold; the final model is fitted on all of train and written as JSON
with its sha256 printed (pin it in ranker.py). Needs scikit-learn (offline only).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service.engines.quotes.steps import candidate_table, prepare

_MARKS = "\"'“”‘’«»„‟`´ \n\t\r.,;:—–-…"
_PRON = {"he", "she", "they", "i", "we", "it", "him", "her", "them", "you"}
_STOP = {"mr", "mrs", "ms", "miss", "dr", "sen", "rep", "gov", "president", "the", "a", "an", "of", "and"}


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _MARKS:
        s += 1
    while e > s and text[e - 1] in _MARKS:
        e -= 1
    return s, e


def _names(x: str) -> set[str]:
    out = set()
    for raw in re.findall(r"[A-Z][A-Za-z.'’-]+", x):
        w = re.sub(r"['’]s$", "", raw).strip(".'’-").lower()
        if len(w) > 1 and w not in _STOP:
            out.add(w)
    return out


def _jacc(a: tuple[int, int], b: tuple[int, int]) -> float:
    i = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    u = max(a[1], b[1]) - min(a[0], b[0])
    return i / u if u else 0.0


def gold_segments(doc: dict[str, Any]) -> list[tuple[tuple[int, int], dict[str, Any]]]:
    """Each quote segment of a PolNeAR article (trimmed of marks) with its quote's first source."""
    text = doc["text"]
    gold = []
    for q in doc["quotes"]:
        src = q["source"][0] if q["source"] else None
        for seg in q["quote_segments"]:
            s, e = _trim(text, seg["start"], seg["end"])
            if e > s and src is not None:
                gold.append(((s, e), src))
    return gold


def rows(path: Path) -> list[dict[str, Any]]:
    """One row per (quote with a gold source, candidate list)."""
    out = []
    for line in path.open(encoding="utf8"):
        doc = json.loads(line)
        text = doc["text"]
        gold = gold_segments(doc)
        art, draft = prepare(text, apostrophe_pairs=False)
        table = candidate_table(art, draft)
        for q, attr, cands in zip(draft.quotes, draft.attrs, table, strict=True):
            if cands is None:
                continue
            span = _trim(text, q.start, q.end)
            best = max(gold, key=lambda g: _jacc(g[0], span), default=None)
            if best is None or _jacc(best[0], span) < 0.5:
                continue
            src = best[1]
            pron = src["text"].strip().lower() in _PRON
            labels = []
            for c in cands:
                m = c.mention
                ok = m.start < src["end"] and m.end > src["start"]
                if not ok and not pron and m.kind == "name":
                    # The speaker's name comes from the core ("who" stands for the name before it).
                    cs, ce = (m.core_start, m.core_end) if m.core_start >= 0 else (m.start, m.end)
                    ok = bool(_names(text[cs:ce]) & _names(src["text"]))
                labels.append(ok)
            rule = attr.mention if attr else None
            rule_ok = rule is not None and rule.start < src["end"] and rule.end > src["start"]
            if not rule_ok and rule is not None and not pron and rule.kind == "name":
                rule_ok = bool(_names(text[rule.start : rule.end]) & _names(src["text"]))
            out.append(
                {
                    "article": doc["article"],
                    "feats": [c.feats for c in cands],
                    "labels": labels,
                    "rule_ok": rule_ok,
                    "has_rule": rule is not None,
                    "how": attr.how if attr else "none",
                }
            )
    return out


def evaluate(groups: list[dict[str, Any]], probs: list[list[float]], threshold: float) -> int:
    """Correct speakers when the ranker overrides the rules above ``threshold``."""
    correct = 0
    for g, ps in zip(groups, probs, strict=True):
        if ps and max(ps) >= threshold:
            correct += g["labels"][ps.index(max(ps))]
        else:
            correct += g["rule_ok"]
    return correct


def main() -> None:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"
    )
    ap.add_argument("--out", type=Path, default=Path("models/weights/quote_ranker.json"))
    args = ap.parse_args()
    groups = rows(args.data / "train.jsonl")
    arts = sorted({g["article"] for g in groups})
    fold_of = {a: i % 5 for i, a in enumerate(arts)}
    print(f"quotes: {len(groups)}, rules right: {sum(g['rule_ok'] for g in groups)}", file=sys.stderr)

    def fit(train: list[dict[str, Any]], c: float) -> tuple[DictVectorizer, LogisticRegression]:
        vec = DictVectorizer()
        x = vec.fit_transform([f for g in train for f in g["feats"]])
        y = [lab for g in train for lab in g["labels"]]
        return vec, LogisticRegression(C=c, max_iter=2000).fit(x, y)

    def predict(
        model: tuple[DictVectorizer, LogisticRegression], gs: list[dict[str, Any]]
    ) -> list[list[float]]:
        vec, lr = model
        out = []
        for g in gs:
            out.append(list(lr.predict_proba(vec.transform(g["feats"]))[:, 1]) if g["feats"] else [])
        return out

    thresholds = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    best = (-1, 1.0, 0.0)
    for c in (0.1, 0.3, 1.0, 3.0):
        probs: list[list[float]] = [[] for _ in groups]
        for k in range(5):
            tr = [g for g in groups if fold_of[g["article"]] != k]
            idx = [i for i, g in enumerate(groups) if fold_of[g["article"]] == k]
            model = fit(tr, c)
            for i, p in zip(idx, predict(model, [groups[i] for i in idx]), strict=True):
                probs[i] = p
        scores = {t: evaluate(groups, probs, t) for t in thresholds}
        print(f"C={c}: CV correct by threshold {scores}", file=sys.stderr)
        for t, s in scores.items():
            if s > best[0]:
                best = (s, c, t)
    correct, c, t = best
    # Missing and wrong speakers both count as misses, so the threshold maximises correct speakers;
    # below it the rules' own pick (or none) stands.
    print(f"chosen C={c} threshold={t}: CV {correct}/{len(groups)} correct", file=sys.stderr)
    # The rules' outcomes differ in how often they are right, so each gets its own threshold
    # (1.01: the ranker never overrules it), chosen on the same out-of-fold probabilities.
    probs = [[] for _ in groups]
    for k in range(5):
        tr = [g for g in groups if fold_of[g["article"]] != k]
        idx = [i for i, g in enumerate(groups) if fold_of[g["article"]] == k]
        for i, p in zip(idx, predict(fit(tr, c), [groups[i] for i in idx]), strict=True):
            probs[i] = p
    per_how: dict[str, float] = {}
    total = 0
    for how in sorted({g["how"] for g in groups}):
        sel = [i for i, g in enumerate(groups) if g["how"] == how]
        scores = {
            th: evaluate([groups[i] for i in sel], [probs[i] for i in sel], th)
            for th in [*thresholds, 0.7, 0.8, 1.01]
        }
        th = max(scores, key=lambda x: (scores[x], x))
        per_how[how] = th
        total += scores[th]
        rule_right = sum(groups[i]["rule_ok"] for i in sel)
        print(f"  {how}: {len(sel)} quotes, rules {rule_right}, t={th}: {scores[th]}", file=sys.stderr)
    print(f"per-outcome thresholds: CV {total}/{len(groups)} correct", file=sys.stderr)
    vec, lr = fit(groups, c)
    weights = {
        name: round(float(w), 6) for name, w in zip(vec.get_feature_names_out(), lr.coef_[0], strict=True)
    }
    doc = {
        "model": "logistic regression",
        "bias": round(float(lr.intercept_[0]), 6),
        "threshold": t,
        "thresholds": per_how,
        "weights": weights,
    }
    data = (json.dumps(doc, indent=1, sort_keys=True) + "\n").encode()
    args.out.write_bytes(data)
    print(f"wrote {args.out} sha256 {hashlib.sha256(data).hexdigest()}", file=sys.stderr)


if __name__ == "__main__":
    main()
