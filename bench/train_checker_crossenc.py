"""Fine-tune the summary checker's cross-encoder (models/crossenc.py) on the synthetic pairs of
bench/checker_pairs.py.

usage: .venv/bin/python bench/train_checker_crossenc.py [--pairs DIR/pairs.jsonl] [--cache DIR]
       [--layers 3] [--epochs 3] [--batch 16] [--lr 8e-5] [--seed 28] [--max-steps N]

The shipped all-MiniLM-L6-v2 reads ``[CLS] claim [SEP] evidence [SEP]``; its embeddings and lower
layers stay frozen, its top ``--layers`` layers and a linear head learn supported / unsupported
(binary cross-entropy, AdamW, linear warm-up and decay, batches of similar length in a seeded
order). 5 % of the articles are held out to report synthetic accuracy. A checkpoint of what is
trained (float16, models.crossenc) is written to --cache/crossenc_ckpt.safetensors every
``--every`` steps, and a rerun resumes from it (the measured checkpoint was trained as
``--epochs 1``, then resumed with ``--epochs 3``: the same batches, the learning-rate schedule of
the first epoch being the one-epoch run's). bench/checker_crossenc_cv.py measures it on FRANK.
One torch thread. Cost on this host (AVX-512, one contended core): ~10 pairs/s, so three epochs
of ~8.8k pairs take ~45 min, < 1 GB.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def batches(
    pairs: list[dict[str, Any]], size: int, rng: random.Random, ids: list[list[int]]
) -> list[list[int]]:
    """Indices in batches of similar length, the batches in a seeded random order."""
    order = sorted(range(len(pairs)), key=lambda i: (len(ids[i]), rng.random()))
    out = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(out)
    return out


def evaluate(model: Any, ids: list[list[int]], labels: list[int], pad: int) -> dict[str, float]:
    """Accuracy and mean loss of the model on held-out pairs."""
    import torch

    from models.crossenc import batch

    model.eval()
    right, loss = 0, 0.0
    for b in range(0, len(ids), 32):
        x, m = batch(ids[b : b + 32], pad)
        y = torch.tensor(labels[b : b + 32], dtype=torch.float32)
        with torch.inference_mode():
            logits = model(x, m)
        loss += float(torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="sum"))
        right += int(((logits > 0).float() == y).sum())
    model.train()
    return {"accuracy": round(right / max(1, len(ids)), 4), "loss": round(loss / max(1, len(ids)), 4)}


def save(model: Any, path: Path, layers: int, meta: dict[str, Any]) -> None:
    """The trained tensors (float16) with the config in the safetensors metadata."""
    from safetensors.torch import save_file

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    save_file(
        model.trained_state(), str(tmp), metadata={"config": json.dumps({"trained_layers": layers} | meta)}
    )
    tmp.replace(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", default=str(ROOT / "out" / "checker-cache" / "pairs.jsonl"))
    ap.add_argument("--cache", default=str(ROOT / "out" / "checker-cache"))
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--seed", type=int, default=28)
    ap.add_argument("--every", type=int, default=100)
    ap.add_argument("--max-steps", type=int, default=0)
    args = ap.parse_args()
    import torch

    from models import bert
    from models.crossenc import CrossEncoder, batch, pair_ids
    from models.registry import MINILM, resolve

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    pairs = [json.loads(line) for line in Path(args.pairs).read_text().splitlines() if line.strip()]
    articles = sorted({p["id"] for p in pairs})
    held = set(random.Random(args.seed).sample(articles, max(1, len(articles) // 20)))
    train = [p for p in pairs if p["id"] not in held]
    dev = [p for p in pairs if p["id"] in held][:400]
    path = resolve(MINILM)
    tok = bert.Tokenizer(path)
    model = CrossEncoder.from_base(bert.load_model(path), args.layers)
    for p in model.base.parameters():
        p.requires_grad_(False)
    ids = pair_ids(tok, [p["claim"] for p in train], [p["evidence"] for p in train])
    dev_ids = pair_ids(tok, [p["claim"] for p in dev], [p["evidence"] for p in dev])
    plan = [b for _ in range(args.epochs) for b in batches(train, args.batch, rng, ids)]
    if args.max_steps:
        plan = plan[: args.max_steps]
    opt = torch.optim.AdamW(
        [
            {"params": list(model.top.parameters()), "lr": args.lr},
            {"params": list(model.head.parameters()), "lr": args.lr * 20},
        ],
        weight_decay=0.01,
    )
    warm = max(1, len(plan) // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (len(plan) - s) / max(1, len(plan) - warm)))
    )
    cache = Path(args.cache)
    ckpt = cache / "crossenc_ckpt.safetensors"
    start = 0
    state_file = cache / "crossenc_ckpt.json"
    if ckpt.exists() and state_file.exists():
        from models.crossenc import load_trained

        resumed = load_trained(model.base, ckpt)
        model.top.load_state_dict(resumed.top.state_dict())
        model.head.load_state_dict(resumed.head.state_dict())
        start = json.loads(state_file.read_text())["step"]
        for _ in range(start):
            sched.step()
        print(f"resumed at step {start}", file=sys.stderr)
    pad = tok.pad_token_id
    print(json.dumps({"train": len(train), "dev": len(dev), "steps": len(plan), "start": start}), flush=True)
    model.train()
    t0, seen = time.time(), 0
    for step in range(start, len(plan)):
        rows = plan[step]
        x, m = batch([ids[i] for i in rows], pad)
        y = torch.tensor([float(train[i]["label"]) for i in rows])
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(x, m), y)
        opt.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        seen += len(rows)
        if (step + 1) % 10 == 0:
            rate = seen / (time.time() - t0)
            print(f"step {step + 1}/{len(plan)} loss {float(loss):.3f} {rate:.1f} pairs/s", flush=True)
        if (step + 1) % args.every == 0 or step + 1 == len(plan):
            save(model, ckpt, args.layers, {"step": step + 1})
            state_file.write_text(json.dumps({"step": step + 1}))
            print(
                json.dumps(
                    {"step": step + 1, "dev": evaluate(model, dev_ids, [p["label"] for p in dev], pad)}
                ),
                flush=True,
            )
    print(f"final tensors: {ckpt}")


if __name__ == "__main__":
    main()
