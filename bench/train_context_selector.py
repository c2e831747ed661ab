"""Train and cross-validate the context selector (service/engines/summarizer/context_selector.py):
a small inter-sentence transformer over each article's candidate units (BertSumExt's shape on the
engine's frozen sentence embeddings and its 30 features).

Data: bench/selector_data.py's cache, read as bench/train_selector.py reads it (same training
sets, same folds: 5, each article its own group, dealt per style, seed 13; XSum scored but not
trained on; FRANK validation, SummEval and the writers' set only reported, never trained on).

Training: listwise loss (per article, the softmax of the unit logits against the greedy ROUGE
oracle's units) plus ``--bce`` times per-unit binary cross-entropy; AdamW, one torch thread,
seeded (``--seed`` + fold), a checkpoint per fold and epoch in ``--ckpt`` (a stopped run resumes).

Measure: bench/train_selector.py's (k sentences as whole units, a unit of n sentences costs n,
trigram blocking; R1 F and R1 recall deltas against LEAD-k with se and the fold spread), printed
for every epoch in ``--eval-epochs``.

usage: python bench/train_context_selector.py [--cache DIR] [--epochs N] [--position W ...] [--write FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.train_selector import (  # noqa: E402
    TRAIN_SETS,
    choose,
    deltas,
    folds_of,
    load,
    split_sets,
    table,
)
from service.engines.summarizer.context_selector import (  # noqa: E402
    ContextNet,
    ContextSelector,
    ContextShape,
)
from service.engines.summarizer.selection import SelectionParams  # noqa: E402

ENCODER = {"layers": 3, "max_tokens": 128, "pool": 16}
Rows = dict[str, list[tuple[int, float, float]]]


class Tensors:
    """Every article's padded embeddings, features, mask and oracle labels, built once."""

    def __init__(self, docs: list[dict[str, Any]]) -> None:
        self.row = {d["key"]: a for a, d in enumerate(docs)}
        n = max(len(d["texts"]) for d in docs)
        self.emb = torch.zeros(len(docs), n, docs[0]["emb"].shape[1])
        self.feats = torch.zeros(len(docs), n, 30)
        self.mask = torch.zeros(len(docs), n, dtype=torch.bool)
        self.oracle = torch.zeros(len(docs), n)
        for a, d in enumerate(docs):
            m = len(d["texts"])
            self.emb[a, :m] = torch.from_numpy(d["emb"])
            self.feats[a, :m] = torch.from_numpy(d["feats"])
            self.mask[a, :m] = True
            self.oracle[a, :m] = torch.from_numpy(d["oracle"])


def loss_of(logits: torch.Tensor, oracle: torch.Tensor, mask: torch.Tensor, bce: float) -> torch.Tensor:
    """Listwise cross-entropy against the oracle's units, plus ``bce`` times per-unit BCE."""
    target = oracle / oracle.sum(dim=1, keepdim=True).clamp(min=1.0)
    listwise = -(target * torch.log_softmax(logits, dim=1)).sum(dim=1).mean()
    if not bce:
        return listwise
    per_unit = torch.nn.functional.binary_cross_entropy_with_logits(
        logits.masked_fill(~mask, 0.0), oracle, reduction="none"
    )
    return listwise + bce * (per_unit * mask).sum() / mask.sum()


