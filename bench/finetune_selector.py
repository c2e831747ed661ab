"""Fine-tune the encoder's top layer for content selection on CPU (issue #25, round eight).

The engine's sentence vectors come from a 3-layer cut of MiniLM, frozen; every selector so far
read them as they are. Here the third layer is trained: the states after the first two layers
are cached once (bench/finetune_selector_data.py, float16), and a copy of the third layer (its
pretrained weights as the start) runs on them with gradients, followed by the engine's pooling
(mean over the unit's tokens, unit length) and a linear head over [vector, vector x the article's
mean vector, one-hot position 0..10 and 11+, the 30 standardised features]. Loss: listwise, per
article the softmax of the unit logits against the greedy ROUGE oracle's units (as
bench/train_context_selector.py). AdamW (layer lr ``--lr``, head lr ``--head-lr``, weight decay
0.01, linear decay), batches of ``--batch`` articles, one torch thread, seeded per fold; a
checkpoint every ``--every`` steps and at each epoch's end (a stopped run resumes there).

Folds: those of bench/finetune_selector_data.py (3, grouped by article, seed 13); each fold's net
scores its held-out CNN/DM articles, and the mean of the fold nets' logits scores the sets never
trained on (FRANK validation CNN/DM and XSum, SummEval, writers) once (``--refit``: a net trained
on every article instead). ``--freeze`` trains the same head on the frozen layer (the ablation).
bench/finetune_selector_report.py then measures the fine-tuned scores, the frozen ablation, the
frozen probe (bench/selector_probe.py, fitted on the same articles and folds) and today's scorer
with the probe's harness: k sentences by the engine's ``select`` with trigram blocking, and
selection at LEAD-k's length (bench/selector_fixed_length.py, the setting chosen by CV alone); R1
F and recall deltas against LEAD-k, se, fold spread, paired differences.

usage: python bench/finetune_selector.py --data DIR [--epochs N] [--only K ...] [--freeze] [--refit]
       python bench/finetune_selector_report.py --data DIR [--epochs N]
"""

from __future__ import annotations

import argparse
import copy
import os
import pickle
import random
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: bench/selector_probe.py's position buckets (0..10, 11+) and sets (not imported: that module is untyped).
POSITIONS = 12
CNNDM = ("cnndm_train", "cnndm_val", "cnndm_lc")
REPORT_SETS = ("frank-cnndm", "frank-xsum", "summeval", "writers")
CHUNK = 64  # units per forward chunk (sorted by length, little padding)


class TopSelector(nn.Module):
    """The encoder's last layer (trainable) over cached lower-layer states, pooled, and a linear head."""

    mean: torch.Tensor
    std: torch.Tensor

    def __init__(self, layer: nn.Module, mean: np.ndarray, std: np.ndarray) -> None:
        super().__init__()
        self.layer = layer
        dim = 384
        self.head = nn.Linear(2 * dim + POSITIONS + len(mean), 1)
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)
        self.register_buffer("mean", torch.from_numpy(mean.astype(np.float32)))
        self.register_buffer("std", torch.from_numpy(std.astype(np.float32)))

    def pooled(self, units: list[torch.Tensor]) -> torch.Tensor:
        """Unit-length mean-pooled output of the layer for each unit's (tokens, 384) states."""
        out = torch.zeros(len(units), units[0].shape[1])
        order = sorted(range(len(units)), key=lambda i: units[i].shape[0])
        parts, index = [], []
        for b in range(0, len(order), CHUNK):
            rows = order[b : b + CHUNK]
            width = max(units[i].shape[0] for i in rows)
            x = torch.zeros(len(rows), width, units[0].shape[1])
            keep = torch.zeros(len(rows), width, dtype=torch.bool)
            for r, i in enumerate(rows):
                x[r, : units[i].shape[0]] = units[i]
                keep[r, : units[i].shape[0]] = True
            mask = None if bool(keep.all()) else keep[:, None, None, :].expand(-1, 1, width, -1)
            h = self.layer(x, mask)
            m = keep.unsqueeze(-1).float()
            parts.append(nn.functional.normalize((h * m).sum(1) / m.sum(1), dim=1))
            index.extend(rows)
        return out.index_copy(0, torch.tensor(index), torch.cat(parts))

    def forward(self, arts: list[list[torch.Tensor]], feats: list[torch.Tensor]) -> list[torch.Tensor]:
        """One logit per unit of each article."""
        flat = [u for a in arts for u in a]
        vec = self.pooled(flat)
        out, pos = [], 0
        for a, f in zip(arts, feats, strict=True):
            e = vec[pos : pos + len(a)]
            pos += len(a)
            onehot = torch.zeros(len(a), POSITIONS)
            onehot[torch.arange(len(a)), torch.clamp(torch.arange(len(a)), max=POSITIONS - 1)] = 1.0
            x = torch.cat([e, e * e.mean(0, keepdim=True), onehot, (f - self.mean) / self.std], dim=1)
            out.append(self.head(x).squeeze(1))
        return out


