"""The checker's relation problems on FRANK validation: where they fire, and what they do to the CV.

usage: .venv/bin/python bench/checker_relations_frank.py [DATA.jsonl] [--cache DIR]

A relation problem (``service/engines/verify/relations.py``) makes a sentence unsupported whatever
its score, so it must fire on summaries people judged non-factual. Printed:

1. per dataset, how many summaries it fires on among the factual and the non-factual ones, its
   precision (the share of non-factual among those it fires on) and the base rate of non-factual
   summaries (the precision of firing at random);
2. the paired cross-validation of the whole checker without and with the veto: the shipped
   features from the checker's feature cache (``bench/train_summary_checker.py --features-only
   --cache DIR``), the shipped C and vetoes, 5 folds grouped by article x seeds 13/1/2 (the folds of
   ``make train-checker``), per dataset the folds' mean, sd and range of balanced accuracy,
   precision of ``supported`` and ROC AUC of the summary score (the geometric mean of its
   sentences', as the engine), and the paired per-fold difference. The veto leaves the score (so
   the AUC) as it is. Sentences verbatim in the article are not checked, as in the engine.
Deterministic; cost: a few seconds for the relations, about a minute of fits.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from service.engines.verify.lexical import summary_sentences  # noqa: E402
from service.engines.verify.relations import ArticleTokens, relation_issues  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "faithfulness" / "frank_validation.jsonl"


def fired(rows: list[dict], feats: list[dict]) -> np.ndarray:
    """Per summary: whether a relation problem fires on one of its non-verbatim sentences."""
    out = np.zeros(len(rows), dtype=bool)
    arts: dict[str, ArticleTokens] = {}
    for n, (r, f) in enumerate(zip(rows, feats, strict=True)):
        art = arts.setdefault(r["hash"], ArticleTokens(r["article"]))
        spans = summary_sentences(r["summary"])
        out[n] = any(
            not sent["verbatim"] and relation_issues(art, r["summary"][s:e])
            for (s, e), sent in zip(spans, f["sentences"], strict=True)
        )
    return out


def fire_counts(rows: list[dict], y: np.ndarray, hit: np.ndarray) -> dict:
    """Per dataset: fires among factual / non-factual, precision and the non-factual base rate."""
    ds = np.array([r["dataset"] for r in rows])
    out = {}
    for d in sorted(set(ds)):
        m = ds == d
        bad = m & (y == 0)
        out[d] = {
            "fires_on_factual": f"{int((hit & m & (y == 1)).sum())} of {int((m & (y == 1)).sum())}",
            "fires_on_non_factual": f"{int((hit & bad).sum())} of {int(bad.sum())}",
            "precision": round(float((hit & bad).sum() / max((hit & m).sum(), 1)), 3),
            "base_rate_non_factual": round(float(bad.sum() / m.sum()), 3),
        }
    return out


def paired_cv(rows, feats, y, hit, *, k=5, seeds=(13, 1, 2)):
    """Per dataset, each held-out fold's metrics without and with the relation veto."""
    import train_summary_checker as T

    shipped = json.loads(T.WEIGHTS.read_text())["heads"]
    setting = {name: (h["C"], tuple(h["veto"])) for name, h in shipped.items()}
    x, reg = T.design(feats), T.regimes(feats)
    ds = np.array([r["dataset"] for r in rows])
    per: dict[str, dict[str, list[dict]]] = {}
    for seed in seeds:
        folds = np.array(T.folds_of(rows, k, seed))
        for fold in range(k):
            train, test = folds != fold, folds == fold
            score, sup = np.zeros(len(rows)), np.zeros(len(rows), dtype=bool)
            for name, (c, veto) in setting.items():
                tr, te = train & (reg == name), test & (reg == name)
                if not te.any():
                    continue
                head = T.fit_head(x[tr], y[tr], [feats[i] for i in np.flatnonzero(tr)], c, veto)
                weakest, vetoed = T.summary_scores(head, [feats[i] for i in np.flatnonzero(te)], veto)
                sup[te] = (weakest >= head.threshold) & ~vetoed
                score[te] = [
                    gmean([1.0 if s["verbatim"] else head.score(s["values"]) for s in feats[i]["sentences"]])
                    for i in np.flatnonzero(te)
                ]
            for d in sorted(set(ds)):
                m = test & (ds == d)
                per.setdefault(d, {"without": [], "with": []})
                per[d]["without"].append(T.metrics(y[m], sup[m], score[m]))
                per[d]["with"].append(T.metrics(y[m], sup[m] & ~hit[m], score[m]))
    return per


def gmean(scores: list[float]) -> float:
    """The summary score as the engine makes it: the geometric mean of its sentences'."""
    return float(np.exp(np.mean(np.log(np.maximum(scores, 1e-6)))))


def summarise(per: dict) -> dict:
    """Mean, sd, range of each metric without and with the veto, and the paired difference."""

    def stats(v: np.ndarray) -> list[float]:
        return [round(float(f(v)), 3) for f in (np.nanmean, np.nanstd, np.nanmin, np.nanmax)]

    out: dict = {}
    for d, runs in per.items():
        out[d] = {}
        for key in ("ba", "precision", "auc"):
            a = np.array([m[key] for m in runs["without"]])
            b = np.array([m[key] for m in runs["with"]])
            diff = b - a
            out[d][key] = {
                "without": stats(a),
                "with": stats(b),
                "diff": [round(float(np.nanmean(diff)), 4), round(float(np.nanstd(diff)), 4)],
            }
    return out


def load(data: Path, cache: Path) -> tuple[list[dict], list[dict], np.ndarray]:
    """FRANK's rows, each one's cached checker features (``make train-checker``'s cache) and its
    factual label."""
    rows = [json.loads(line) for line in data.read_text().splitlines() if line.strip()]
    cached = {}
    for line in (cache / "checker_features.jsonl").read_text().splitlines():
        d = json.loads(line)
        cached[d["id"]] = d
    feats = [cached[r["id"]] for r in rows]
    return rows, feats, np.array([int(r["factual"]) for r in rows])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--cache", default=str(ROOT / "out" / "checker-cache"))
    args = ap.parse_args()
    rows, feats, y = load(Path(args.data), Path(args.cache))
    hit = fired(rows, feats)
    print(json.dumps({"fires": fire_counts(rows, y, hit), "summaries_fired": int(hit.sum())}))
    kinds = Counter(r["model"] for r, h in zip(rows, hit, strict=True) if h)
    print(json.dumps({"fired_by_system": dict(kinds)}))
    print(json.dumps({"cv": summarise(paired_cv(rows, feats, y, hit))}), flush=True)


if __name__ == "__main__":
    main()
