"""Why a selector that beats LEAD-k on lower-cased CNN/DM does not on cased news: linear probes over
the cached frozen sentence vectors, read per source and per set.

The probe of the issue, replicated: logistic regression on each unit's frozen MiniLM vector and
position buckets (one-hot, 0..10 and 11+), optionally the engine's 30 features (all, or without
the four that read capitals), trained on the greedy oracle's units of the CNN/DM training articles
(lower-cased and cased together), k units by the engine's ``select`` with trigram blocking, a
position prior and an optional length bonus (``+ b * log(words)``). Today's scorer (its own
selection parameters, no blocking) and the first k units are scored beside it.

Rows: every CNN/DM article by 5-fold CV grouped by article (bench/train_selector.py's folds, seed
13), split by source (a CNN story names CNN in its first 60 characters, otherwise Daily Mail)
and by file (``cnndm_train`` holds the first 1,000 stories of the train split, 2007 CNN;
``cnndm_val`` 2015 CNN), and the sets never trained on (FRANK validation CNN/DM and XSum, SummEval,
writers) scored by the model fitted on every training article. Cells: R1 F delta against LEAD-k
(budget_eval's splitter and k), its se, the fold spread, the R1 recall delta, the words chosen
against LEAD-k's, and the F delta's difference from today's scorer with its paired se.

Data: bench/selector_data.py's cache (``--cache``; make train-selector). One thread, ~3 min.

``--target matched`` trains on a length-matched oracle (most R1 matches in k sentences within
LEAD-k's words), ``recall`` on each unit's own R1 recall (ridge); ``--lowered DIR`` also scores
lower-cased copies of FRANK, SummEval and writers (bench/selector_data.py --lower), to separate
what case costs from what the sets cost.

usage: python bench/selector_probe.py --cache DIR [--features none|blind|all] [--target T]
       [--prior W ...] [--bonus B ...] [--lowered DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
from sklearn.linear_model import LogisticRegression, Ridge

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.selector_data import FILES, ref_sents  # noqa: E402
from bench.train_selector import CV_ONLY_SETS, REPORT_SETS, TRAIN_SETS, choose, deltas, folds_of, load  # noqa: E402
from models.registry import SCORER, load_json_model  # noqa: E402
from service.engines.summarizer.features import FEATURE_NAMES  # noqa: E402
from service.engines.summarizer.scorer import SentenceScorer  # noqa: E402
from service.engines.summarizer.selection import SelectionParams  # noqa: E402

CNNDM = ("cnndm_train", "cnndm_val", "cnndm_lc")
#: Sets whose lower-cased copies (bench/selector_data.py --lower) ``--lowered`` reads.
LOWERED = ("frank", "summeval", "writers")
#: Features that read capital letters (degenerate on lower-cased text).
CASED = {"capitalised", "caption_like", "doc_glued", "lex_names_recur"}
POSITIONS = 12
Row = tuple[int, float, float, int, int]


def sources() -> tuple[dict[str, str], dict[str, int]]:
    """Each CNN/DM article's source ("cnn" or "dm") and every article's LEAD-k length in words."""
    src: dict[str, str] = {}
    lead_words: dict[str, int] = {}
    for name, path in FILES.items():
        with open(path, encoding="utf8") as fh:
            for line in fh:
                row = json.loads(line)
                key = f"{name}:{row['hash']}"
                k = min(5, max(1, len(ref_sents(row["reference"]))))
                lead_words[key] = len(" ".join(ref_sents(row["article"])[:k]).split())
                if name in LOWERED:
                    low = min(5, max(1, len(ref_sents(row["reference"].lower()))))
                    lead_words[f"lc{key}"] = len(" ".join(ref_sents(row["article"].lower())[:low]).split())
                if name in CNNDM:
                    src[key] = "cnn" if "cnn" in row["article"][:60].lower() else "dm"
    return src, lead_words


def inputs(d: dict[str, Any], features: str) -> np.ndarray:
    """[vector, position one-hot, features] of each unit."""
    n = len(d["words"])
    pos = np.zeros((n, POSITIONS), np.float32)
    pos[np.arange(n), np.minimum(np.arange(n), POSITIONS - 1)] = 1.0
    parts = [d["emb"], pos]
    if features != "none":
        keep = [
            i for i, f in enumerate(FEATURE_NAMES) if f != "bias" and (features == "all" or f not in CASED)
        ]
        parts.append(d["feats"][:, keep])
    return np.hstack(parts).astype(np.float32)


def overlap(d: dict[str, Any], units: list[int]) -> int:
    """ROUGE-1 matches of the joined units with the reference (clipped counts)."""
    cand = Counter(w for i in units for w in d["ut"][i])
    return sum(min(v, d["rt"][w]) for w, v in cand.items())


def matched_oracle(d: dict[str, Any], budget: float) -> np.ndarray:
    """Greedy units of most R1 matches, k sentences at most and no more words than ``budget``
    (LEAD-k's words): a label that gains only by content, never by length."""
    taken: list[int] = []
    used = words = 0
    while used < d["k"]:
        base = overlap(d, taken)
        gains = [
            (overlap(d, [*taken, i]) - base, i)
            for i in range(len(d["words"]))
            if i not in taken and d["sizes"][i] <= d["k"] - used and words + d["words"][i] <= budget
        ]
        gain, best = max(gains, default=(0, -1))
        if gain <= 0:
            break
        taken.append(best)
        used, words = used + d["sizes"][best], words + d["words"][best]
    y = np.zeros(len(d["words"]), np.float32)
    y[taken] = 1.0
    return y


def target(d: dict[str, Any], kind: str, lead_words: dict[str, int]) -> np.ndarray:
    """Each unit's training target: the greedy oracle's units, the length-matched oracle's, or
    (``recall``, fitted by ridge) the unit's own R1 recall of the reference."""
    if kind == "oracle":
        return (d["oracle"] > 0).astype(np.float32)
    if kind == "matched":
        return matched_oracle(d, lead_words[d["key"]])
    total = max(1, sum(d["rt"].values()))
    return np.asarray([overlap(d, [i]) / total for i in range(len(d["words"]))], np.float32)


class Probe:
    """Standardised logistic regression on 0/1 targets, ridge on soft ones."""

    def __init__(self, x: np.ndarray, y: np.ndarray, c: float) -> None:
        self.mean, self.std = x.mean(axis=0), x.std(axis=0) + 1e-6
        z = (x - self.mean) / self.std
        soft = bool(np.any((y > 0) & (y < 1)))
        self.model = (
            Ridge(alpha=1.0 / c).fit(z, y) if soft else LogisticRegression(C=c, max_iter=300).fit(z, y > 0)
        )

    def score(self, x: np.ndarray) -> np.ndarray:
        z = (x - self.mean) / self.std
        out = self.model.predict(z) if isinstance(self.model, Ridge) else self.model.decision_function(z)
        return np.asarray(out, dtype=np.float32)


def group(d: dict[str, Any], src: dict[str, str]) -> str:
    """The row an article is reported under."""
    if d["set"] == "cnndm_lc":
        return f"cnndm_lc ({src[d['key']]})"
    if d["set"] in CNNDM:
        return f"{d['set']} ({src[d['key']]})"
    return str(d["set"])


def rows_of(
    docs: list[dict[str, Any]],
    scores: dict[str, np.ndarray],
    fold: dict[str, int],
    src: dict[str, str],
    **kw: Any,
) -> dict[str, dict[str, Row]]:
    """Per group, per article: (fold, F delta, recall delta, words, LEAD-k words)."""
    out: dict[str, dict[str, Row]] = {}
    for d in docs:
        s = scores[d["key"]]
        if kw.get("bonus"):
            s = s + np.float32(kw["bonus"]) * np.log(np.asarray(d["words"], np.float32))
        picks = choose(d, s, kw["params"], kw["block"])
        f, r = deltas(d, picks)
        words = sum(d["words"][i] for i in picks)
        out.setdefault(group(d, src), {})[d["key"]] = (
            fold.get(d["key"], 0),
            f,
            r,
            words,
            kw["lead_words"][d["key"]],
        )
    return out


def report(title: str, rows: dict[str, dict[str, Row]], base: dict[str, dict[str, Row]] | None) -> None:
    """One markdown table."""
    head = (
        "| rows | n | R1 F - LEAD-k | se | fold std | R1 recall - LEAD-k | words / LEAD-k | vs today (se) |"
    )
    print(f"\n{title}\n{head}")
    print("|---|---|---|---|---|---|---|---|")
    for name in sorted(rows):
        keys = sorted(rows[name])
        a = np.asarray([rows[name][k] for k in keys], dtype=np.float64)
        f = a[:, 1]
        folds = [f[a[:, 0] == k].mean() for k in sorted(set(a[:, 0].astype(int)))]
        spread = f"{np.std(folds):.2f}" if len(folds) > 1 else "-"
        vs = "-"
        if base is not None and name in base:
            diff = f - np.asarray([base[name][k][1] for k in keys])
            vs = f"{diff.mean():+.2f} ({diff.std(ddof=1) / np.sqrt(len(diff)):.2f})"
        print(
            f"| {name} | {len(f)} | {f.mean():+.2f} | {f.std(ddof=1) / np.sqrt(len(f)):.2f} | {spread} | "
            f"{a[:, 2].mean():+.2f} | {a[:, 3].mean():.1f} / {a[:, 4].mean():.1f} | {vs} |"
        )


def probe_scores(
    docs: list[dict[str, Any]],
    train: list[dict[str, Any]],
    fold: dict[str, int],
    args: argparse.Namespace,
    lead_words: dict[str, int],
) -> dict[str, np.ndarray]:
    """Each article's unit scores: CV-fold models for training styles, the full fit for the rest."""
    x = {d["key"]: inputs(d, args.features) for d in docs}
    y = {d["key"]: target(d, args.target, lead_words) for d in train}
    scores: dict[str, np.ndarray] = {}
    for k in [*range(args.folds), -1]:
        fit_on = [d for d in train if fold[d["key"]] != k]
        random.Random(k).shuffle(fit_on)
        fit_on = fit_on[: max(1, round(args.fraction * len(fit_on)))]
        probe = Probe(
            np.vstack([x[d["key"]] for d in fit_on]), np.concatenate([y[d["key"]] for d in fit_on]), args.c
        )
        for d in docs:
            if (k >= 0 and fold.get(d["key"]) == k) or (k < 0 and d["key"] not in fold):
                scores[d["key"]] = probe.score(x[d["key"]])
    return scores


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/content_selector_cache"))
    ap.add_argument("--dtype", default="int8")
    ap.add_argument("--features", choices=("none", "blind", "all"), default="all")
    ap.add_argument("--c", type=float, default=1.0, help="inverse L2 strength of the logistic regression")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--prior", type=float, nargs="+", default=[0.0, 0.5, 1.0])
    ap.add_argument("--bonus", type=float, nargs="+", default=[0.0, 0.5])
    ap.add_argument("--fraction", type=float, default=1.0, help="share of each fold's training articles used")
    ap.add_argument("--target", choices=("oracle", "matched", "recall"), default="oracle")
    ap.add_argument("--lowered", type=Path, help="a cache of bench/selector_data.py --lower (scored too)")
    args = ap.parse_args()
    t0 = time.time()
    docs = load(args.cache, args.dtype) + (load(args.lowered, args.dtype) if args.lowered else [])
    src, lead_words = sources()
    train = [d for d in docs if d["set"] in CNNDM]
    scored = (*TRAIN_SETS, *CV_ONLY_SETS, *REPORT_SETS, *(f"lc-{s}" for s in REPORT_SETS))
    shown = [d for d in docs if d["set"] in scored and d["set"] != "bbc"]
    fold = folds_of([d for d in docs if d["set"] in TRAIN_SETS + CV_ONLY_SETS], args.folds, 13)
    fold = {k: v for k, v in fold.items() if k.split(":", 1)[0] in CNNDM}
    print(f"{len(train)} training articles, {len(shown)} scored ({time.time() - t0:.0f}s)", flush=True)
    common = {"fold": fold, "src": src, "lead_words": lead_words}
    scorer = load_json_model(SCORER, SentenceScorer.from_dict)
    assert scorer is not None
    today: dict[str, dict[str, Row]] = {}
    first: dict[str, dict[str, Row]] = {}
    for d in shown:
        one = {d["key"]: scorer.score(d["feats"])}
        params = scorer.selection_for(d["feats"])
        for name, rows in rows_of([d], one, params=params, block=False, **common).items():
            today.setdefault(name, {}).update(rows)
        lead = {d["key"]: -np.arange(len(d["words"]), dtype=np.float32)}
        for name, rows in rows_of([d], lead, params=SelectionParams(), block=False, **common).items():
            first.setdefault(name, {}).update(rows)
    report("today's scorer (the engine's max_sentences path)", today, None)
    report("the first k units", first, today)
    scores = probe_scores(shown, train, fold, args, lead_words)
    for prior in args.prior:
        for bonus in args.bonus:
            params = SelectionParams(position_weight=prior)
            rows = rows_of(shown, scores, params=params, block=True, bonus=bonus, **common)
            title = f"probe [vector, position, features={args.features}] on {args.target}"
            title += f", prior {prior}, length bonus {bonus}"
            report(f"{title} ({time.time() - t0:.0f}s)", rows, today)


if __name__ == "__main__":
    main()
