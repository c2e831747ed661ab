"""Relation errors written for the checker: what it answers for a summary that keeps the article's
words but moves a name or number to another fact.

usage: .venv/bin/python bench/checker_relations.py

One made-up article (written here) and twelve one-sentence summaries of it: three it backs, and
nine that recombine its words (subject and object swapped; a number moved to another noun; a name
given another person's action). Prints, per summary, the shipped checker's verdict and score and
the lexical binding features of bench/checker_binding.py, then how many of each class the checker
lets through. Loads the shipped encoder and weights (~5 s); deterministic.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

ARTICLE = (
    "Maria Okafor, the mayor of Lindenfield, praised the city's firefighters on Tuesday after a blaze "
    "destroyed a warehouse near the river. The fire started shortly after midnight and burned for six "
    "hours, according to fire chief Tomas Brandt. Brandt said 40 firefighters fought the flames and two "
    "of them were treated for smoke inhalation. Police arrested a 23-year-old man on suspicion of arson, "
    "and investigators are examining footage from 12 cameras. Okafor thanked residents who evacuated "
    "their homes. The warehouse was owned by Greenline Logistics, which said it would rebuild. Brandt "
    "criticised the company for blocked fire exits. The mayor has promised an inquiry."
)
SUMMARIES = [
    ("backed", "Fire chief Tomas Brandt said 40 firefighters fought the flames."),
    ("backed", "Police arrested a 23-year-old man on suspicion of arson after a warehouse blaze."),
    ("backed", "Brandt criticised Greenline Logistics for blocked fire exits."),
    ("subject/object swapped", "Greenline Logistics criticised Brandt for blocked fire exits."),
    ("subject/object swapped", "The firefighters praised Maria Okafor after a blaze destroyed a warehouse."),
    (
        "number moved",
        "Brandt said 12 firefighters fought the flames and investigators examined footage from 40 cameras.",
    ),
    ("number moved", "The fire burned for two hours and six firefighters were treated for smoke inhalation."),
    ("number moved", "Police arrested a 40-year-old man on suspicion of arson."),
    ("name on another's action", "Maria Okafor said 40 firefighters fought the flames."),
    ("name on another's action", "Tomas Brandt thanked residents who evacuated their homes."),
    ("name on another's action", "Mayor Maria Okafor criticised the company for blocked fire exits."),
    ("name on another's action", "Tomas Brandt has promised an inquiry into the blaze."),
]


def main() -> None:
    import checker_binding as binding
    import torch

    from service.engines.verify import SummaryChecker

    torch.set_num_threads(1)
    checker = SummaryChecker()
    checker.load()
    art = binding.Article(ARTICLE)
    passed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for kind, summary in SUMMARIES:
        verdict = checker.verify(ARTICLE, summary)
        feats = dict(
            zip(binding.NEW, (round(v, 2) for v in binding.binding_features(art, summary)), strict=True)
        )
        problems = [p.kind for s in verdict.sentences for p in s.problems]
        row = {"class": kind, "supported": verdict.supported, "score": round(verdict.score, 3)}
        print(json.dumps({**row, "problems": problems, "binding": feats}))
        total[kind] += 1
        passed[kind] += verdict.supported
    for kind in total:
        print(f"{kind}: {passed[kind]} of {total[kind]} verified as supported")


if __name__ == "__main__":
    main()
