"""The tables of bench/finetune_selector.py --report: the fine-tuned top layer's unit scores against
the frozen probe (bench/selector_probe.py's logistic regression over [frozen vector, position, 30
features], fitted on the same articles and folds) and today's sentence scorer, with the probes'
harness (bench/selector_probe.py's rows and tables, bench/selector_fixed_length.py's selection at
LEAD-k's length, its setting chosen by CV alone and then scored once on the sets never trained on).

usage: python bench/finetune_selector_report.py --data DIR [--epochs N]  (one thread, ~5 min)
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.selector_fixed_length import chosen, row, variants  # noqa: E402
from bench.selector_probe import CNNDM, Row, group, probe_scores, report, rows_of  # noqa: E402
from bench.train_selector import REPORT_SETS, choose  # noqa: E402
from models.registry import SCORER, load_json_model  # noqa: E402
from service.engines.summarizer.scorer import SentenceScorer  # noqa: E402
from service.engines.summarizer.selection import SelectionParams  # noqa: E402

Rows = dict[str, dict[str, Row]]


def today_rows(docs: list[dict[str, Any]], ctx: dict[str, Any]) -> Rows:
    """Today's scorer through the engine's max_sentences path (its own selection, no blocking)."""
    scorer = load_json_model(SCORER, SentenceScorer.from_dict)
    assert scorer is not None
    out: Rows = {}
    for d in docs:
        picks = choose(d, scorer.score(d["feats"]), scorer.selection_for(d["feats"]), False)
        out.setdefault(group(d, ctx["src"]), {})[d["key"]] = row(d, picks, ctx["fold"], ctx["lead_words"])
    return out


def probe_of(args: argparse.Namespace, meta: dict[str, Any]) -> dict[str, np.ndarray]:
    """The frozen probe's unit scores on the same articles and folds (cached in the data folder)."""
    path = args.data / "scores_probe.pkl"
    if path.exists():
        cached: dict[str, np.ndarray] = pickle.loads(path.read_bytes())
        return cached
    folds = max(meta["fold"].values()) + 1
    ns = argparse.Namespace(features="all", target="oracle", folds=folds, fraction=1.0, c=1.0)
    train = [d for d in meta["docs"] if d["set"] in CNNDM]
    shown = [d for d in meta["docs"] if d["key"] in meta["fold"] or d["set"] in REPORT_SETS]
    scores = probe_scores(shown, train, meta["fold"], ns, meta["lead_words"])
    path.write_bytes(pickle.dumps(scores))
    return scores


def kept_scores(args: argparse.Namespace, tag: str) -> dict[str, np.ndarray]:
    """The unit scores of bench/finetune_selector.py's run ``tag`` (every fold and the refit)."""
    out: dict[str, np.ndarray] = {}
    for path in sorted(args.data.glob(f"scores_{tag}_e{args.epochs}_*.pkl")):
        out.update(pickle.loads(path.read_bytes()))
    return out


def report_all(args: argparse.Namespace) -> None:
    """Every table: the engine's select (prior 0, trigram blocking), then at LEAD-k's length."""
    t0 = time.time()
    meta = pickle.loads((args.data / "docs.pkl").read_bytes())
    ctx = {"src": meta["src"], "fold": meta["fold"], "lead_words": meta["lead_words"], "t0": t0, "lede": {}}
    scores = {"fine-tuned": kept_scores(args, "ft"), "probe": probe_of(args, meta)}
    frozen = kept_scores(args, "frozen")
    if frozen and set(scores["fine-tuned"]) <= set(frozen):
        scores["frozen layer, same head"] = frozen
    ft = scores["fine-tuned"]
    cv = [d for d in meta["docs"] if d["set"] in CNNDM and d["key"] in ft]
    unseen = [d for d in meta["docs"] if d["set"] in REPORT_SETS and d["key"] in ft]
    print(f"{len(cv)} CV articles, {len(unseen)} never trained on ({time.time() - t0:.0f}s)", flush=True)
    today = today_rows(cv + unseen, ctx)
    report("today's scorer (the engine's max_sentences path)", today, None)
    common = {"fold": ctx["fold"], "src": ctx["src"], "lead_words": ctx["lead_words"]}
    kw = {"params": SelectionParams(position_weight=0.0), "block": True, **common}
    rows = {name: rows_of(cv + unseen, s, **kw) for name, s in scores.items()}
    for name, r in rows.items():
        report(f"{name}, select (vs today: paired)", r, today)
    for name, r in rows.items():
        if name != "fine-tuned":
            report(f"fine-tuned, select (vs {name}: paired)", rows["fine-tuned"], r)
    fixed_length(cv=cv, unseen=unseen, scores=scores, today=today, ctx=ctx)


def fixed_length(
    *,
    cv: list[dict[str, Any]],
    unseen: list[dict[str, Any]],
    scores: dict[str, dict[str, np.ndarray]],
    today: Rows,
    ctx: dict[str, Any],
) -> None:
    """Selection at LEAD-k's length: every variant by CV, the one CV chooses for the fine-tuned
    scores then scored once on the sets never trained on (the other scores at the same setting)."""
    ns = argparse.Namespace(prior=[0.0], beam=16, pool=15)
    cv_today = {g: v for g, v in today.items() if g.split(" ")[0] in CNNDM}
    by_cv = {name: variants(cv, s, ns, ctx) for name, s in scores.items()}
    for setting, rows in by_cv["fine-tuned"].items():
        report(f"CV: fine-tuned, {setting} (vs today)", rows, cv_today)
        for name in by_cv:
            if name != "fine-tuned":
                report(f"CV: fine-tuned, {setting} (vs {name}, same setting)", rows, by_cv[name][setting])
    best = chosen(by_cv["fine-tuned"])
    print(f"\nchosen by CV for the fine-tuned scores: {best}", flush=True)
    for name in by_cv:
        if name != "fine-tuned":
            report(f"CV: {name}, {best} (vs today)", by_cv[name][best], cv_today)
    if not unseen:
        return
    once = {name: variants(unseen, s, ns, ctx)[best] for name, s in scores.items()}
    held_today = {g: v for g, v in today.items() if g in REPORT_SETS}
    for name, rows in once.items():
        report(f"never trained on: {name}, {best} (vs today)", rows, held_today)
    for name, rows in once.items():
        if name != "fine-tuned":
            report(
                f"never trained on: fine-tuned, {best} (vs {name}, same setting)", once["fine-tuned"], rows
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("/tmp/finetune_selector"))
    ap.add_argument(
        "--epochs", type=int, default=2, help="which training run's scores (scores_ft_eN_fold*.pkl)"
    )
    report_all(ap.parse_args())


if __name__ == "__main__":
    main()
