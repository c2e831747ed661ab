"""Train the summary ranker (service/engines/summarizer/reranker.py) on every shared summary set,
choosing its settings by nested cross-validation grouped by article.

usage: .venv/bin/python bench/train_summary_ranker.py [--folds 5] [--fold-seeds 13 1 2]
       [--firsts 6 8] [--temperatures 10 15 20] [--targets mix] [--dtypes bfloat16 int8]
       [--layers 3] [--pool 16] [--write]

Data (read at run time, see bench/summary_data.py): FRANK validation (CNN/DM and XSum), SummEval and
the writers' set, encoded exactly as the engine encodes them, once in each precision of
``--dtypes`` (the model trains on every encoding and is scored on each in turn). Every candidate
summary of an article (whole sentences, reranker.subsets) gets a label: ROUGE-1 + ROUGE-2/2 F
against ``reference`` ("single"), the mean of that over all of the article's references ("all"),
or their mean ("mix").
The model is linear over standardised summary features, fitted listwise (per article, the softmax
of its scores ~ the softmax of the labels / temperature) with L-BFGS and a small L2 penalty: a
convex fit, so no seed. Each fold's model is trained on the other folds only; the figures printed
are NESTED: the setting (leading sentences, temperature, label) used on fold k is the one best on
the other folds' held-out articles. The whole is repeated over several fold assignments. ROUGE is
as ../shared/eval/score_summaries.py computes it (single reference), LEAD-3 the same way on the
same articles. ``--write`` trains on all articles with the setting best over every held-out article
and writes models/weights/summary_ranker.json (sha256 printed).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench.summary_data import (  # noqa: E402
    REPORTED_SETS,
    Doc,
    Variant,
    lead3,
    make_folds,
    ngram_prf,
    prepare,
    rouge,
    tokens,
)
from service.engines.summarizer.features import content_words  # noqa: E402
from service.engines.summarizer.reranker import Subset, SummaryRanker, subsets, summary_features  # noqa: E402

SETS = REPORTED_SETS
MAX_SENTENCES = 4
MAX_WORDS = 140
DECAY = 1e-4


@dataclass
class Prepared:
    """One article's candidate summaries, their features and labels, for one ``first``."""

    cands: list[Subset]
    x: np.ndarray
    labels: dict[str, np.ndarray]


#: A setting: (leading sentences, temperature, label).
Setting = tuple[int, float, str]


Grams = tuple[Counter[tuple[str, ...]], Counter[tuple[str, ...]]]
Rows = list[tuple[float, float, float]]


def _grams(t: list[str]) -> Grams:
    return Counter((w,) for w in t), Counter(itertools.pairwise(t))


def prepare_candidates(d: Doc, first: int) -> Prepared:
    """Candidates, features and the three label kinds of one article."""
    cands = subsets(d.words, d.dependent, first=first, max_sentences=MAX_SENTENCES, max_words=MAX_WORDS)
    x = summary_features(cands, d.feats, d.emb, d.words, [content_words(t) for t in d.sents])
    toks = [tokens(s) for s in d.sents]
    single = _grams(tokens(d.reference))
    every = [_grams(tokens(r)) for r in d.references]

    def value(t: list[str], ref: Grams) -> float:
        return float(100 * ngram_prf(t, ref[0], 1)[1] + 50 * ngram_prf(t, ref[1], 2)[1])

    ys, ya = [], []
    for c in cands:
        t = [w for i in c for w in toks[i]]
        ys.append(value(t, single))
        ya.append(float(np.mean([value(t, r) for r in every])))
    s, a = np.array(ys, dtype=np.float32), np.array(ya, dtype=np.float32)
    return Prepared(cands, x.astype(np.float32), {"single": s, "all": a, "mix": (s + a) / 2})


