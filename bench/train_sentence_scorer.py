"""Train the extractive sentence scorer on every shared summary set, choosing everything by
cross-validation grouped by article.

usage: .venv/bin/python bench/train_sentence_scorer.py [--folds 5] [--hidden 8] [--target p]
       [--lambdas 0 0.5 1] [--layers 3] [--max-tokens 128] [--pool 16] [--write]

Data (read at run time, see bench/summary_data.py): FRANK validation (CNN/DM and XSum), SummEval and
the writers' set. Labels are per-sentence ROUGE-1/2 against every reference of the article,
averaged; with ``--lambdas`` the labels mix in (weight lambda) the same labels against the strong
systems' outputs of the training articles (summary_data.TEACHERS; the score stays against
``reference`` alone), and lambda is chosen with the setting. Each fold's scorer and length model are
trained on the other folds only; the held-out articles are then summarised (whole sentences, the
engine's own selection) under every setting of a small grid. The figures printed are NESTED: the
setting used on fold k is the one that is best on the other folds, so neither the model nor the
setting has seen the articles it is scored on. ROUGE is as ../shared/eval/score_summaries.py
computes it (single reference = ``reference``), and LEAD-3 is computed the same way on the same
folds. ``--write`` trains on all articles with the setting that is best over all folds and writes
models/weights/sentence_scorer.json (sha256 printed).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from summary_data import REPORTED_SETS, Doc, Variant, lead3, make_folds, mixed_labels, prepare, rouge  # noqa: E402

from service.engines.summarizer.features import LEXICAL  # noqa: E402
from service.engines.summarizer.scorer import (  # noqa: E402
    DOC_FEATURES,
    SHORT_SUMMARY_WORDS,
    SentenceScorer,
    predicted_words,
)
from service.engines.summarizer.selection import Limits, SelectionParams, select  # noqa: E402

SETS = REPORTED_SETS
#: (label mix lambda, selection setting): one held-out run of the grid.
Key = tuple[float, SelectionParams]
#: (lambda, short setting, long setting).
Setting = tuple[float, SelectionParams, SelectionParams]
#: Held-out summaries per key and article, from the last cross_validate call.
texts: dict[Key, dict[int, str]] = defaultdict(dict)


def target_of(d: Doc, kind: str, lam: float = 0.0) -> np.ndarray:
    """Per-sentence target: ROUGE-1/2 precision ("p"), F ("f"), their mean ("mix"), oracle
    membership ("oracle"), or precision plus a bonus for oracle sentences ("p+oracle"); labels
    mixed with the teacher labels at weight ``lam``."""
    t = mixed_labels(d.target, d.teacher, lam)
    p = (t[:, 0] + t[:, 1]) / 2
    f = (t[:, 2] + t[:, 3]) / 2
    o = t[:, 4]
    out: np.ndarray = {"p": p, "f": f, "mix": (p + f) / 2, "oracle": o / 3, "p+oracle": p + o / 10}[kind]
    return out


def inputs(d: Doc, context: str) -> np.ndarray:
    """The scorer's input rows: the features, plus (experiments) embedding context."""
    if context == "none":
        return d.feats
    if context == "no-lexical":
        out = d.feats.copy()
        out[:, -LEXICAL:] = 0.0
        return out
    c = d.emb.mean(0)
    c /= max(float(np.linalg.norm(c)), 1e-9)
    extra = d.emb if context == "emb" else d.emb * c * 20
    return np.hstack([d.feats, extra]).astype(np.float32)


