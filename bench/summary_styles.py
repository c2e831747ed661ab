"""Training articles of every reference style for the summary ranker: ../shared/data/summaries/train/
split into the engine's candidate sentences and encoded exactly as the engine encodes them (one
article per ``encode_documents`` call, the engine's layer cut, token cut, pool and precision), with
the embeddings cached in resumable shards.

Styles (each a reference style the default length must serve): ``highlights`` (CNN/DM train and
validation, cased highlights, ~40 words), ``lowercase`` (CNN/DM test as See et al. released it:
lower-cased, tokenised highlights), ``one-sentence`` (XSum train: the removed first sentence) and
``extractive`` (BBC News Summary: sentences chosen by people, ~45% of the article). A style larger
than ``per_style`` is subsampled (seeded). No text enters the repository: everything is read at run
time.

usage (encode only, resumable): .venv/bin/python bench/summary_styles.py [--per-style 1500]
       [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench.summary_data import DATA, Doc, Variant, doc_key, doc_of  # noqa: E402
from service.engines.summarizer.candidates import candidate_sentences  # noqa: E402
from service.engines.summarizer.config import SummarizerConfig  # noqa: E402

TRAIN = DATA / "summaries" / "train"
#: Style -> the files that make it up.
STYLES: dict[str, tuple[str, ...]] = {
    "highlights": ("cnndm_train.jsonl", "cnndm_val.jsonl"),
    "lowercase": ("cnndm_test_lc.jsonl",),
    "one-sentence": ("xsum_train.jsonl",),
    "extractive": ("bbc.jsonl",),
}
DEFAULT_CACHE = Path("/tmp/summary_styles_embeddings")
SHARD = 250
SEED = 25


def load_style(style: str, per_style: int) -> list[dict[str, Any]]:
    """The style's articles, a seeded sample of ``per_style`` when it has more."""
    rows: list[dict[str, Any]] = []
    for name in STYLES[style]:
        path = TRAIN / name
        if not path.exists():
            sys.exit(f"no data at {path}")
        with open(path, encoding="utf8") as fh:
            rows.extend(json.loads(line) for line in fh)
    rows = [r for r in rows if r.get("article", "").strip() and r.get("reference", "").strip()]
    if len(rows) > per_style:
        rows = random.Random(SEED).sample(rows, per_style)
    return rows


def _shard_paths(cache: Path, variant: Variant) -> list[Path]:
    tag = f"L{variant.layers}_T{variant.max_tokens}_{variant.precision()}"
    return sorted(cache.glob(f"{tag}_*.pkl"))


def load_cache(cache: Path, variant: Variant) -> dict[str, np.ndarray]:
    """Every embedding cached for this encoder variant (all shards)."""
    out: dict[str, np.ndarray] = {}
    for path in _shard_paths(cache, variant):
        out.update(pickle.loads(path.read_bytes()))
    return out


def encode_missing(texts: list[list[str]], cache: Path, variant: Variant) -> dict[str, np.ndarray]:
    """Encode the articles not cached yet, one article at a time as the engine does, writing a
    new shard every ``SHARD`` articles (a stop loses at most one shard)."""
    have = load_cache(cache, variant)
    missing = {doc_key(t): t for t in texts if t and doc_key(t) not in have}
    if not missing:
        return have
    from models.loaders import load_encoder

    cache.mkdir(parents=True, exist_ok=True)
    tag = f"L{variant.layers}_T{variant.max_tokens}_{variant.precision()}"
    start = len(_shard_paths(cache, variant))
    cfg = SummarizerConfig()
    enc = load_encoder(dtype=variant.precision(), max_tokens=variant.max_tokens, layers=variant.layers)
    t0 = time.time()
    shard: dict[str, np.ndarray] = {}
    items = sorted(missing.items())
    for n, (key, sents) in enumerate(items, 1):
        shard[key] = enc.encode_documents([sents], batch_size=cfg.encode_batch_size)
        if len(shard) == SHARD or n == len(items):
            (cache / f"{tag}_{start:04d}.pkl").write_bytes(pickle.dumps(shard))
            have.update(shard)
            start, shard = start + 1, {}
            print(f"  encoded {n}/{len(items)} articles ({time.time() - t0:.0f}s)", flush=True)
    return have


def prepare_styles(per_style: int, cache: Path, variant: Variant) -> list[Doc]:
    """Every sampled training article of every style as a :class:`Doc` (``set`` = its style;
    one reference; no sentence labels: the ranker labels whole candidates)."""
    split = []
    for style in STYLES:
        for d in load_style(style, per_style):
            sents = candidate_sentences(d["article"], pool=variant.pool)[0]
            if sents:
                split.append((style, d, sents))
    emb = encode_missing([[s.text for s in sents] for _, _, sents in split], cache, variant)
    docs = []
    for style, d, sents in split:
        e = emb[doc_key([s.text for s in sents])].astype(np.float32)
        docs.append(doc_of(style, d, sents, e, [d["reference"]]))
    return docs


def style_folds(docs: list[Doc], k: int, seed: int) -> list[int]:
    """Fold of every article: groups (the same article twice is one group) dealt out per style."""
    fold_of_group: dict[str, int] = {}
    for name in dict.fromkeys(d.set for d in docs):
        groups = sorted({d.group for d in docs if d.set == name} - set(fold_of_group))
        random.Random(seed).shuffle(groups)
        for i, g in enumerate(groups):
            fold_of_group[g] = i % k
    return [fold_of_group[d.group] for d in docs]


def balance(docs: list[Doc], styles: set[str] | None = None) -> np.ndarray:
    """Each article's loss weight: 1 / the number of articles of its style (0 for a style not in
    ``styles``, when given: scored, never trained on)."""
    count: dict[str, int] = defaultdict(int)
    for d in docs:
        count[d.set] += 1
    return np.array([1.0 / count[d.set] if styles is None or d.set in styles else 0.0 for d in docs])


def sentence_count(text: str) -> int:
    """Sentences of a reference: its lines when it has several (highlights), else the pieces
    ending in . ! or ? followed by a space."""
    lines = [x for x in text.splitlines() if x.strip()]
    if len(lines) > 1:
        return len(lines)
    return max(1, len([p for p in re.split(r"(?<=[.!?])\s+", text.strip()) if p]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-style", type=int, default=1500)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = ap.parse_args()
    t0 = time.time()
    docs = prepare_styles(args.per_style, args.cache, Variant())
    counts = {s: sum(d.set == s for d in docs) for s in STYLES}
    print(f"prepared {len(docs)} articles in {time.time() - t0:.0f}s: {counts}")


if __name__ == "__main__":
    main()
