"""Run the summary engine directly over FRANK validation, write PRED, print the official score.

usage: .venv/bin/python bench/summary_eval.py [FRANK.jsonl] [--out PRED.jsonl] [--batch 8]

Uses the engine's defaults (callers send only {"text": ...}). Reads the data at run time and skips
cleanly (exit 0 with a message) when it is absent; writes predictions outside the repository.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.engines.summarizer import SummarizerConfig, create_summary_engine  # noqa: E402
from service.schemas import SummaryOptions  # noqa: E402

DEFAULT_DATA = str(ROOT.parent / "shared" / "data" / "frank" / "validation.jsonl")
SCORER = str(ROOT.parent / "shared" / "eval" / "score_summaries.py")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", default=DEFAULT_DATA)
    ap.add_argument("--out", default="/tmp/summary_pred.jsonl")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--dtype", default="auto", help="encoder dtype: auto, float32 or bfloat16")
    ap.add_argument("--max-tokens", type=int, default=128, help="encoder tokens per sentence")
    ap.add_argument("--encode-batch", type=int, default=16, help="sentences per encoder pass")
    args = ap.parse_args()
    if not Path(args.data).exists():
        print(f"no data at {args.data}; nothing to evaluate")
        return
    with open(args.data, encoding="utf8") as fh:
        docs = [json.loads(line) for line in fh]
    engine = create_summary_engine(
        SummarizerConfig(
            encoder_dtype=args.dtype, encoder_max_tokens=args.max_tokens, encode_batch_size=args.encode_batch
        )
    )
    engine.load()
    engine.warmup()
    t0 = time.perf_counter()
    with open(args.out, "w", encoding="utf8") as fh:
        for b in range(0, len(docs), args.batch):
            chunk = docs[b : b + args.batch]
            summaries = engine.summarize_batch([(d["article"], SummaryOptions()) for d in chunk])
            for d, s in zip(chunk, summaries, strict=True):
                fh.write(json.dumps({"hash": d["hash"], "summary": s.text}) + "\n")
    print(f"summarised {len(docs)} articles in {time.perf_counter() - t0:.1f}s -> {args.out}")
    if Path(SCORER).exists():
        out = subprocess.run(
            [sys.executable, SCORER, args.data, args.out], check=True, capture_output=True, text=True
        ).stdout
        score = json.loads(out)
        for ds, systems in score.items():
            pred, lead3 = systems.get("PREDICTION", {}), systems.get("LEAD-3", {})
            print(f"{ds}: PREDICTION {pred}")
            print(f"{ds}: LEAD-3     {lead3}")


if __name__ == "__main__":
    main()
