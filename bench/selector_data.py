"""Training data for the content selector: the ~16,800 articles of ../shared/data/summaries/train/
(and, for reporting only, FRANK validation, SummEval and the writers' set), split into the
engine's candidate units, encoded exactly as the engine encodes them (same layer cut, token cut,
pool and the precision ``auto`` picks on this host, one article per ``encode_documents`` call),
with the engine's 30 sentence features and ROUGE labels.

Cached in shards of 250 articles (``--cache``, default /tmp/content_selector_cache); a stopped run
resumes at the first missing shard. One torch thread. Text stays in the cache, never in the repo.

``--lower`` lower-cases each article and reference first (a counterfactual of a cased set: the
engine then splits on every stop, as the lower-cased CNN/DM stories are split); keep it in its own
``--cache``.

usage: python bench/selector_data.py [--sets NAME ...] [--limit N] [--lower]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.summary_data import ngram_prf, tokens  # noqa: E402
from bench.summary_data import oracle as greedy_labels  # noqa: E402
from service.engines.summarizer.candidates import candidate_sentences, candidate_units, needs_antecedent  # noqa: E402
from service.engines.summarizer.config import SummarizerConfig  # noqa: E402
from service.engines.summarizer.features import sentence_features  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "summaries"
TRAIN = DATA / "train"
#: Set name -> file. The first five are training data; the last four are reported, never trained on.
FILES = {
    "cnndm_train": TRAIN / "cnndm_train.jsonl",
    "cnndm_val": TRAIN / "cnndm_val.jsonl",
    "xsum": TRAIN / "xsum_train.jsonl",
    "bbc": TRAIN / "bbc.jsonl",
    "cnndm_lc": TRAIN / "cnndm_test_lc.jsonl",
    "frank": DATA.parent / "frank" / "validation.jsonl",
    "summeval": DATA / "summeval.jsonl",
    "writers": DATA / "writers.jsonl",
}
SHARD = 250


def ref_sents(text: str) -> list[str]:
    """The reference splitter of ../shared/eval/budget_eval.py (k = its count, 1 to 5)."""
    text = re.sub(r"([a-z0-9%)][.!?][\"”’']?)([\"“‘]?[A-Z])", r"\1 \2", text)
    text = re.sub(r"([.!?][\"”’']?)\s+", "\\1\n", text)
    return [s.strip() for s in text.split("\n") if s.strip()]


def prepare_row(name: str, d: dict[str, Any], enc: Any) -> dict[str, Any] | None:
    """One article: candidate units, embeddings, features and labels (None without candidates)."""
    article = d["article"]
    sents, _ = candidate_sentences(article, pool=SummarizerConfig.candidate_pool)
    if not sents:
        return None
    texts = [s.text for s in sents]
    emb = enc.encode_documents([texts], batch_size=SummarizerConfig.encode_batch_size)
    ref = d["reference"]
    k = min(5, max(1, len(ref_sents(ref))))
    rt = tokens(ref)
    g1 = Counter((w,) for w in rt)
    toks = [tokens(t) for t in texts]
    gain = np.zeros((len(texts), 3), dtype=np.float32)  # R1 precision, R1 F, R2 F of each unit
    g2 = Counter(tuple(rt[i : i + 2]) for i in range(len(rt) - 1))
    for i, t in enumerate(toks):
        gain[i] = (ngram_prf(t, g1, 1)[0], ngram_prf(t, g1, 1)[1], ngram_prf(t, g2, 2)[1])
    oracle = greedy_labels(texts, [ref], k)
    return {
        "key": f"{name}:{d['hash']}",
        "set": name if name != "frank" else f"frank-{d['dataset']}",
        "k": k,
        "texts": texts,
        "spans": [(s.start, s.end) for s in sents],
        "emb": emb.astype(np.float16),
        "feats": sentence_features(sents, emb, article).astype(np.float32),
        "dependent": [needs_antecedent(t) for t in texts],
        "gain": gain,
        "oracle": oracle,
        "reference": ref,
        "lead_k": " ".join(ref_sents(article)[:k]),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=list(FILES))
    ap.add_argument("--dtype", default="int8", help="encoder precision (auto = what the engine picks here)")
    ap.add_argument("--limit", type=int, default=0, help="articles per set at most (0 = all)")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/content_selector_cache"))
    ap.add_argument(
        "--lower",
        action="store_true",
        help="lower-case article and reference first (keys and sets get an 'lc' prefix; use another --cache)",
    )
    args = ap.parse_args()
    import torch

    torch.set_num_threads(1)
    from models.loaders import load_encoder
    from models.precision import resolve_dtype

    cfg = SummarizerConfig()
    dtype = resolve_dtype(args.dtype)
    enc = load_encoder(dtype=dtype, max_tokens=cfg.encoder_max_tokens, layers=cfg.encoder_layers)
    args.cache.mkdir(parents=True, exist_ok=True)
    for name in args.sets:
        with open(FILES[name], encoding="utf8") as fh:
            rows = [json.loads(line) for line in fh]
        if args.limit:
            rows = rows[: args.limit]
        if args.lower:
            rows = [dict(d, article=d["article"].lower(), reference=d["reference"].lower()) for d in rows]
        for lo in range(0, len(rows), SHARD):
            path = args.cache / f"{name}_{dtype}_{lo // SHARD:03d}.pkl"
            if path.exists():
                continue
            t0 = time.time()
            out = [r for r in (prepare_row(name, d, enc) for d in rows[lo : lo + SHARD]) if r is not None]
            if args.lower:
                lowered = {f"{name}:{d['hash']}": d["article"] for d in rows[lo : lo + SHARD]}
                for r in out:
                    _, r["sizes"], _ = candidate_units(
                        lowered[r["key"]], pool=SummarizerConfig.candidate_pool
                    )
                    r["key"], r["set"] = f"lc{r['key']}", f"lc-{r['set']}"
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(pickle.dumps(out))
            tmp.rename(path)
            print(f"{name} shard {lo // SHARD}: {len(out)} articles, {time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()
