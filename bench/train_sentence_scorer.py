"""Train the extractive sentence scorer on FRANK validation with k-fold cross-validation.

usage: .venv/bin/python bench/train_sentence_scorer.py [FRANK.jsonl] [--folds 5] [--write]

Targets are per-sentence ROUGE-1/2 F against the article's reference summary (derived from the
references, never from the peer systems). The script reports the cross-validated ROUGE of the full
extractive pipeline (scorer + selection) for a small grid of selection settings, picks the setting
with the best mean cross-validated ROUGE, and with ``--write`` trains on all articles and writes
models/weights/sentence_scorer.json, printing its sha256 for models/registry.py.
Reads the data at run time; nothing from it is stored in the repository except learned weights.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import pickle
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from rouge_score import rouge_scorer  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.loaders import load_encoder  # noqa: E402
from service.engines.summarizer.features import FEATURE_NAMES, sentence_features  # noqa: E402
from service.engines.summarizer.scorer import (  # noqa: E402
    DOC_FEATURES,
    SHORT_SUMMARY_WORDS,
    SentenceScorer,
    predicted_words,
)
from service.engines.summarizer.selection import SelectionParams, select, trim_to_words  # noqa: E402
from service.engines.text import story_sentences  # noqa: E402

DEFAULT_DATA = str(Path(__file__).resolve().parents[2] / "shared" / "data" / "frank" / "validation.jsonl")
CACHE = Path("/tmp/frank_scorer_cache.pkl")
SC = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)


def prepare(path: str) -> list[dict[str, Any]]:
    """Sentences, embeddings, features and per-sentence targets of every article (cached)."""
    if CACHE.exists():
        cached: list[dict[str, Any]] = pickle.loads(CACHE.read_bytes())
        return cached
    enc = load_encoder()
    docs = []
    with open(path, encoding="utf8") as fh:
        lines = fh.readlines()
    for line in lines:
        d = json.loads(line)
        sents = story_sentences(d["article"])
        emb = enc.encode([s.text for s in sents])
        feats = sentence_features(sents, emb, d["article"])
        target = []
        for s in sents:
            r = SC.score(d["reference"], s.text)
            target.append(
                [r["rouge1"].precision, r["rouge2"].precision, r["rouge1"].fmeasure, r["rouge2"].fmeasure]
            )
        docs.append(
            {
                "hash": d["hash"],
                "dataset": d["dataset"],
                "reference": d["reference"],
                "sents": [s.text for s in sents],
                "emb": emb,
                "feats": feats,
                "target": np.asarray(target, dtype=np.float32).reshape(-1, 4),
            }
        )
    CACHE.write_bytes(pickle.dumps(docs))
    return docs


def target_of(t: np.ndarray, kind: str) -> np.ndarray:
    """Per-sentence regression target: ROUGE-1/2 precision ("p": reference content per word, what
    matters when a word budget is filled), F ("f"), or their mean ("mix")."""
    t = t.reshape(-1, 4)
    p = (t[:, 0] + t[:, 1]) / 2
    f = (t[:, 2] + t[:, 3]) / 2
    out: np.ndarray = {"p": p, "f": f, "mix": (p + f) / 2}[kind]
    return out


def fit(  # noqa: PLR0917 - a training entry point, called with keywords
    docs: list[dict[str, Any]],
    hidden: int,
    epochs: int,
    seed: int,
    kind: str = "p",
    listwise: bool = True,
    temperature: float = 0.5,
) -> SentenceScorer:
    """Fit the MLP (MSE on per-sentence targets, weight decay) on the given articles."""
    torch.manual_seed(seed)
    x = np.concatenate([d["feats"] for d in docs])
    y = np.concatenate([target_of(d["target"], kind) for d in docs])
    mean = x.mean(0)
    std = x.std(0)
    std[std < 1e-6] = 1.0
    mean[0], std[0] = 0.0, 1.0  # keep the bias column at 1
    xt = torch.tensor((x - mean) / std)
    yt = torch.tensor(y * 10).unsqueeze(1)  # scores in tenths of ROUGE-F: comfortable for tanh units
    net = torch.nn.Sequential(
        torch.nn.Linear(x.shape[1], hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, 1)
    )
    opt = torch.optim.AdamW(net.parameters(), lr=0.01, weight_decay=0.05)
    # Listwise: within each article, a softmax over its sentences should match the softmax of the
    # targets. Rankings inside an article are what selection uses, so differences in difficulty
    # between articles (which dominate a pointwise loss) are ignored.
    sizes = [len(d["target"]) for d in docs]
    width = max(sizes)
    index = torch.zeros((len(docs), width), dtype=torch.long)
    mask = torch.zeros((len(docs), width), dtype=torch.bool)
    pos = 0
    for k, n in enumerate(sizes):
        index[k, :n] = torch.arange(pos, pos + n)
        mask[k, :n] = True
        pos += n
    tgt = torch.where(mask, yt[:, 0][index] / temperature, torch.tensor(-1e9))
    tgt = torch.softmax(tgt, dim=1)
    for _ in range(epochs):
        opt.zero_grad()
        out = net(xt)
        if listwise:
            logits = torch.where(mask, out[:, 0][index], torch.tensor(-1e9))
            loss = -(tgt * torch.log_softmax(logits, dim=1)).sum(1).mean()
        else:
            loss = torch.nn.functional.mse_loss(out, yt)
        loss.backward()  # type: ignore[no-untyped-call]
        opt.step()
    layers = tuple(
        (m.weight.detach().numpy().T.copy(), m.bias.detach().numpy().copy())
        for m in net
        if isinstance(m, torch.nn.Linear)
    )
    return SentenceScorer(mean=mean, std=std, layers=layers, selection=SelectionParams())


def fit_length(docs: list[dict[str, Any]]) -> tuple[np.ndarray, float]:
    """Ridge regression of log(reference words) on the document-level features."""
    cols = list(DOC_FEATURES)
    x = np.stack([d["feats"][0, cols] for d in docs]).astype(np.float64)
    y = np.log(np.array([len(d["reference"].split()) for d in docs], dtype=np.float64))
    xm = x.mean(0)
    a = np.linalg.solve((x - xm).T @ (x - xm) + 1.0 * np.eye(len(cols)), (x - xm).T @ (y - y.mean()))
    return a.astype(np.float32), float(y.mean() - xm @ a)


def summarize(doc: dict[str, Any], scorer: SentenceScorer, params: SelectionParams) -> str:
    """The pipeline's summary of a prepared article under the given selection settings."""
    scores = scorer.score(doc["feats"])
    words = [len(s.split()) for s in doc["sents"]]
    picks = select(scores, words, doc["emb"], max_sentences=3, max_words=None, params=params)
    out = []
    for p in picks:
        text = doc["sents"][p.index]
        out.append(text if p.words is None else text[: trim_to_words(text, p.words)])
    return " ".join(out)