def fit(docs: list[Doc], args: argparse.Namespace, seed: int, lam: float = 0.0) -> SentenceScorer:
    """A listwise MLP (hidden 0 = linear): per article, softmax of the scores ~ softmax of targets."""
    torch.manual_seed(seed)
    x = np.concatenate([inputs(d, args.context) for d in docs])
    y = np.concatenate([target_of(d, args.target, lam) for d in docs])
    mean, std = x.mean(0), x.std(0)
    std[std < 1e-6] = 1.0
    mean[0], std[0] = 0.0, 1.0  # keep the bias column at 1
    xt = torch.tensor((x - mean) / std)
    yt = torch.tensor(y * 10)
    if args.hidden:
        net = torch.nn.Sequential(
            torch.nn.Linear(x.shape[1], args.hidden), torch.nn.Tanh(), torch.nn.Linear(args.hidden, 1)
        )
    else:
        net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], 1))
    opt = torch.optim.AdamW(net.parameters(), lr=0.01, weight_decay=args.decay)
    sizes = [len(d.target) for d in docs]
    index = torch.zeros((len(docs), max(sizes)), dtype=torch.long)
    mask = torch.zeros((len(docs), max(sizes)), dtype=torch.bool)
    pos = 0
    for k, n in enumerate(sizes):
        index[k, :n] = torch.arange(pos, pos + n)
        mask[k, :n] = True
        pos += n
    neg = torch.tensor(-1e9)
    tgt = torch.softmax(torch.where(mask, yt[index] / args.temperature, neg), dim=1)
    for _ in range(args.epochs):
        opt.zero_grad()
        logits = torch.where(mask, net(xt)[:, 0][index], neg)
        loss = (
            pairwise_loss(logits, yt[index], mask)
            if args.loss == "pairwise"
            else -(tgt * torch.log_softmax(logits, dim=1)).sum(1).mean()
        )
        loss.backward()  # type: ignore[no-untyped-call]
        opt.step()
    layers = tuple(
        (m.weight.detach().numpy().T.copy(), m.bias.detach().numpy().copy())
        for m in net
        if isinstance(m, torch.nn.Linear)
    )
    return SentenceScorer(mean=mean, std=std, layers=layers, selection=SelectionParams())


