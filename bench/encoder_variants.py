"""Encoder FLOPs per article of cheaper embedding variants, relative to today's (6 layers, 128
tokens, every candidate), over the shared summary sets' articles (read at run time).

usage: .venv/bin/python bench/encoder_variants.py

A variant keeps the first ``layers`` layers, cuts each sentence at ``max_tokens`` tokens and
encodes only the first ``pool`` candidates (0 = all). FLOPs as bench/flops.py counts them
(linear layers plus attention, unpadded, per the model's own tokenizer).
"""

from __future__ import annotations

import dataclasses
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from flops import encoder_flops, engine_sentences, load_shape, token_lengths  # noqa: E402
from summary_data import Variant, load_rows  # noqa: E402

VARIANTS = (
    Variant(6, 128, 0),
    Variant(4, 128, 0),
    Variant(3, 128, 0),
    Variant(6, 96, 0),
    Variant(6, 64, 0),
    Variant(4, 64, 0),
    Variant(6, 128, 12),
    Variant(6, 128, 16),
    Variant(6, 128, 20),
    Variant(4, 128, 16),
    Variant(4, 128, 20),
    Variant(3, 128, 20),
    Variant(3, 128, 16),
)


def main() -> None:
    shape, _ = load_shape()
    rows = load_rows()
    by_set: dict[str, list[list[int]]] = {}
    for name, d in rows:
        by_set.setdefault(name, []).append(token_lengths(engine_sentences(d["article"], 0), max_len=512))
    base: dict[str, float] = {}
    print("variant (layers, tokens, pool): mean encoder GFLOP/article per set, and / today's")
    for v in VARIANTS:
        cut = dataclasses.replace(shape, layers=v.layers)
        cells = []
        for name, docs in sorted(by_set.items()):
            g = statistics.fmean(
                encoder_flops([min(n, v.max_tokens) for n in (d[: v.pool] if v.pool else d)], cut) / 1e9
                for d in docs
            )
            base.setdefault(name, g)
            cells.append(f"{name} {g:.3f} ({base[name] / g:.2f}x fewer)")
        print(f"  L{v.layers} T{v.max_tokens} pool {v.pool or 'all'}: " + ", ".join(cells))


if __name__ == "__main__":
    main()
