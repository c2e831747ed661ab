"""Run the rule-based quote engine over a PolNeAR-derived jsonl file and score it.

usage: quotes_eval.py GOLD.jsonl [--out PRED.jsonl] [--scorer PATH/score_quotes.py]

Writes one prediction line per article ({"article", "quotes": [...]}, quote dicts as
``msgspec.to_builtins`` of :class:`service.schemas.Quote`) and prints the scorer's JSON. The scorer
defaults to ``eval/score_quotes.py`` two folders above the gold file (the shared layout).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path
from types import ModuleType

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service.engines.quotes import RuleQuoteEngine


def load_scorer(path: Path) -> ModuleType:
    """Import the scorer script as a module (it is a plain file, not a package)."""
    spec = importlib.util.spec_from_file_location("score_quotes", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load scorer {path}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", type=Path)
    ap.add_argument("--out", type=Path, default=Path("out/quotes_pred.jsonl"))
    ap.add_argument("--scorer", type=Path, default=None)
    args = ap.parse_args()
    scorer = args.scorer or args.gold.resolve().parent.parent.parent / "eval" / "score_quotes.py"
    engine = RuleQuoteEngine()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    t0 = time.perf_counter()
    with args.gold.open(encoding="utf8") as src, args.out.open("w", encoding="utf8") as dst:
        for line in src:
            if not line.strip():
                continue
            doc = json.loads(line)
            result = engine.extract(doc["text"])
            quotes = [msgspec.to_builtins(q) for q in result.quotes]
            dst.write(json.dumps({"article": doc["article"], "quotes": quotes}) + "\n")
            n += 1
    elapsed = time.perf_counter() - t0
    print(f"articles: {n}, engine time {elapsed:.2f} s, predictions: {args.out}", file=sys.stderr)
    if scorer.exists():
        print(json.dumps(load_scorer(scorer).score(str(args.gold), str(args.out)), indent=1))
    else:
        print(f"scorer not found at {scorer}; predictions written only", file=sys.stderr)


if __name__ == "__main__":
    main()