def frozen_states(model: Any, tokenizer: Any, texts: list[str], max_tokens: int) -> list[np.ndarray]:
    """Per unit, the (tokens, 384) float16 states after every layer but the last."""
    ids = tokenizer(texts, truncation=True, max_length=max_tokens, add_special_tokens=True)["input_ids"]
    out: list[np.ndarray] = [np.zeros(0)] * len(texts)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    for b in range(0, len(order), 16):
        rows = order[b : b + 16]
        width = max(len(ids[i]) for i in rows)
        input_ids = torch.zeros((len(rows), width), dtype=torch.long)
        keep = torch.zeros((len(rows), width), dtype=torch.bool)
        for r, i in enumerate(rows):
            input_ids[r, : len(ids[i])] = torch.tensor(ids[i])
            keep[r, : len(ids[i])] = True
        mask = None if bool(keep.all()) else keep[:, None, None, :].expand(-1, 1, width, -1)
        with torch.inference_mode():
            x = model.embeddings(input_ids)
            for layer in model.encoder.layer[:-1]:
                x = layer(x, mask)
        for r, i in enumerate(rows):
            out[i] = x[r, : len(ids[i])].numpy().astype(np.float16)
    return out


def load_states(data: Path) -> dict[str, list[torch.Tensor]]:
    """Every cached article's per-unit lower-layer states (float16 kept; cast per batch)."""
    states: dict[str, list[torch.Tensor]] = {}
    for path in sorted(data.glob("states_*.pkl")):
        for key, units in pickle.loads(path.read_bytes()).items():
            states[key] = [torch.from_numpy(u) for u in units]
    return states


def top_layer() -> nn.Module:
    """A float32 copy of the shipped encoder's last kept layer (the engine's 3-layer cut)."""
    from models.loaders import load_encoder

    enc = load_encoder(dtype="float32", max_tokens=128, layers=3)
    layer: nn.Module = copy.deepcopy(enc.model.encoder.layer[-1])
    return layer.train()


def listwise(logits: list[torch.Tensor], oracles: list[np.ndarray]) -> torch.Tensor:
    """Mean over articles of the cross-entropy of the unit softmax against the oracle's units."""
    terms = []
    for z, o in zip(logits, oracles, strict=True):
        t = torch.from_numpy((o > 0).astype(np.float32))
        terms.append(-(t / t.sum() * torch.log_softmax(z, 0)).sum())
    return torch.stack(terms).mean()


def train_fold(
    k: int, train: list[dict[str, Any]], states: dict[str, list[torch.Tensor]], args: argparse.Namespace
) -> TopSelector:
    """The net for fold ``k`` (-1: every article), resumed from its last checkpoint."""
    torch.manual_seed(13 + k)
    feats = np.vstack([d["feats"] for d in train])
    std = feats.std(0)
    std[std < 1e-6] = 1.0
    net = TopSelector(top_layer(), feats.mean(0), std)
    groups = [{"params": net.head.parameters(), "lr": args.head_lr}]
    if args.freeze:  # the ablation: the same head on the frozen layer's vectors
        net.layer.requires_grad_(False)
    else:
        groups.append({"params": net.layer.parameters(), "lr": args.lr})
    opt = torch.optim.AdamW(groups, weight_decay=0.01)
    per_epoch = (len(train) + args.batch - 1) // args.batch
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.0, 1.0 - s / (per_epoch * args.epochs)))
    ckpt = args.data / f"ckpt_{tag(args)}_e{args.epochs}_fold{k}.pt"
    epoch, step = 0, 0
    if ckpt.exists():
        saved = torch.load(ckpt, weights_only=False)
        net.load_state_dict(saved["net"])
        opt.load_state_dict(saved["opt"])
        sched.load_state_dict(saved["sched"])
        epoch, step = saved["epoch"], saved["step"]
    t0 = time.process_time()
    while epoch < args.epochs:
        order = sorted(train, key=lambda d: d["key"])
        random.Random(13 + 100 * k + epoch).shuffle(order)
        batches = [order[b : b + args.batch] for b in range(0, len(order), args.batch)]
        for i in range(step, len(batches)):
            batch = batches[i]
            arts = [[u.float() for u in states[d["key"]]] for d in batch]
            loss = listwise(
                net(arts, [torch.from_numpy(d["feats"]) for d in batch]), [d["oracle"] for d in batch]
            )
            opt.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            opt.step()
            sched.step()
            if (i + 1) % args.every == 0 or i + 1 == len(batches):
                done = (epoch + 1, 0) if i + 1 == len(batches) else (epoch, i + 1)
                state = {"net": net.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict()}
                torch.save({**state, "epoch": done[0], "step": done[1]}, ckpt)
                print(
                    f"fold {k} epoch {epoch} step {i + 1}/{len(batches)} loss {loss.item():.3f} "
                    f"({time.process_time() - t0:.0f} s CPU)",
                    flush=True,
                )
        epoch, step = epoch + 1, 0
    return net.eval()


