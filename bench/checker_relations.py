"""Relation errors written for the checker: what it answers for a summary that keeps the article's
words but moves a name or number to another fact.

usage: .venv/bin/python bench/checker_relations.py

Two made-up articles (written here) and 26 one-sentence summaries of them: ten they back
(passives, possessives, clauses, amounts, a paraphrase), and sixteen that recombine their words
(subject and object swapped; a number moved to another noun; a name given another person's
action). Prints, per summary, the shipped checker's verdict, score and problems (a "relation"
problem is ``service/engines/verify/relations.py``'s proof from the article), and
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

#: A second article (written here): passives, possessives, clauses, amounts with units.
ARTICLE2 = (
    "Harbour Council appointed Lena Varga as its chief executive on Monday. Varga replaced Peter "
    "Holm, who was dismissed by the council in March after an audit. The audit was ordered by Holm's "
    "deputy, Sara Lind. Lind said the council had spent £3 million on consultants and 14 staff had "
    "left. Varga, 52, previously ran the Eastport Water Board for 9 years. The board was fined £2 "
    "million by regulators in 2019. Holm criticised Lind in a letter to 30 councillors."
)
SUMMARIES2 = [
    ("backed", "Lena Varga was appointed by Harbour Council as chief executive."),
    ("backed", "Peter Holm was replaced by Lena Varga after an audit."),
    ("backed", "In a letter to 30 councillors, Holm criticised Lind."),
    ("backed", "Holm's deputy Sara Lind said 14 staff had left."),
    ("backed", "Varga, 52, ran the Eastport Water Board for 9 years."),
    ("backed", "The council spent £3 million on consultants, Lind said."),
    ("backed", "Harbour Council named Lena Varga its chief executive."),
    ("subject/object swapped", "Peter Holm replaced Lena Varga as chief executive."),
    ("subject/object swapped", "Lind criticised Holm in a letter to 30 councillors."),
    ("subject/object swapped", "Harbour Council was appointed by Lena Varga on Monday."),
    ("number moved", "Lind said the council had spent £14 million on consultants and 3 staff had left."),
    ("number moved", "The board was fined £9 million by regulators."),
    ("number moved", "Varga ran the Eastport Water Board for 52 years."),
    ("name on another's action", "Sara Lind replaced Peter Holm."),
]
TEXTS = [(ARTICLE, SUMMARIES), (ARTICLE2, SUMMARIES2)]


def main() -> None:
    import checker_binding as binding
    import torch

    from service.engines.verify import SummaryChecker

    torch.set_num_threads(1)
    checker = SummaryChecker()
    checker.load()
    passed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for article, summaries in TEXTS:
        _report(checker, binding, (article, summaries), passed, total)
    for kind in total:
        print(f"{kind}: {passed[kind]} of {total[kind]} verified as supported")


def _report(checker, binding, text, passed, total) -> None:
    """Print each summary's verdict and count it."""
    article, summaries = text
    art = binding.Article(article)
    for kind, summary in summaries:
        verdict = checker.verify(article, summary)
        feats = dict(
            zip(binding.NEW, (round(v, 2) for v in binding.binding_features(art, summary)), strict=True)
        )
        problems = [p.kind for s in verdict.sentences for p in s.problems]
        row = {"class": kind, "supported": verdict.supported, "score": round(verdict.score, 3)}
        print(json.dumps({**row, "problems": problems, "binding": feats}))
        total[kind] += 1
        passed[kind] += verdict.supported


if __name__ == "__main__":
    main()