def fit(
    items: list[Prepared], first: int, temperature: float, target: str, weight: np.ndarray | None = None
) -> SummaryRanker:
    """The listwise linear ranker fitted to ``items`` (L-BFGS, L2 penalty DECAY); ``weight``: each
    article's weight in the loss (default equal)."""
    x = np.concatenate([p.x for p in items])
    mean, std = x.mean(0), x.std(0)
    std[std < 1e-6] = 1.0
    width = max(len(p.cands) for p in items)
    xs = torch.zeros((len(items), width, x.shape[1]))
    mask = torch.zeros((len(items), width), dtype=torch.bool)
    y = torch.zeros((len(items), width))
    for j, p in enumerate(items):
        n = len(p.cands)
        xs[j, :n] = torch.tensor((p.x - mean) / std)
        mask[j, :n] = True
        y[j, :n] = torch.tensor(p.labels[target])
    neg = torch.tensor(-1e9)
    goal = torch.softmax(torch.where(mask, y / temperature, neg), dim=1)
    share = None if weight is None else torch.tensor(weight / weight.sum(), dtype=torch.float32)
    w = torch.zeros(x.shape[1], requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    opt = torch.optim.LBFGS(
        [w, b],
        lr=1,
        max_iter=500,
        history_size=20,
        line_search_fn="strong_wolfe",
        tolerance_grad=1e-7,
        tolerance_change=1e-10,
    )

    def closure() -> torch.Tensor:
        opt.zero_grad()
        logits = torch.where(mask, xs @ w + b, neg)
        fitness = (goal * torch.log_softmax(logits, dim=1)).sum(1)
        average = fitness.mean() if share is None else (fitness * share).sum()
        loss = -average + DECAY * (w**2).sum()
        loss.backward()  # type: ignore[no-untyped-call]
        return loss

    opt.step(closure)  # type: ignore[no-untyped-call]
    return SummaryRanker(
        mean, std, w.detach().numpy().copy(), float(b.item()), first, MAX_SENTENCES, MAX_WORDS
    )


def held_out(
    docs: list[Doc],
    prep: dict[int, list[Prepared]],
    folds: list[int],
    settings: list[Setting],
    k: int,
    *,
    extra: list[dict[int, list[Prepared]]],
) -> dict[Setting, list[tuple[float, float, float]]]:
    """Per setting, the ROUGE of every article's summary chosen by the model of the other folds
    (trained on their articles in ``prep`` and again in each of ``extra``: the same articles
    encoded in another precision)."""
    out: dict[Setting, list[tuple[float, float, float]]] = {}
    for s in settings:
        first, temperature, target = s
        rows: list[tuple[float, float, float]] = [(0.0, 0.0, 0.0)] * len(docs)
        for f in range(k):
            copies = [prep[first], *(e[first] for e in extra)]
            train = [p for items in copies for p, g in zip(items, folds, strict=True) if g != f]
            model = fit(train, first, temperature, target)
            for i, d in enumerate(docs):
                if folds[i] == f:
                    p = prep[first][i]
                    pick = p.cands[int(np.argmax(model.score(p.x)))]
                    rows[i] = rouge(d.reference, " ".join(d.sents[j] for j in pick))
        out[s] = rows
    return out


def objective(docs: list[Doc], rows: list[tuple[float, float, float]], use: list[bool]) -> float:
    """Mean over sets of R1 + R2/2 over the articles in use."""
    acc: dict[str, list[float]] = defaultdict(list)
    for i, d in enumerate(docs):
        if use[i]:
            acc[d.set].append(rows[i][0] + rows[i][1] / 2)
    return float(np.mean([np.mean(v) for v in acc.values()]))


def nested(
    docs: list[Doc], per: dict[Setting, list[tuple[float, float, float]]], folds: list[int], k: int
) -> tuple[list[tuple[float, float, float]], list[Setting]]:
    """Each fold's articles scored under the setting best on the other folds."""
    rows: list[tuple[float, float, float]] = [(0.0, 0.0, 0.0)] * len(docs)
    chosen = []
    for f in range(k):
        use = [g != f for g in folds]
        best = max(per, key=lambda s: objective(docs, per[s], use))
        chosen.append(best)
        for i in range(len(docs)):
            if folds[i] == f:
                rows[i] = per[best][i]
    return rows, chosen


def report(docs: list[Doc], runs: list[tuple[Rows, list[int]]], lead: Rows, k: int) -> None:
    """Per set: nested R1/R2/RL (mean over fold assignments), LEAD-3, the R1 delta with its spread
    over folds (std of the per-fold deltas, pooled over assignments) and per assignment."""
    print("nested cross-validated ROUGE (R1/R2/RL F, single reference):")
    for name in SETS:
        idx = [i for i, d in enumerate(docs) if d.set == name]
        model = np.mean([[rows[i] for i in idx] for rows, _ in runs], axis=(0, 1))
        base = np.mean([lead[i] for i in idx], axis=0)
        per_run = [np.mean([rows[i][0] - lead[i][0] for i in idx]) for rows, _ in runs]
        per_fold = [
            np.mean([rows[i][0] - lead[i][0] for i in idx if folds[i] == f])
            for rows, folds in runs
            for f in range(k)
        ]
        print(
            f"  {name:12s} n={len(idx):3d}  model {model[0]:.2f}/{model[1]:.2f}/{model[2]:.2f}"
            f"  LEAD-3 {base[0]:.2f}/{base[1]:.2f}/{base[2]:.2f}  R1 delta {model[0] - base[0]:+.2f}"
            f" (fold std {np.std(per_fold):.2f}; per assignment {' '.join(f'{x:+.2f}' for x in per_run)})"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--fold-seeds", type=int, nargs="+", default=[13, 1, 2])
    ap.add_argument("--firsts", type=int, nargs="+", default=[6, 8])
    ap.add_argument("--temperatures", type=float, nargs="+", default=[10.0, 15.0, 20.0])
    ap.add_argument("--targets", nargs="+", choices=("single", "all", "mix"), default=["mix"])
    ap.add_argument("--pool", type=int, default=Variant.pool, help="candidates encoded (the engine's pool)")
    ap.add_argument("--layers", type=int, default=Variant.layers, help="encoder layers kept (the engine's)")
    ap.add_argument(
        "--dtypes",
        nargs="+",
        default=["bfloat16", "int8"],
        help="encoder precisions: the model trains on the articles encoded in each, and is scored in each",
    )
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    t0 = time.time()
    encoded = {dt: prepare(Variant(layers=args.layers, pool=args.pool, dtype=dt)) for dt in args.dtypes}
    docs = encoded[args.dtypes[0]]
    assert all([d.key for d in e] == [d.key for d in docs] for e in encoded.values())
    prep = {dt: {n: [prepare_candidates(d, n) for d in e] for n in args.firsts} for dt, e in encoded.items()}
    print(
        f"prepared {len(docs)} articles in {time.time() - t0:.0f}s, encoded in {', '.join(args.dtypes)}: "
        + ", ".join(f"{n} {sum(d.set == n for d in docs)}" for n in SETS),
        flush=True,
    )
    settings = list(itertools.product(args.firsts, args.temperatures, args.targets))
    lead = [rouge(d.reference, lead3(d.article)) for d in docs]
    pooled: dict[Setting, list[tuple[float, float, float]]] = defaultdict(list)
    for dt in args.dtypes:
        runs = []
        others = [prep[o] for o in args.dtypes if o != dt]
        for seed in args.fold_seeds:
            folds = make_folds(docs, args.folds, seed)
            per = held_out(encoded[dt], prep[dt], folds, settings, args.folds, extra=others)
            rows, chosen = nested(docs, per, folds, args.folds)
            runs.append((rows, folds))
            for s, r in per.items():
                pooled[s].extend(r)
            print(
                f"  {dt}, fold seed {seed}: settings per fold {chosen} ({time.time() - t0:.0f}s)", flush=True
            )
        print(f"scored on the {dt} encoding:")
        report(docs, runs, lead, args.folds)
    everyone = docs * (len(args.fold_seeds) * len(args.dtypes))
    best = max(pooled, key=lambda s: objective(everyone, pooled[s], [True] * len(everyone)))
    print(f"setting over every held-out article: first {best[0]}, temperature {best[1]}, label {best[2]}")
    if args.write:
        model = fit([p for dt in args.dtypes for p in prep[dt][best[0]]], *best)
        encoder = {"layers": args.layers, "max_tokens": Variant.max_tokens, "pool": args.pool}
        write(model, best, {"precisions": args.dtypes, "articles": len(docs), "encoder": encoder})


def write(model: SummaryRanker, best: Setting, how: dict[str, object]) -> None:
    """models/weights/summary_ranker.json, with how it was trained; prints its sha256."""
    out = ROOT / "models" / "weights" / "summary_ranker.json"
    trained = {"temperature": best[1], "label": best[2], **how}
    data = {**model.to_dict(), "trained": trained}
    out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"wrote {out} ({out.stat().st_size} bytes) sha256 {digest}")


if __name__ == "__main__":
    main()
