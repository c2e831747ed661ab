"""The hard property of the summary checker: the service's own summaries verify as supported.

usage: .venv/bin/python bench/checker_own_summaries.py [DATA.jsonl] [--articles N]

For every distinct article of FRANK validation (149), POST /v1/analyze to an in-process app with
the real engines and the service defaults, then POST /v1/verify with the summary it answered.
Prints how many summaries were refused (must be 0), how many sentences carry a problem and of which
kinds, and the ids of any refused article. Never prints article text. One torch thread; cost about
a second per article on this host.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from verify_bench import DEFAULT_DATA, wait_ready  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--articles", type=int, default=0, help="only the first N (0: all)")
    args = ap.parse_args()

    import torch
    from litestar.testing import TestClient

    from service.app import create_app
    from service.config import load_settings
    from service.console import log_to_stderr

    torch.set_num_threads(1)
    log_to_stderr()
    rows = [json.loads(line) for line in Path(args.data).read_text().splitlines() if line.strip()]
    first: dict[str, dict] = {}
    for r in rows:
        first.setdefault(r["hash"], r)
    docs = list(first.values())[: args.articles or None]
    refused, kinds, empty = [], Counter(), 0
    with TestClient(create_app(load_settings({}))) as client:
        wait_ready(client, 300)
        for d in docs:
            summary = client.post("/v1/analyze", json={"text": d["article"]}).json()["summary"]["text"]
            if not summary.strip():
                empty += 1
                continue
            verdict = client.post("/v1/verify", json={"text": d["article"], "summary": summary}).json()
            kinds.update(p["kind"] for s in verdict["sentences"] for p in s["problems"])
            if not verdict["supported"]:
                refused.append(d["hash"])
    out = {"articles": len(docs), "empty_summaries": empty, "refused": len(refused)}
    print(json.dumps({**out, "problem_kinds": dict(kinds), "refused_ids": refused}))


if __name__ == "__main__":
    main()
