"""The hard quote cases (tests/data/quote_cases.jsonl) and the seed article, at engine level.

The rules mirror the shared ``score_cases.py`` checker: an expected quote must be covered to 70% by
a returned quote whose speaker name matches; ``not_quotes`` must not be returned; ``unattributed``
phrases may be returned only without a speaker name.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from service.engines.quotes import RuleQuoteEngine
from service.schemas import Quote

DATA = Path(__file__).resolve().parent.parent / "data" / "quote_cases.jsonl"
SEED = Path(__file__).resolve().parents[3] / "shared" / "data" / "seed"
CASES = [json.loads(line) for line in DATA.read_text(encoding="utf8").splitlines() if line.strip()]


def _cover(span: tuple[int, int], q: Quote) -> float:
    return max(0, min(span[1], q.end) - max(span[0], q.start)) / (span[1] - span[0])


def _problems(case: dict[str, Any]) -> list[str]:
    text = case["text"]
    got = RuleQuoteEngine().extract(text).quotes
    problems = []
    for want in case["quotes"]:
        s = text.find(want["text"])
        span = (s, s + len(want["text"]))
        match = max(got, key=lambda q: _cover(span, q), default=None)
        if match is None or _cover(span, match) < 0.7:
            problems.append(f"missed {want['text'][:40]!r}")
            continue
        name = match.speaker.name if match.speaker else None
        if want["speaker"] is None:
            persons = {p.lower() for p in case.get("persons", [])}
            ok = name is None or name.lower() not in persons
        else:
            ok = (name or "").lower() == want["speaker"].lower()
        if not ok:
            problems.append(f"{want['text'][:30]!r}: speaker {name!r}, want {want['speaker']!r}")
    for phrase in case.get("not_quotes", []):
        s = text.find(phrase)
        if any(_cover((s, s + len(phrase)), q) >= 0.5 for q in got):
            problems.append(f"{phrase!r} returned as a quote")
    for phrase in case.get("unattributed", []):
        s = text.find(phrase)
        for q in got:
            if _cover((s, s + len(phrase)), q) >= 0.5 and q.speaker is not None and q.speaker.name:
                problems.append(f"{phrase!r} attributed to {q.speaker.name!r}")
    return problems


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hard_case(case: dict[str, Any]) -> None:
    """Each hard case finds every expected quote with the expected speaker and nothing it must not."""
    assert _problems(case) == []


def test_offsets_are_exact_on_cases() -> None:
    """Every returned quote's text is exactly the article slice its offsets name."""
    for case in CASES:
        for q in RuleQuoteEngine().extract(case["text"]).quotes:
            assert case["text"][q.start : q.end] == q.text
            if q.speaker is not None and q.speaker.start is not None and q.speaker.end is not None:
                assert case["text"][q.speaker.start : q.speaker.end] == q.speaker.mention


@pytest.mark.skipif(not (SEED / "article.txt").exists(), reason="shared seed article not present")
def test_seed_article() -> None:
    """The seed article yields its six quotes with the expected speakers and nothing from noise lines."""
    text = (SEED / "article.txt").read_text(encoding="utf8")
    expected = json.loads((SEED / "expected.json").read_text(encoding="utf8"))
    result = RuleQuoteEngine().extract(text)
    for want in expected["quotes"]:
        hits = [q for q in result.quotes if q.start < want["end"] and q.end > want["start"]]
        assert len(hits) == 1, want["text"][:40]
        assert hits[0].speaker is not None
        assert hits[0].speaker.name == want["speaker"]
        assert _cover((want["start"], want["end"]), hits[0]) >= 0.95
    for line in expected["noise_lines"]:
        s = text.find(line)
        for q in result.quotes:
            if s <= q.start < s + len(line):
                assert q.speaker is None or q.speaker.name is None
    counts = {sp.name: sp.quote_count for sp in result.speakers}
    for sp in expected["speakers"]:
        assert counts.get(sp["name"]) == sp["quotes"]