def rouge_table(docs: list[dict[str, Any]], preds: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Mean ROUGE-1/2 F (percent) per dataset."""
    acc: dict[str, list[tuple[float, float]]] = {}
    for d in docs:
        r = SC.score(d["reference"], preds[d["hash"]])
        acc.setdefault(d["dataset"], []).append((r["rouge1"].fmeasure, r["rouge2"].fmeasure))
    return {
        k: (100 * float(np.mean([a for a, _ in v])), 100 * float(np.mean([b for _, b in v])))
        for k, v in acc.items()
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", default=DEFAULT_DATA)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--hidden", type=int, default=8)
    ap.add_argument("--epochs", type=int, default=400)
    ap.add_argument("--target", choices=("p", "f", "mix"), default="p")
    ap.add_argument("--budgets", type=int, nargs="+", default=[55, 60, 65])
    ap.add_argument("--short-budgets", type=int, nargs="+", default=[30, 40, 50])
    ap.add_argument("--gains", type=float, nargs="+", default=[0.5, 1.0, 9.0])
    ap.add_argument("--pointwise", action="store_true")
    ap.add_argument("--redundancy", type=float, nargs="+", default=[0.0])
    ap.add_argument("--position-weights", type=float, nargs="+", default=[0.0, 0.5, 1.0, 2.0])
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--temperature", type=float, default=0.5)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    if not Path(args.data).exists():
        sys.exit(f"no data at {args.data}")
    t0 = time.time()
    docs = [d for d in prepare(args.data) if len(d["sents"])]
    print(f"prepared {len(docs)} articles in {time.time() - t0:.1f}s; {len(FEATURE_NAMES)} features")
    order = list(range(len(docs)))
    random.Random(13).shuffle(order)
    folds = [order[k :: args.folds] for k in range(args.folds)]
    short_grid = [
        SelectionParams(budget_words=b, position_weight=w, min_fill=6)
        for b, w in itertools.product(args.short_budgets, args.position_weights)
    ]
    long_grid = [
        SelectionParams(budget_words=b, position_weight=w, min_fill=6)
        for b, w in itertools.product(args.budgets, args.position_weights)
    ]
    grid = short_grid + long_grid
    cv_preds: dict[SelectionParams, dict[str, str]] = {p: {} for p in grid}
    short_docs: set[str] = set()
    for k, held in enumerate(folds):
        train = [docs[i] for i in order if i not in set(held)]
        scorer = fit(
            train,
            args.hidden,
            args.epochs,
            seed=k,
            kind=args.target,
            listwise=not args.pointwise,
            temperature=args.temperature,
        )
        lw, lb = fit_length(train)
        for i in held:
            if predicted_words(docs[i]["feats"], lw, lb) <= SHORT_SUMMARY_WORDS:
                short_docs.add(docs[i]["hash"])
            for p in grid:
                cv_preds[p][docs[i]["hash"]] = summarize(docs[i], scorer, p)
    print(
        f"length model: {len(short_docs)} articles predicted to want a short summary "
        f"({sum(d['dataset'] == 'xsum' for d in docs if d['hash'] in short_docs)} of them XSum)"
    )
    # Score every (setting, article) once; a pair of settings then only sums precomputed rows.
    per: dict[SelectionParams, dict[str, tuple[float, float]]] = {}
    for p in grid:
        per[p] = {}
        for d in docs:
            r = SC.score(d["reference"], cv_preds[p][d["hash"]])
            per[p][d["hash"]] = (r["rouge1"].fmeasure, r["rouge2"].fmeasure)
    results = []
    for ps, pl in itertools.product(short_grid, long_grid):
        acc: dict[str, list[tuple[float, float]]] = {}
        for d in docs:
            acc.setdefault(d["dataset"], []).append(per[ps if d["hash"] in short_docs else pl][d["hash"]])
        tab = {
            k: (100 * float(np.mean([a for a, _ in v])), 100 * float(np.mean([b for _, b in v])))
            for k, v in acc.items()
        }
        results.append(((ps, pl), tab))
    # Rank by the bars' shape: CNN/DM R1 and R2 plus XSum R1, all equally weighted.
    results.sort(key=lambda pt: -(pt[1]["cnndm"][0] + pt[1]["cnndm"][1] + pt[1]["xsum"][0]))
    print("cross-validated (held-out folds), best first:")
    for (ps, pl), tab in results[: args.top]:
        print(
            f"  short budget={ps.budget_words:3d} position={ps.position_weight:.1f} | "
            f"long budget={pl.budget_words:3d} position={pl.position_weight:.1f}  "
            f"cnndm R1 {tab['cnndm'][0]:.2f} R2 {tab['cnndm'][1]:.2f}  xsum R1 {tab['xsum'][0]:.2f} "
            f"R2 {tab['xsum'][1]:.2f}"
        )
    best_short, best_long = results[0][0]
    if args.write:
        scorer = fit(
            docs,
            args.hidden,
            args.epochs,
            seed=0,
            kind=args.target,
            listwise=not args.pointwise,
            temperature=args.temperature,
        )
        lw, lb = fit_length(docs)
        scorer = SentenceScorer(
            scorer.mean,
            scorer.std,
            scorer.layers,
            best_long,
            length_w=lw,
            length_b=lb,
            short_selection=best_short,
        )
        out = ROOT / "models" / "weights" / "sentence_scorer.json"
        out.write_text(json.dumps(scorer.to_dict(), separators=(",", ":")) + "\n", encoding="utf-8")
        digest = hashlib.sha256(out.read_bytes()).hexdigest()
        print(f"wrote {out} ({out.stat().st_size} bytes) sha256 {digest}")


if __name__ == "__main__":
    main()
