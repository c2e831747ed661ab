"""The articles the benchmark sends: FRANK's CNN/DM rows (read at run time) or generated ones."""

from __future__ import annotations

import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "frank" / "validation.jsonl"


def load_articles(path: str | Path | None = None, limit: int | None = None) -> tuple[list[str], str]:
    """CNN/DM articles of FRANK (deduplicated, file order) or, without the file, generated ones."""
    p = Path(path) if path else DEFAULT_DATA
    texts: list[str] = []
    if p.is_file():
        seen: set[str] = set()
        with p.open(encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                row = json.loads(line)
                text = row.get("article")
                if (
                    row.get("dataset") == "cnndm"
                    and isinstance(text, str)
                    and text.strip()
                    and text not in seen
                ):
                    seen.add(text)
                    texts.append(text)
    if texts:
        return texts[:limit] if limit else texts, f"frank-cnndm:{p.name}"
    return generate_articles(limit or 75), "generated"


_FIRST = ["Maria", "James", "Aisha", "Tom", "Li", "Sofia", "David", "Grace", "Omar", "Helen"]
_LAST = ["Okafor", "Lindqvist", "Moreno", "Patel", "Brennan", "Kowalski", "Tanaka", "Fischer"]
_ORG = [
    "the city council",
    "the transport ministry",
    "the regional hospital trust",
    "the football club",
    "the national weather service",
    "the university",
    "the water company",
    "the police",
]
_TOPIC = [
    "a new tram line",
    "the budget for next year",
    "flood defences",
    "a stadium expansion",
    "hospital waiting times",
    "a school merger",
    "rising rents",
    "a wind farm off the coast",
]
_VERB = ["approved", "rejected", "postponed", "announced", "criticised", "defended", "reviewed"]
_CUE = ["said", "says", "added", "told reporters", "explained"]


def generate_articles(n: int, seed: int = 7, target_chars: int = 3500) -> list[str]:
    """News-like articles written from templates: paragraphs, figures, quotes with speakers."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        org, topic = rng.choice(_ORG), rng.choice(_TOPIC)
        paras: list[str] = []
        size = 0
        want = int(target_chars * rng.uniform(0.5, 1.6))
        while size < want:
            name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
            kind = rng.random()
            if kind < 0.35:
                para = (
                    f"“We have looked at {topic} for {rng.randint(2, 19)} months and the case is "
                    f"clear,” {rng.choice(_CUE)} {name}, who speaks for {org}. “Nobody should be "
                    f"surprised by what happens next.”"
                )
            elif kind < 0.6:
                para = (
                    f"On {rng.choice(['Monday', 'Tuesday', 'Friday'])}, {org} {rng.choice(_VERB)} "
                    f"{topic} after a debate that lasted {rng.randint(2, 9)} hours. The cost was put "
                    f"at {rng.randint(3, 900)} million, up {rng.randint(2, 40)} per cent on the "
                    f"estimate of {rng.randint(2010, 2023)}."
                )
            elif kind < 0.8:
                para = (
                    f"{name} said the plan would affect about {rng.randint(2, 90)},000 people. "
                    f"Critics argued that {topic} had been handled badly from the start, and that "
                    f"residents were told too little, too late."
                )
            else:
                para = (
                    f"Figures published by {org} show that {rng.randint(5, 95)} per cent of "
                    f"respondents supported {topic}. A second survey, carried out in "
                    f"{rng.randint(2015, 2024)}, found similar results across every district."
                )
            paras.append(para)
            size += len(para) + 1
        out.append("\n".join(paras))
    return out