def score(
    net: TopSelector, docs: list[dict[str, Any]], states: dict[str, list[torch.Tensor]]
) -> dict[str, np.ndarray]:
    """Unit logits of each article."""
    out: dict[str, np.ndarray] = {}
    with torch.inference_mode():
        for d in docs:
            z = net([[u.float() for u in states[d["key"]]]], [torch.from_numpy(d["feats"])])[0]
            out[d["key"]] = z.numpy().astype(np.float32)
    return out


def tag(args: argparse.Namespace) -> str:
    """The name of a run's files: ``ft`` (the top layer trained) or ``frozen`` (``--freeze``)."""
    return "frozen" if args.freeze else "ft"


def run(args: argparse.Namespace) -> None:
    """Train every fold (each resumable) and keep their scores; then score the sets never trained
    on with the mean of the fold nets' logits (or, ``--refit``, a net trained on every article)."""
    meta = pickle.loads((args.data / "docs.pkl").read_bytes())
    docs, fold = meta["docs"], meta["fold"]
    states = load_states(args.data)
    print(f"{len(states)} articles' states loaded", flush=True)
    cnndm = [d for d in docs if d["set"] in CNNDM and d["key"] in fold]
    unseen = [d for d in docs if d["set"] in REPORT_SETS]
    folds = list(range(max(fold.values()) + 1))
    for k in args.only if args.only is not None else [*folds, -1]:
        path = args.data / f"scores_{tag(args)}_e{args.epochs}_fold{k}.pkl"
        if k < 0:
            path = args.data / f"scores_{tag(args)}_e{args.epochs}_unseen.pkl"
        if path.exists():
            continue
        if k < 0 and not args.refit:
            path.write_bytes(pickle.dumps(fold_mean(folds, unseen, states, args)))
            continue
        held = [d for d in cnndm if fold[d["key"]] == k] if k >= 0 else unseen
        train = [d for d in cnndm if fold[d["key"]] != k and d["oracle"].sum() > 0]
        if args.fraction < 1.0:
            train = sorted(train, key=lambda d: d["key"])
            random.Random(13 + k).shuffle(train)
            train = train[: round(args.fraction * len(train))]
        net = train_fold(k, train, states, args)
        path.write_bytes(pickle.dumps(score(net, held, states)))
        print(f"fold {k}: {len(train)} trained on, {len(held)} scored", flush=True)


def fold_mean(
    folds: list[int],
    docs: list[dict[str, Any]],
    states: dict[str, list[torch.Tensor]],
    args: argparse.Namespace,
) -> dict[str, np.ndarray]:
    """The mean of the fold nets' unit logits (each net read from its last checkpoint)."""
    runs = []
    for k in folds:
        net = TopSelector(top_layer(), np.zeros(30), np.ones(30))
        saved = torch.load(args.data / f"ckpt_{tag(args)}_e{args.epochs}_fold{k}.pt", weights_only=False)
        assert saved["epoch"] == args.epochs, f"fold {k} is not trained to the end"
        net.load_state_dict(saved["net"])
        runs.append(score(net.eval(), docs, states))
    return {d["key"]: np.mean([r[d["key"]] for r in runs], axis=0).astype(np.float32) for d in docs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("/tmp/finetune_selector"))
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--head-lr", type=float, default=2e-3)
    ap.add_argument("--every", type=int, default=50)
    ap.add_argument("--freeze", action="store_true", help="ablation: train the head only, the layer frozen")
    ap.add_argument("--fraction", type=float, default=1.0, help="share of each fold's articles trained on")
    ap.add_argument("--only", type=int, nargs="+", help="train only these folds (-1: the refit)")
    ap.add_argument("--refit", action="store_true", help="score the unseen sets with a net fitted on all")
    args = ap.parse_args()
    torch.set_num_threads(1)
    run(args)


if __name__ == "__main__":
    main()
