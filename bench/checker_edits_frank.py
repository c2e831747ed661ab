"""The checker's claim edits on FRANK validation: where they fire, and what a veto does to the CV.

usage: .venv/bin/python bench/checker_edits_frank.py [DATA.jsonl] [--cache DIR] [--kinds name,number,...]
       [--word-anywhere]

A claim edit (``service/engines/verify/edits.py``) is a near-copy of an article sentence with one
slot changed. Printed, per edit kind and for the kinds given together (``--kinds``, default all):
how many summaries it fires on among the factual and the non-factual ones per dataset, its
precision (the share of non-factual among those it fires on) against the base rate; then the paired
cross-validation without and with the veto (``bench/checker_relations_frank.py``: shipped features
from ``make train-checker``'s cache, shipped C and vetoes, 5 folds grouped by article x seeds
13/1/2; mean, sd, range per dataset, the paired per-fold difference and how many of the 15 folds
are better and worse). The veto leaves the score,
so the AUC, as it is. Last, the same with the relation veto on both sides (as shipped before) and
the edits' veto added on one. Sentences verbatim in the article are not checked, as in the engine.
Deterministic; cost: a few seconds for the edits, about a minute of fits.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from checker_relations_frank import DEFAULT_DATA, fire_counts, load, paired_cv, summarise  # noqa: E402
from checker_relations_frank import fired as relation_fired  # noqa: E402

from service.engines.verify import edits  # noqa: E402
from service.engines.verify.edits import ArticleAlignment, claim_edits  # noqa: E402
from service.engines.verify.lexical import summary_sentences  # noqa: E402

KINDS = ("name", "number", "word", "negation")


def fired(rows: list[dict], feats: list[dict]) -> dict[str, np.ndarray]:
    """Per edit kind, per summary: whether an edit of that kind fires on a non-verbatim sentence."""
    out = {k: np.zeros(len(rows), dtype=bool) for k in KINDS}
    arts: dict[str, ArticleAlignment] = {}
    for n, (r, f) in enumerate(zip(rows, feats, strict=True)):
        art = arts.setdefault(r["hash"], ArticleAlignment(r["article"]))
        for (s, e), sent in zip(summary_sentences(r["summary"]), f["sentences"], strict=True):
            if not sent["verbatim"]:
                for edit in claim_edits(art, r["summary"][s:e]):
                    out[edit.kind][n] = True
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--cache", default=str(ROOT / "out" / "checker-cache"))
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument(
        "--word-anywhere", action="store_true", help="one word for another counts even if the article has it"
    )
    args = ap.parse_args()
    edits.WORD_ANYWHERE = args.word_anywhere
    rows, feats, y = load(Path(args.data), Path(args.cache))
    per_kind = fired(rows, feats)
    for kind, hit in per_kind.items():
        print(json.dumps({"kind": kind, "fires": fire_counts(rows, y, hit)}))
    chosen = args.kinds.split(",")
    hit = np.any([per_kind[k] for k in chosen], axis=0)
    print(
        json.dumps({"kinds": chosen, "fires": fire_counts(rows, y, hit), "summaries_fired": int(hit.sum())})
    )
    per = paired_cv(rows, feats, y, hit)
    print(json.dumps({"kinds": chosen, "cv": summarise(per), "folds_better_worse": better(per)}), flush=True)
    # As shipped: the relation veto on both sides, the edits' added on one.
    rel = relation_fired(rows, feats)
    base, added = paired_cv(rows, feats, y, rel), paired_cv(rows, feats, y, rel | hit)
    both = {d: {"without": base[d]["with"], "with": added[d]["with"]} for d in base}
    print(
        json.dumps({"on_top_of_relations": summarise(both), "folds_better_worse": better(both)}), flush=True
    )


def better(per: dict) -> dict:
    """Per dataset and metric: how many of the folds are better and worse with the veto."""
    out: dict = {}
    for d, runs in per.items():
        for key in ("ba", "precision"):
            diff = np.array([b[key] - a[key] for a, b in zip(runs["without"], runs["with"], strict=True)])
            out[f"{d}_{key}"] = [int((diff > 1e-12).sum()), int((diff < -1e-12).sum())]
    return out


if __name__ == "__main__":
    main()