def train(data: Tensors, keys: list[str], args: argparse.Namespace, tag: str) -> dict[int, ContextNet]:
    """Nets after each epoch in ``args.eval_epochs`` (checkpointed), trained on ``keys``."""
    torch.manual_seed(args.seed + hash_int(tag))
    idx = torch.tensor(sorted(data.row[k] for k in keys))
    idx = idx[data.oracle[idx].sum(dim=1) > 0]
    shape = ContextShape(d_model=args.d_model, heads=args.heads, layers=args.layers, ff=2 * args.d_model)
    net = ContextNet(shape)
    rows = data.feats[idx][data.mask[idx]].double()
    net.mean.copy_(rows.mean(dim=0).float())
    net.std.copy_(rows.std(dim=0).float().clamp(min=1e-6))
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=args.wd)
    steps = args.epochs * ((len(idx) + args.batch - 1) // args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps, pct_start=0.1)
    out: dict[int, ContextNet] = {}
    gen = torch.Generator().manual_seed(args.seed + hash_int(tag))
    for epoch in range(1, args.epochs + 1):
        path = args.ckpt / f"{tag}_e{epoch}.pt"
        if path.exists():
            state = torch.load(path, weights_only=False)
            (
                net.load_state_dict(state["net"]),
                opt.load_state_dict(state["opt"]),
                sched.load_state_dict(state["sched"]),
            )
            gen.set_state(state["gen"])
        else:
            net.train()
            total = 0.0
            for b in torch.randperm(len(idx), generator=gen).split(args.batch):
                rows_b = idx[b]
                mask = data.mask[rows_b]
                logits = net(data.emb[rows_b], data.feats[rows_b], mask)
                loss = loss_of(logits, data.oracle[rows_b], mask, args.bce)
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
                opt.step()
                sched.step()
                total += float(loss.detach()) * len(b)
            state = {"net": net.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict()}
            torch.save({**state, "gen": gen.get_state()}, path)
            print(f"{tag} epoch {epoch}: loss {total / len(idx):.4f}", flush=True)
        if epoch in args.eval_epochs:
            copy = ContextNet(shape)
            copy.load_state_dict(net.state_dict())
            out[epoch] = copy.eval()
    return out


def hash_int(tag: str) -> int:
    """A stable small integer of a tag (the seed offset of a fold)."""
    return int(hashlib.sha1(tag.encode()).hexdigest()[:6], 16)


def scored(
    net: ContextNet, docs: list[dict[str, Any]], fold: int, block: bool, into: dict[float, Rows]
) -> None:
    """Append each article's (fold, R1 F delta, R1 recall delta) under its style or set, for every
    position prior in ``into`` (selection's ``position_weight``)."""
    sel = ContextSelector(net, SelectionParams(), ENCODER)
    for d in docs:
        scores = sel.score(d["feats"], d["emb"])
        for pw, rows in into.items():
            picks = choose(d, scores, SelectionParams(position_weight=pw), block)
            rows.setdefault(d["style"] if fold >= 0 else d["set"], []).append(
                (max(fold, 0), *deltas(d, picks))
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/content_selector_cache"))
    ap.add_argument("--ckpt", type=Path, default=Path("/tmp/context_selector_ckpt"))
    ap.add_argument("--dtype", default="int8")
    ap.add_argument("--train-sets", nargs="+", default=list(TRAIN_SETS), help="the others are only scored")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--eval-epochs", type=int, nargs="+", default=[4, 8])
    ap.add_argument("--d-model", type=int, default=128)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--wd", type=float, default=1e-2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--bce", type=float, default=0.0)
    ap.add_argument("--no-block", action="store_true")
    ap.add_argument("--position", type=float, nargs="+", default=[0.0], help="selection's position prior")
    ap.add_argument(
        "--write", type=Path, help="write the weights fitted on every training article here (safetensors)"
    )
    args = ap.parse_args()
    torch.set_num_threads(1)
    args.ckpt.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    docs = load(args.cache, args.dtype)
    train_docs, cv_only, held = split_sets(docs, args.train_sets)
    print(f"{len(train_docs)} training articles, {len(held)} reported ({time.time() - t0:.0f}s)", flush=True)
    block = not args.no_block
    fold = folds_of(train_docs + cv_only, args.folds, args.seed)
    data = Tensors(train_docs)
    setting = f"d{args.d_model}h{args.heads}l{args.layers}lr{args.lr}wd{args.wd}b{args.batch}bce{args.bce}"
    sets = "+".join(sorted(args.train_sets))
    cv: dict[int, dict[float, Rows]] = {e: {pw: {} for pw in args.position} for e in args.eval_epochs}
    for k in range(args.folds) if args.folds > 1 else ():
        keys = [d["key"] for d in train_docs if fold[d["key"]] != k]
        nets = train(data, keys, args, f"{sets}_{setting}_f{k}")
        for e, net in nets.items():
            scored(net, [d for d in train_docs + cv_only if fold[d["key"]] == k], k, block, cv[e])
    for e in args.eval_epochs if args.folds > 1 else ():
        for pw in args.position:
            title = f"context selector {setting}, epoch {e}, position prior {pw}"
            table(cv[e][pw], f"{title}: {args.folds}-fold CV ({time.time() - t0:.0f}s)")
    nets = train(data, [d["key"] for d in train_docs], args, f"{sets}_{setting}_all")
    for e, net in nets.items():
        rep: dict[float, Rows] = {pw: {} for pw in args.position}
        scored(net, held, -1, block, rep)
        for pw in args.position:
            table(
                rep[pw],
                f"context selector {setting}, epoch {e}, position prior {pw}, fitted on all: reported sets",
            )
    if args.write:
        last = nets[max(nets)]
        ContextSelector(last, SelectionParams(position_weight=args.position[0]), ENCODER).save(args.write)
        digest = hashlib.sha256(args.write.read_bytes()).hexdigest()
        print(f"wrote {args.write} ({args.write.stat().st_size} bytes) sha256 {digest}")


if __name__ == "__main__":
    main()
