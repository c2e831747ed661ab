"""Inputs of bench/finetune_selector.py: a subsample of the selector cache's articles and, per unit,
the hidden states after the encoder's first two layers (frozen), cached once.

Articles: every cased CNN/DM training story (``cnndm_train`` and ``cnndm_val``), ``--lc`` of the
lower-cased CNN/DM stories (a seeded sample), and the sets never trained on (FRANK validation,
SummEval, the writers' set), read from bench/selector_data.py's cache (``--cache``; make
train-selector, with ``cnndm_lc`` encoded without ``--limit``). Folds: bench/train_selector.py's
``folds_of`` over the same articles the probes use (grouped by article, dealt per style, seed 13).

States: the shipped encoder (models/registry.py's MiniLM, the engine's 3-layer cut) in float32;
each unit is tokenised as the engine tokenises it but cut at ``--max-tokens`` (64: the long tail of
units is cut, the same cut at training and scoring), embeddings and layers 1-2 run once without
gradients, and the states are stored in float16 (shards of 250 articles under ``--out``, a stopped
run resumes at the first missing shard). The third layer, the one fine-tuned, runs in training.

usage: python bench/finetune_selector_data.py --cache DIR --out DIR [--lc N] [--max-tokens T]
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")


ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.finetune_selector import frozen_states  # noqa: E402
from bench.selector_probe import CNNDM, sources  # noqa: E402
from bench.train_selector import CV_ONLY_SETS, REPORT_SETS, TRAIN_SETS, folds_of, load  # noqa: E402

SHARD = 250
#: What each slim article keeps of the selector cache (texts stay on this machine, in the cache).
KEEP = (
    "key",
    "set",
    "k",
    "texts",
    "lead_k",
    "emb",
    "feats",
    "dependent",
    "oracle",
    "lead",
    "words",
    "tri",
    "rt",
    "ut",
    "sizes",
)


def subsample(cache: Path, dtype: str, lc: int, folds: int) -> dict[str, Any]:
    """The articles used, their folds (CNN/DM only), sources and LEAD-k word counts."""
    docs = load(cache, dtype)
    fold = folds_of([d for d in docs if d["set"] in TRAIN_SETS + CV_ONLY_SETS], folds, 13)
    fold = {k: v for k, v in fold.items() if k.split(":", 1)[0] in CNNDM}
    lower = sorted(d["key"] for d in docs if d["set"] == "cnndm_lc")
    picked = set(random.Random(13).sample(lower, min(lc, len(lower))))
    keep = [
        {f: d[f] for f in KEEP}
        for d in docs
        if d["set"] in ("cnndm_train", "cnndm_val") or d["key"] in picked or d["set"] in REPORT_SETS
    ]
    src, lead_words = sources()
    used = {d["key"] for d in keep}
    return {
        "docs": keep,
        "fold": {k: v for k, v in fold.items() if k in used},
        "src": {k: v for k, v in src.items() if k in used},
        "lead_words": {k: v for k, v in lead_words.items() if k in used},
    }


def encode(meta: dict[str, Any], out: Path, max_tokens: int) -> None:
    """Shards of frozen states, ``{key: [per-unit states]}``; existing shards are kept."""
    import torch

    from models.loaders import load_encoder

    torch.set_num_threads(1)
    enc = load_encoder(dtype="float32", max_tokens=128, layers=3)
    docs = sorted(meta["docs"], key=lambda d: d["key"])
    for s in range(0, len(docs), SHARD):
        path = out / f"states_{s // SHARD:03d}.pkl"
        if path.exists():
            continue
        t0 = time.process_time()
        shard = {
            d["key"]: frozen_states(enc.model, enc.tokenizer, d["texts"], max_tokens)
            for d in docs[s : s + SHARD]
        }
        path.with_suffix(".tmp").write_bytes(pickle.dumps(shard, protocol=5))
        path.with_suffix(".tmp").rename(path)
        print(f"{path.name}: {len(shard)} articles, {time.process_time() - t0:.0f} s CPU", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/content_selector_cache"))
    ap.add_argument("--dtype", default="int8")
    ap.add_argument("--out", type=Path, default=Path("/tmp/finetune_selector"))
    ap.add_argument("--lc", type=int, default=1500, help="lower-cased CNN/DM stories sampled (seed 13)")
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--max-tokens", type=int, default=64)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    meta_path = args.out / "docs.pkl"
    if not meta_path.exists():
        t0 = time.time()
        meta = subsample(args.cache, args.dtype, args.lc, args.folds)
        meta_path.write_bytes(pickle.dumps(meta, protocol=5))
        print(f"{len(meta['docs'])} articles kept ({time.time() - t0:.0f}s)", flush=True)
    meta = pickle.loads(meta_path.read_bytes())
    encode(meta, args.out, args.max_tokens)


if __name__ == "__main__":
    main()
