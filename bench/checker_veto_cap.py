"""Does capping a vetoed sentence's score (so the summary score agrees with the veto) rank FRANK's
summaries better? Paired grouped CV against the shipped checker, as `make train-checker` trains it.

usage: .venv/bin/python bench/checker_veto_cap.py [DATA.jsonl] [--cache DIR]

Today a sentence with a vetoed problem (a number the article lacks, a quotation not in it, a
negation) is unsupported whatever its score, but its score still enters the summary's geometric
mean as the head gave it, so a vetoed summary can outrank a supported one. Variants, each with the
shipped C and veto per head (chosen again by train_summary_checker.choose, which the cap does not
change: it leaves ``supported``): a vetoed sentence's score capped at the head's threshold (just
below what passes), or at 0.1. Only the AUC can move. Printed per dataset: mean AUC and mean ± sd
of the per-fold difference over the 15 folds (5 folds grouped by article × seeds 13, 1, 2).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bench.train_summary_checker as T  # noqa: E402
from service.engines.verify.head import CheckerHead, summary_score  # noqa: E402

#: Cap name -> the score a vetoed sentence keeps at most, given its head.
CAPS = {"threshold": lambda head: head.threshold - 1e-3, "0.1": lambda head: 0.1}


def capped_ranking(cap):
    """train_summary_checker.ranking_scores with vetoed sentences' scores capped by ``cap``."""

    def ranking_scores(head: CheckerHead, feats: list[dict]) -> np.ndarray:
        out = []
        for f in feats:
            ss = []
            for s in f["sentences"]:
                sc = 1.0 if s["verbatim"] else head.score(s["values"])
                if not s["verbatim"] and any(k in head.veto for k in s["kinds"]):
                    sc = min(sc, cap(head))
                ss.append(sc)
            out.append(summary_score(ss))
        return np.array(out)

    return ranking_scores


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(T.DEFAULT_DATA))
    ap.add_argument("--cache", default=str(ROOT / "out" / "checker-cache"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seeds", type=int, nargs="+", default=[13, 1, 2])
    args = ap.parse_args()
    rows = [json.loads(line) for line in Path(args.data).read_text().splitlines() if line.strip()]
    feats = T.featurise(rows, Path(args.cache))
    y = np.array([int(r["factual"]) for r in rows])
    setting = T.choose(rows, feats, y, args.folds, args.seeds)
    base, _, _ = T.cross_validate(rows, feats, y, setting, k=args.folds, seeds=args.seeds)
    shipped_ranking = T.ranking_scores
    out: dict = {"chosen": {r: {"C": c, "veto": list(v)} for r, (c, v) in setting.items()}}
    for name, cap in CAPS.items():
        T.ranking_scores = capped_ranking(cap)  # type: ignore[assignment]
        per, _, _ = T.cross_validate(rows, feats, y, setting, k=args.folds, seeds=args.seeds)
        T.ranking_scores = shipped_ranking  # type: ignore[assignment]
        out[f"cap at {name}"] = {}
        for d in base:
            a = np.array([m["auc"] for m in base[d]])
            b = np.array([m["auc"] for m in per[d]])
            ba_same = all(m["ba"] == n["ba"] for m, n in zip(base[d], per[d], strict=True))
            out[f"cap at {name}"][d] = {
                "auc": [round(float(a.mean()), 3), round(float(b.mean()), 3)],
                "delta": round(float((b - a).mean()), 3),
                "sd": round(float((b - a).std()), 3),
                "folds_better": int((b > a).sum()),
                "folds_worse": int((b < a).sum()),
                "balanced_accuracy_unchanged": ba_same,
            }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
