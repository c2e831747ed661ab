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


def report_all(args: argparse.Namespace) -> None:
    """Every table: the engine's select (prior 0, trigram blocking), then at LEAD-k's length."""
    t0 = time.time()
    meta = pickle.loads((args.data / "docs.pkl").read_bytes())
    ctx = {"src": meta["src"], "fold": meta["fold"], "lead_words": meta["lead_words"], "t0": t0, "lede": {}}
    ft: dict[str, np.ndarray] = {}
    for path in sorted(args.data.glob(f"scores_ft_e{args.epochs}_fold*.pkl")):
        ft.update(pickle.loads(path.read_bytes()))
    cv = [d for d in meta["docs"] if d["set"] in CNNDM and d["key"] in ft]
    unseen = [d for d in meta["docs"] if d["set"] in REPORT_SETS and d["key"] in ft]
    probe = probe_of(args, meta)
    print(f"{len(cv)} CV articles, {len(unseen)} never trained on ({time.time() - t0:.0f}s)", flush=True)
    today = today_rows(cv + unseen, ctx)
    report("today's scorer (the engine's max_sentences path)", today, None)
    common = {"fold": ctx["fold"], "src": ctx["src"], "lead_words": ctx["lead_words"]}
    kw = {"params": SelectionParams(position_weight=0.0), "block": True, **common}
    ft_rows = rows_of(cv + unseen, ft, **kw)
    probe_rows = rows_of(cv + unseen, probe, **kw)
    report("frozen probe, select (vs today: paired)", probe_rows, today)
    report(f"fine-tuned top layer, {args.epochs} epochs, select (vs today: paired)", ft_rows, today)
    report("fine-tuned top layer, select (vs the frozen probe: paired)", ft_rows, probe_rows)
    fixed_length(args, cv=cv, unseen=unseen, scores={"ft": ft, "probe": probe}, today=today, ctx=ctx)


def fixed_length(
    args: argparse.Namespace,
    *,
    cv: list[dict[str, Any]],
    unseen: list[dict[str, Any]],
    scores: dict[str, dict[str, np.ndarray]],
    today: Rows,
    ctx: dict[str, Any],
) -> None:
    """Selection at LEAD-k's length: every variant by CV, the one CV chooses for the fine-tuned
    scores then scored once on the sets never trained on (the probe at the same setting beside)."""
    ns = argparse.Namespace(prior=[0.0], beam=16, pool=15)
    cv_today = {g: v for g, v in today.items() if g.split(" ")[0] in CNNDM}
    ft_cv = variants(cv, scores["ft"], ns, ctx)
    probe_cv = variants(cv, scores["probe"], ns, ctx)
    for name, rows in ft_cv.items():
        report(f"CV: fine-tuned, {name} (vs today)", rows, cv_today)
        report(f"CV: fine-tuned, {name} (vs the frozen probe, same setting)", rows, probe_cv[name])
    best = chosen(ft_cv)
    print(f"\nchosen by CV for the fine-tuned scores: {best}", flush=True)
    once = variants(unseen, scores["ft"], ns, ctx)[best]
    once_probe = variants(unseen, scores["probe"], ns, ctx)[best]
    held_today = {g: v for g, v in today.items() if g in REPORT_SETS}
    report(f"never trained on: fine-tuned, {best} (vs today)", once, held_today)
    report(f"never trained on: fine-tuned, {best} (vs the frozen probe, same setting)", once, once_probe)
    report(f"never trained on: frozen probe, {best} (vs today)", once_probe, held_today)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("/tmp/finetune_selector"))
    ap.add_argument(
        "--epochs", type=int, default=2, help="which training run's scores (scores_ft_eN_fold*.pkl)"
    )
    report_all(ap.parse_args())


if __name__ == "__main__":
    main()
