"""Train the summary ranker (service/engines/summarizer/reranker.py) on the training articles of every
reference style, styles balanced, and judge its length policy on all styles at once.

usage: .venv/bin/python bench/train_summary_ranker_styles.py [--per-style 1500] [--cache DIR]
       [--folds 5] [--fold-seeds 13] [--firsts 6] [--temperatures 5 10 20] [--targets mix]
       [--refit-with-eval-sets] [--write]

Data (bench/summary_styles.py, read at run time): ../shared/data/summaries/train/ in four styles
(highlights, lowercase highlights, one sentence, long extractive), each subsampled to
``--per-style`` articles, encoded exactly as the engine encodes them in the precision the engine
uses on this host. Every candidate summary gets the label of bench/train_summary_ranker.py
(ROUGE-1 + ROUGE-2/2 F against the one reference). Each STYLE weighs the same in the listwise loss
(an article weighs 1 / its style's count), so the length the model prefers is a compromise judged on
all styles at once; settings are chosen on the mean over styles of R1 + R2/2.

Printed, in this order:
1. the length question: per style and per evaluation set, the reference's words and sentences, and
   LEAD-3's and the shipped ranker's words and R1 (the shipped ranker never saw the training styles;
   it was fitted on the evaluation sets, so its figures there are in-sample);
2. nested cross-validation grouped by article over the training styles (the setting used on fold k
   is the best on the other folds' held-out articles): per style R1/R2 of the new model, LEAD-3 and
   the shipped ranker, R1 - LEAD-3 with the fold spread, and words chosen against reference words;
3. the model fitted on the training styles only, with the setting best over every held-out article,
   scored ONCE on the four evaluation sets (FRANK CNN/DM, FRANK XSum, SummEval, writers) against
   LEAD-3 and the shipped ranker, with the standard error of the paired difference.
``--write`` refits on the training styles (and, with ``--refit-with-eval-sets``, the evaluation sets
as one more style) and writes models/weights/summary_ranker.json (sha256 printed).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench.summary_data import REPORTED_SETS, Doc, Variant, lead3, prepare, rouge  # noqa: E402
from bench.summary_styles import (  # noqa: E402
    DEFAULT_CACHE,
    STYLES,
    balance,
    prepare_styles,
    sentence_count,
    style_folds,
)
from bench.train_summary_ranker import Prepared, Setting, fit, nested, objective, prepare_candidates, write  # noqa: E402
from service.engines.summarizer.reranker import SummaryRanker  # noqa: E402

Row = tuple[float, float, float]


def pick(model: SummaryRanker, p: Prepared) -> tuple[int, ...]:
    """The candidate the model chooses."""
    return p.cands[int(np.argmax(model.score(p.x)))]


def summary_of(d: Doc, chosen: tuple[int, ...]) -> str:
    return " ".join(d.sents[j] for j in chosen)


def held_out(
    docs: list[Doc],
    prep: dict[int, list[Prepared]],
    folds: list[int],
    settings: list[Setting],
    k: int,
    *,
    styles: set[str],
) -> tuple[dict[Setting, list[Row]], dict[Setting, list[int]]]:
    """Per setting, every article's ROUGE (R1, R2, 0) and words under the model of the other folds
    (trained on their articles of ``styles``)."""
    weight = balance(docs, styles)
    scores: dict[Setting, list[Row]] = {}
    words: dict[Setting, list[int]] = {}
    for s in settings:
        rows: list[Row] = [(0.0, 0.0, 0.0)] * len(docs)
        size = [0] * len(docs)
        for f in range(k):
            train = [i for i, g in enumerate(folds) if g != f and weight[i] > 0]
            model = fit([prep[s[0]][i] for i in train], *s, weight=weight[train])
            for i, d in enumerate(docs):
                if folds[i] == f:
                    chosen = pick(model, prep[s[0]][i])
                    rows[i] = rouge(d.reference, summary_of(d, chosen), lcs=False)
                    size[i] = sum(d.words[j] for j in chosen)
        scores[s], words[s] = rows, size
    return scores, words


def baselines(
    docs: list[Doc], shipped: SummaryRanker, prep: list[Prepared] | None = None
) -> tuple[list[Row], list[Row], list[int], list[int]]:
    """LEAD-3's and the shipped ranker's ROUGE and words, per article (``prep``: the articles'
    candidates for the shipped ranker's ``first``, when already prepared)."""
    lead_rows, ship_rows, lead_words, ship_words = [], [], [], []
    for i, d in enumerate(docs):
        lead = lead3(d.article)
        lead_rows.append(rouge(d.reference, lead, lcs=False))
        lead_words.append(len(lead.split()))
        chosen = pick(shipped, prep[i] if prep else prepare_candidates(d, shipped.first))
        ship_rows.append(rouge(d.reference, summary_of(d, chosen), lcs=False))
        ship_words.append(sum(d.words[j] for j in chosen))
    return lead_rows, ship_rows, lead_words, ship_words


def length_table(docs: list[Doc], base: tuple[list[Row], list[Row], list[int], list[int]]) -> None:
    """The length question per style / set: reference, LEAD-3 and shipped ranker."""
    lead_rows, ship_rows, lead_words, ship_words = base
    print(
        "| style / set | n | reference words (median) | reference sentences (median) | LEAD-3 words "
        "| LEAD-3 R1 | shipped ranker words | shipped ranker R1 | shipped - LEAD-3 |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name in dict.fromkeys(d.set for d in docs):
        idx = [i for i, d in enumerate(docs) if d.set == name]
        ref_w = np.median([len(docs[i].reference.split()) for i in idx])
        ref_s = np.median([sentence_count(docs[i].reference) for i in idx])
        lr1 = np.mean([lead_rows[i][0] for i in idx])
        sr1 = np.mean([ship_rows[i][0] for i in idx])
        lw = np.median([lead_words[i] for i in idx])
        print(
            f"| {name} | {len(idx)} | {ref_w:.0f} | {ref_s:.0f} | {lw:.0f} "
            f"| {lr1:.2f} | {np.median([ship_words[i] for i in idx]):.0f} | {sr1:.2f} | {sr1 - lr1:+.2f} |",
            flush=True,
        )


def cv_table(
    docs: list[Doc],
    runs: list[tuple[list[Row], list[int], list[int]]],
    base: tuple[list[Row], list[Row], list[int], list[int]],
    k: int,
) -> None:
    """Nested CV per style: new model against LEAD-3 and the shipped ranker, fold spread, words."""
    lead_rows, ship_rows, _, ship_words = base
    print(
        "| style | n | model R1/R2 | LEAD-3 R1/R2 | shipped R1/R2 | model - LEAD-3 (fold std) "
        "| model - shipped | words: model / shipped / reference |"
    )
    print("|---|---|---|---|---|---|---|---|")
    means = []
    for name in dict.fromkeys(d.set for d in docs):
        idx = [i for i, d in enumerate(docs) if d.set == name]
        model = np.mean([[rows[i][:2] for i in idx] for rows, _, _ in runs], axis=(0, 1))
        lead = np.mean([lead_rows[i][:2] for i in idx], axis=0)
        ship = np.mean([ship_rows[i][:2] for i in idx], axis=0)
        per_fold = [
            np.mean([rows[i][0] - lead_rows[i][0] for i in idx if folds[i] == f])
            for rows, folds, _ in runs
            for f in range(k)
        ]
        words = np.median([[size[i] for i in idx] for _, _, size in runs])
        ref_w = np.median([len(docs[i].reference.split()) for i in idx])
        means.append((model[0] - lead[0], model[0] - ship[0]))
        print(
            f"| {name} | {len(idx)} | {model[0]:.2f} / {model[1]:.2f} | {lead[0]:.2f} / {lead[1]:.2f} "
            f"| {ship[0]:.2f} / {ship[1]:.2f} | **{model[0] - lead[0]:+.2f}** ({np.std(per_fold):.2f}) "
            f"| {model[0] - ship[0]:+.2f} | {words:.0f} / {np.median([ship_words[i] for i in idx]):.0f} "
            f"/ {ref_w:.0f} |",
            flush=True,
        )
    m = np.mean(means, axis=0)
    print(f"mean over styles: model - LEAD-3 {m[0]:+.2f}, model - shipped {m[1]:+.2f}", flush=True)


def against_today(
    docs: list[Doc],
    prep: dict[int, list[Prepared]],
    runs: list[tuple[list[Row], list[int], list[int]]],
    best: Setting,
) -> None:
    """With the evaluation sets in the CV: on the same folds, today's recipe (fitted on the other
    folds of the evaluation sets alone, every article weighing the same) against the model that
    also saw the training styles; per set the paired R1 difference and its standard error."""
    ev = [i for i, d in enumerate(docs) if d.set in REPORTED_SETS]
    print("| set | new R1 - today's recipe R1, same folds (se) | per fold assignment |")
    print("|---|---|---|")
    deltas: dict[str, list[list[float]]] = defaultdict(list)
    for rows, folds, _ in runs:
        today: dict[int, float] = {}
        for f in sorted(set(folds)):
            model = fit([prep[best[0]][i] for i in ev if folds[i] != f], *best)
            for i in ev:
                if folds[i] == f:
                    today[i] = rouge(
                        docs[i].reference, summary_of(docs[i], pick(model, prep[best[0]][i])), lcs=False
                    )[0]
        for name in REPORTED_SETS:
            deltas[name].append([rows[i][0] - today[i] for i in ev if docs[i].set == name])
    for name in REPORTED_SETS:
        d = np.mean(deltas[name], axis=0)
        each = " ".join(f"{np.mean(x):+.2f}" for x in deltas[name])
        print(f"| {name} | {d.mean():+.2f} ({d.std(ddof=1) / np.sqrt(len(d)):.2f}) | {each} |", flush=True)


def held_out_sets(evals: list[Doc], model: SummaryRanker, shipped: SummaryRanker) -> None:
    """The model of the training styles scored once on the evaluation sets (R1/R2/RL as
    score_summaries.py computes them), against LEAD-3 and the shipped ranker (in-sample for it)."""
    print(
        "| set | n | new R1/R2/RL | shipped R1/R2/RL (in-sample) | LEAD-3 R1/R2/RL | new - LEAD-3 "
        "| new - shipped (se) | words: new / shipped / reference |"
    )
    print("|---|---|---|---|---|---|---|---|")
    diffs: list[float] = []
    per_set = []
    for name in REPORTED_SETS:
        docs = [d for d in evals if d.set == name]
        new, old, lead, nw, ow = [], [], [], [], []
        for d in docs:
            a, b = (
                pick(model, prepare_candidates(d, model.first)),
                pick(shipped, prepare_candidates(d, shipped.first)),
            )
            new.append(rouge(d.reference, summary_of(d, a)))
            old.append(rouge(d.reference, summary_of(d, b)))
            lead.append(rouge(d.reference, lead3(d.article)))
            nw.append(sum(d.words[j] for j in a))
            ow.append(sum(d.words[j] for j in b))
        n_, o_, l_ = (np.mean(x, axis=0) for x in (new, old, lead))
        delta = np.array([x[0] - y[0] for x, y in zip(new, old, strict=True)])
        diffs.extend(delta)
        per_set.append((n_[0] - l_[0], n_[0] - o_[0], delta.std(ddof=1) / np.sqrt(len(delta))))
        ref_w = np.median([len(d.reference.split()) for d in docs])
        print(
            f"| {name} | {len(docs)} | {n_[0]:.2f} / {n_[1]:.2f} / {n_[2]:.2f} "
            f"| {o_[0]:.2f} / {o_[1]:.2f} / {o_[2]:.2f} "
            f"| {l_[0]:.2f} / {l_[1]:.2f} / {l_[2]:.2f} | {n_[0] - l_[0]:+.2f} | {n_[0] - o_[0]:+.2f} "
            f"({per_set[-1][2]:.2f}) | {np.median(nw):.0f} / {np.median(ow):.0f} / {ref_w:.0f} |",
            flush=True,
        )
    m = np.mean(per_set, axis=0)
    se = np.sqrt(sum(s**2 for *_, s in per_set)) / len(per_set)
    print(
        f"mean over the 4 sets: new - LEAD-3 {m[0]:+.2f}, new - shipped {m[1]:+.2f} (se {se:.2f})", flush=True
    )


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-style", type=int, default=1500)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--fold-seeds", type=int, nargs="+", default=[13])
    ap.add_argument("--firsts", type=int, nargs="+", default=[6])
    ap.add_argument("--temperatures", type=float, nargs="+", default=[5.0, 10.0, 20.0])
    ap.add_argument("--targets", nargs="+", choices=("single", "all", "mix"), default=["mix"])
    ap.add_argument(
        "--train-styles",
        nargs="+",
        choices=tuple(STYLES),
        default=list(STYLES),
        help="styles trained on (every style is scored)",
    )
    ap.add_argument(
        "--cv-with-eval-sets",
        action="store_true",
        help="the evaluation sets join the cross-validation, each as one more style (none held out)",
    )
    ap.add_argument("--refit-with-eval-sets", action="store_true")
    ap.add_argument("--write", action="store_true")
    return ap.parse_args()


Runs = list[tuple[list[Row], list[int], list[int]]]


def cross_validate(
    docs: list[Doc], prep: dict[int, list[Prepared]], args: argparse.Namespace, styles: set[str]
) -> tuple[Runs, Setting]:
    """Nested CV per fold seed (rows, folds, words chosen) and the setting best over every
    held-out article."""
    t0 = time.time()
    settings = list(itertools.product(args.firsts, args.temperatures, args.targets))
    pooled: dict[Setting, list[Row]] = defaultdict(list)
    runs: Runs = []
    for seed in args.fold_seeds:
        folds = style_folds(docs, args.folds, seed)
        per, words = held_out(docs, prep, folds, settings, args.folds, styles=styles)
        rows, chosen = nested(docs, per, folds, args.folds)
        size = [words[chosen[f]][i] for i, f in enumerate(folds)]
        runs.append((rows, folds, size))
        for s, r in per.items():
            pooled[s].extend(r)
        print(f"  fold seed {seed}: settings per fold {chosen} ({time.time() - t0:.0f}s)", flush=True)
    everyone = docs * len(args.fold_seeds)
    best = max(pooled, key=lambda s: objective(everyone, pooled[s], [True] * len(everyone)))
    return runs, best


def refit_and_write(
    docs: list[Doc],
    evals: list[Doc],
    prep: list[Prepared],
    best: Setting,
    args: argparse.Namespace,
    *,
    styles: set[str],
) -> None:
    """Fit on every article of ``styles`` (and the evaluation sets with ``--refit-with-eval-sets``,
    as one more style) and write the weights."""
    weight = balance(docs, styles)
    used = [i for i in range(len(docs)) if weight[i] > 0]
    train = [docs[i] for i in used] + (evals if args.refit_with_eval_sets else [])
    for d in evals:
        d.set = "evaluation sets"
    items = [prep[i] for i in used] + [prepare_candidates(d, best[0]) for d in train[len(used) :]]
    final = fit(items, *best, weight=balance(train))
    variant = Variant()
    encoder = {"layers": variant.layers, "max_tokens": variant.max_tokens, "pool": variant.pool}
    how = {
        "precisions": [variant.precision()],
        "articles": len(train),
        "styles": {s: sum(d.set == s for d in docs) for s in args.train_styles},
        "style_balanced": True,
        "with_eval_sets": args.refit_with_eval_sets,
        "encoder": encoder,
    }
    write(final, best, how)


def main() -> None:
    args = parse_args()
    t0 = time.time()
    variant = Variant()
    docs = prepare_styles(args.per_style, args.cache, variant)
    evals = prepare(variant)
    styles = set(args.train_styles)
    if args.cv_with_eval_sets:
        docs, evals, styles = docs + evals, [], styles | set(REPORTED_SETS)
    shipped = SummaryRanker.from_dict(json.loads((ROOT / "models/weights/summary_ranker.json").read_text()))
    prep = {n: [prepare_candidates(d, n) for d in docs] for n in args.firsts}
    counts = {s: sum(d.set == s for d in docs) for s in STYLES}
    print(
        f"prepared {len(docs)} training articles {counts} and {len(evals)} evaluation articles "
        f"({variant.precision()}) in {time.time() - t0:.0f}s",
        flush=True,
    )
    base = baselines(docs, shipped, prep.get(shipped.first))
    print("\n1. the length question (medians; R1 F, single reference):")
    ev = baselines(evals, shipped)
    length_table(docs + evals, (base[0] + ev[0], base[1] + ev[1], base[2] + ev[2], base[3] + ev[3]))
    runs, best = cross_validate(docs, prep, args, styles)
    print(f"\n2. nested CV over the training styles, {args.folds} folds, fold seeds {args.fold_seeds}:")
    cv_table(docs, runs, base, args.folds)
    print(f"setting over every held-out article: first {best[0]}, temperature {best[1]}, label {best[2]}")
    if args.cv_with_eval_sets:
        print("\nthe evaluation sets, against today's recipe on the same folds:")
        against_today(docs, prep, runs, best)
    if evals:
        weight = balance(docs, styles)
        used = [i for i in range(len(docs)) if weight[i] > 0]
        model = fit([prep[best[0]][i] for i in used], *best, weight=weight[used])
        print("\n3. fitted on the training styles only, scored once on the evaluation sets:")
        held_out_sets(evals, model, shipped)
    if args.write:
        refit_and_write(docs, evals, prep[best[0]], best, args, styles=styles)
    print(f"done in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
