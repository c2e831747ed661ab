"""Score the quote engine's speaker names exactly, on PolNeAR train quotes annotated with the
speaker's canonical name (``bench/data/polnear_train_names.jsonl``: article id, quote offsets and
the name only; the article text is read from the shared data at run time).

usage: quotes_names.py [--data ../shared/data/polnear/train.jsonl] [--names bench/data/...]
                       [--out-dir out/names]

Builds two gold files for the annotated quotes (one with the canonical names as sources, one with
PolNeAR's own mentions), runs the engine over those articles and prints the scorer's
``--exact-names`` figures (exact-name accuracy, precision of the names given and their coverage,
pronoun quotes named as another person, and the calibration of speaker.confidence: expected
calibration error, precision of the more confident half, ROC AUC) at Jaccard 0.5.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.quotes_eval import load_scorer
from service.engines.quotes import RuleQuoteEngine

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def build_gold(data: Path, names: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(canonical gold, mention gold) for the annotated quotes, one article a line each."""
    ann: dict[str, dict[tuple[int, int], str]] = {}
    for line in names.read_text(encoding="utf8").splitlines():
        if line.strip():
            a = json.loads(line)
            ann.setdefault(a["article"], {})[(a["start"], a["end"])] = a["name"]
    canon, mention = [], []
    with data.open(encoding="utf8") as src:
        for line in src:
            doc = json.loads(line)
            want = ann.get(doc["article"])
            if not want:
                continue
            cq, mq = [], []
            for q in doc["quotes"]:
                seg = q["quote_segments"][0]
                name = want.get((seg["start"], seg["end"]))
                if name is None:
                    continue
                cq.append(
                    {
                        "quote_segments": q["quote_segments"],
                        "source": [{"start": -1, "end": -1, "text": name}],
                    }
                )
                mq.append(q)
            canon.append({"article": doc["article"], "text": doc["text"], "quotes": cq})
            mention.append({"article": doc["article"], "text": doc["text"], "quotes": mq})
    return canon, mention


def predict(engine: RuleQuoteEngine, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The engine's quotes for each article, as the scorer reads them."""
    return [
        {
            "article": d["article"],
            "quotes": [msgspec.to_builtins(q) for q in engine.extract(d["text"]).quotes],
        }
        for d in docs
    ]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=SHARED / "data" / "polnear" / "train.jsonl")
    ap.add_argument("--names", type=Path, default=ROOT / "bench" / "data" / "polnear_train_names.jsonl")
    ap.add_argument("--out-dir", type=Path, default=Path("out/names"))
    args = ap.parse_args()
    scorer = load_scorer(args.data.resolve().parent.parent.parent / "eval" / "score_quotes.py")
    canon, mention = build_gold(args.data, args.names)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    paths = {k: args.out_dir / f"{k}.jsonl" for k in ("canonical", "mention", "pred")}
    write_jsonl(paths["canonical"], canon)
    write_jsonl(paths["mention"], mention)
    write_jsonl(paths["pred"], predict(RuleQuoteEngine(), canon))
    pron = scorer.pronoun_segments(str(paths["mention"]))
    res = scorer.score(str(paths["canonical"]), str(paths["pred"]), exact_names=True, pronouns=pron)["j0.5"]
    keys = (
        "speaker_pairs",
        "speaker_acc",
        "names_given_precision",
        "names_given_coverage",
        "pronoun_wrong_person_rate",
        "calibration_error",
        "precision_top_half",
        "confidence_auc",
    )
    print(json.dumps({"articles": len(canon), **{k: res[k] for k in keys}}, indent=1))


if __name__ == "__main__":
    main()