def pairwise_loss(logits: torch.Tensor, target: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """RankNet: per article, log(1 + exp(-(s_i - s_j))) over the pairs whose target i > j, the
    pairs of an article weighted to sum to one."""
    better = (target[:, :, None] > target[:, None, :]) & mask[:, :, None] & mask[:, None, :]
    diff = logits[:, :, None] - logits[:, None, :]
    per_pair = torch.nn.functional.softplus(-diff.clamp(-50, 50))
    weight = better.float() / better.sum((1, 2), keepdim=True).clamp(min=1)
    return (per_pair * weight).sum((1, 2)).mean()


def fit_length(docs: list[Doc]) -> tuple[np.ndarray, float]:
    """Ridge regression of log(reference words) on the article's document-level features."""
    cols = list(DOC_FEATURES)
    x = np.stack([d.feats[0, cols] for d in docs]).astype(np.float64)
    y = np.log(np.array([len(d.reference.split()) for d in docs], dtype=np.float64))
    xm = x.mean(0)
    a = np.linalg.solve((x - xm).T @ (x - xm) + np.eye(len(cols)), (x - xm).T @ (y - y.mean()))
    return a.astype(np.float32), float(y.mean() - xm @ a)


def summarize(doc: Doc, scores: np.ndarray, params: SelectionParams) -> str:
    """The engine's default summary of a prepared article (whole sentences)."""
    picks = select(scores, doc.words, doc.emb, doc.dependent, limits=Limits(), params=params)
    return " ".join(doc.sents[p.index] for p in picks)


def grids(args: argparse.Namespace) -> tuple[list[SelectionParams], list[SelectionParams]]:
    """(short-regime settings, long-regime settings)."""
    short = [
        SelectionParams(budget_words=b, slack_words=s, max_sentences=m, position_weight=w)
        for b, s, m, w in itertools.product(args.short_budgets, (0, 10), (1, 2), args.position_weights)
    ]
    long = [
        SelectionParams(budget_words=b, slack_words=s, max_sentences=m, position_weight=w)
        for b, s, m, w in itertools.product(args.budgets, args.slacks, (3, 4), args.position_weights)
    ]
    return short, long


def cross_validate(
    docs: list[Doc], folds: list[int], args: argparse.Namespace
) -> tuple[dict[Key, list[tuple[float, float, float]]], list[bool]]:
    """Per (lambda, setting), ROUGE of every article summarised by the model of the folds without it; and
    whether each article's (fold) length model put it in the short regime."""
    short_grid, long_grid = grids(args)
    per: dict[Key, list[tuple[float, float, float]]] = defaultdict(lambda: [(0.0,) * 3] * len(docs))
    is_short = [False] * len(docs)
    texts.clear()
    for k in range(args.folds):
        train = [d for d, f in zip(docs, folds, strict=True) if f != k]
        lw, lb = fit_length(train)
        for lam in args.lambdas:
            scorer = fit(train, args, seed=k, lam=lam)
            for i, d in enumerate(docs):
                if folds[i] != k:
                    continue
                is_short[i] = predicted_words(d.feats, lw, lb) <= SHORT_SUMMARY_WORDS
                scores = scorer.score(inputs(d, args.context))
                for p in short_grid if is_short[i] else long_grid:
                    text = summarize(d, scores, p)
                    texts[(lam, p)][i] = text
                    per[(lam, p)][i] = rouge(d.reference, text, lcs=False)
        print(f"  fold {k}: trained on {len(train)} articles", flush=True)
    return dict(per), is_short


def best_setting(
    docs: list[Doc],
    per: dict[Key, list[tuple[float, float, float]]],
    is_short: list[bool],
    use: list[bool],
) -> Setting:
    """The (lambda, short, long) setting with the best mean over sets of R1 + R2/2 on the articles
    in use: per lambda the best short and long settings, then the lambda whose pair is best."""

    def objective(keys: tuple[Key, Key], regime: bool | None) -> float:
        """Mean over sets of R1 + R2/2 over the articles in use of one regime (None: both)."""
        acc: dict[str, list[float]] = defaultdict(list)
        for i, d in enumerate(docs):
            if use[i] and regime in (None, is_short[i]):
                r = per[keys[0] if is_short[i] else keys[1]][i]
                acc[d.set].append(r[0] + r[1] / 2)
        return float(np.mean([np.mean(v) for v in acc.values()])) if acc else 0.0

    best: tuple[float, Setting] | None = None
    for lam in sorted({k[0] for k in per}):
        shorts = [k for k in per if k[0] == lam and k[1].max_sentences <= 2]
        longs = [k for k in per if k[0] == lam and k[1].max_sentences > 2]
        s = max(shorts, key=lambda k: objective((k, longs[0]), True))
        lg = max(longs, key=lambda k: objective((s, k), False))
        value = objective((s, lg), None)
        if best is None or value > best[0]:
            best = (value, (lam, s[1], lg[1]))
    assert best is not None
    return best[1]


def report(docs: list[Doc], folds: list[int], per: dict[Key, list], is_short: list[bool], k: int) -> None:
    """Nested CV per set: mean R1/R2/RL, fold spread of R1, LEAD-3 on the same folds."""
    rows: list[tuple[float, float, float]] = [(0.0,) * 3] * len(docs)
    chosen = []
    for f in range(k):
        setting = best_setting(docs, per, is_short, [g != f for g in folds])
        chosen.append(setting)
        for i in range(len(docs)):
            if folds[i] == f:
                p = setting[1] if is_short[i] else setting[2]
                rows[i] = rouge(docs[i].reference, texts[(setting[0], p)][i])
    lead = [rouge(d.reference, lead3(d.article)) for d in docs]
    print("nested cross-validated ROUGE (R1/R2/RL, single reference; fold spread = std of fold R1):")
    for name in SETS:
        idx = [i for i, d in enumerate(docs) if d.set == name]
        m = np.mean([rows[i] for i in idx], axis=0)
        lm = np.mean([lead[i] for i in idx], axis=0)
        fold_delta = [np.mean([rows[i][0] - lead[i][0] for i in idx if folds[i] == f]) for f in range(k)]
        fold_r1 = [np.mean([rows[i][0] for i in idx if folds[i] == f]) for f in range(k)]
        print(
            f"  {name:12s} n={len(idx):3d}  model {m[0]:.2f}/{m[1]:.2f}/{m[2]:.2f}"
            f" (R1 fold std {np.std(fold_r1):.2f})"
            f"  LEAD-3 {lm[0]:.2f}/{lm[1]:.2f}/{lm[2]:.2f}  R1 delta {m[0] - lm[0]:+.2f}"
            f" (per fold {' '.join(f'{x:+.2f}' for x in fold_delta)})"
        )
    for f, (lam, s, lg) in enumerate(chosen):
        print(f"  fold {f} setting: lambda {lam} short {s}\n               long  {lg}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--hidden", type=int, default=8)
    ap.add_argument("--epochs", type=int, default=400)
    ap.add_argument("--decay", type=float, default=0.05)
    ap.add_argument("--target", choices=("p", "f", "mix", "oracle", "p+oracle"), default="oracle")
    ap.add_argument("--temperature", type=float, default=0.5)
    ap.add_argument("--budgets", type=int, nargs="+", default=[55, 65, 75])
    ap.add_argument("--slacks", type=int, nargs="+", default=[10, 20, 30])
    ap.add_argument("--short-budgets", type=int, nargs="+", default=[20, 30])
    ap.add_argument("--position-weights", type=float, nargs="+", default=[2.0, 5.0, 10.0, 30.0])
    ap.add_argument("--context", choices=("none", "no-lexical", "emb", "prod"), default="none")
    ap.add_argument("--loss", choices=("listwise", "pairwise"), default="listwise")
    ap.add_argument("--lambdas", type=float, nargs="+", default=[0.0])
    # The engine's defaults: the written scorer is trained on the embeddings the engine computes.
    ap.add_argument("--layers", type=int, default=Variant.layers)
    ap.add_argument("--max-tokens", type=int, default=Variant.max_tokens)
    ap.add_argument("--pool", type=int, default=Variant.pool)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    t0 = time.time()
    variant = Variant(args.layers, args.max_tokens, args.pool)
    docs = prepare(variant, teachers=any(lam > 0 for lam in args.lambdas))
    print(
        f"prepared {len(docs)} articles in {time.time() - t0:.0f}s: "
        + ", ".join(f"{n} {sum(d.set == n for d in docs)}" for n in SETS)
    )
    folds = make_folds(docs, args.folds, args.seed)
    per, is_short = cross_validate(docs, folds, args)
    print(
        f"length model: {sum(is_short)} articles in the short regime, by set: "
        + ", ".join(f"{n} {sum(s for s, d in zip(is_short, docs, strict=True) if d.set == n)}" for n in SETS)
    )
    if len(args.lambdas) > 1:
        for lam in args.lambdas:
            print(f"lambda {lam} alone:")
            report(docs, folds, {k: v for k, v in per.items() if k[0] == lam}, is_short, args.folds)
        print("lambda chosen with the setting:")
    report(docs, folds, per, is_short, args.folds)
    best_lam, best_short, best_long = best_setting(docs, per, is_short, [True] * len(docs))
    print(
        f"setting over all folds: lambda {best_lam} short {best_short}\n"
        f"                        long  {best_long}"
    )
    if args.write:
        scorer = fit(docs, args, seed=0, lam=best_lam)
        lw, lb = fit_length(docs)
        scorer = SentenceScorer(
            scorer.mean,
            scorer.std,
            scorer.layers,
            best_long,
            length_w=lw,
            length_b=lb,
            short_selection=best_short,
            encoder={"layers": args.layers, "max_tokens": args.max_tokens, "pool": args.pool},
        )
        out = ROOT / "models" / "weights" / "sentence_scorer.json"
        out.write_text(json.dumps(scorer.to_dict(), separators=(",", ":")) + "\n", encoding="utf-8")
        digest = hashlib.sha256(out.read_bytes()).hexdigest()
        print(f"wrote {out} ({out.stat().st_size} bytes) sha256 {digest}")


if __name__ == "__main__":
    main()
