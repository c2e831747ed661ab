"""/v1/verify/batch against the same documents sent one by one to /v1/verify, in one run.

usage: .venv/bin/python bench/verify_batch_bench.py [DATA.jsonl] [--articles 24] [--size 8] [--rounds 2]

Takes the first summary of each of the first ``--articles`` FRANK articles, in groups of ``--size``.
For each group and round, an in-process app with the real engines answers the group once as one
batch and once as that many single requests, in alternating order (batch first on even groups of
even rounds, singles first otherwise). Prints the CPU kind, the median milliseconds per document
both ways, and the median over groups of (batch time / sum of single times): the batch checks its
documents one after the other on the checker's thread, so the ratio should be about 1 (it saves
only the per-request overhead). One torch thread.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.verify_bench import DEFAULT_DATA, cpu_kind, timed_post, wait_ready  # noqa: E402


def groups(data: str, articles: int, size: int) -> list[list[dict[str, Any]]]:
    """The first summary of each of the first ``articles`` articles, as request bodies, in groups."""
    first: dict[str, dict[str, Any]] = {}
    for line in Path(data).read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            first.setdefault(row["hash"], row)
    docs = [{"text": r["article"], "summary": r["summary"]} for r in list(first.values())[:articles]]
    return [docs[i : i + size] for i in range(0, len(docs), size)]


def batch_ms(client: Any, docs: list[dict[str, Any]]) -> float:
    """Milliseconds for one batch whose every slot must answer 200."""
    t = time.perf_counter()
    r = client.post("/v1/verify/batch", json={"documents": docs}, timeout=600)
    ms = (time.perf_counter() - t) * 1000
    statuses = [x["status"] for x in r.json()["results"]] if r.status_code == 200 else [r.status_code]
    if set(statuses) != {200}:
        raise SystemExit(f"/v1/verify/batch answered {statuses}")
    return ms


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--articles", type=int, default=24)
    ap.add_argument("--size", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()

    from litestar.testing import TestClient

    from service.app import create_app
    from service.config import load_settings
    from service.console import log_to_stderr

    log_to_stderr()  # the app's request log goes to stderr; stdout carries only the results
    # A deadline long enough for a whole group: the figure is the cost, not the limit.
    settings = load_settings({}, request_timeout_s=600.0)
    print(f"cpu: {cpu_kind()}")
    batched: list[float] = []
    single: list[float] = []
    ratios: list[float] = []
    with TestClient(create_app(settings), timeout=600) as client:
        wait_ready(client, 300)
        for rnd in range(args.rounds):
            for g, docs in enumerate(groups(args.data, args.articles, args.size)):
                runs = ["batch", "single"] if (g + rnd) % 2 == 0 else ["single", "batch"]
                took: dict[str, float] = {}
                for how in runs:
                    if how == "batch":
                        took[how] = batch_ms(client, docs)
                    else:
                        took[how] = sum(timed_post(client, "/v1/verify", d) for d in docs)
                batched.append(took["batch"] / len(docs))
                single.append(took["single"] / len(docs))
                ratios.append(took["batch"] / took["single"])
    result = {
        "documents_per_batch": args.size,
        "batches": len(ratios),
        "batch_ms_per_document_median": round(statistics.median(batched), 1),
        "single_ms_per_document_median": round(statistics.median(single), 1),
        "batch_over_singles_median": round(statistics.median(ratios), 3),
        "batch_over_singles_range": [round(min(ratios), 3), round(max(ratios), 3)],
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
