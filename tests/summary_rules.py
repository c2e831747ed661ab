"""The rules of the shared score_summary_cases.py, as test assertions shared by the engine tests
(tiny encoder) and the model tests (real weights)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from service.schemas import Summary

CASES = Path(__file__).resolve().parent / "data" / "summary_cases.jsonl"
#: A summary sentence must not end on an abbreviation (a split in the middle of "Mr. Smith").
ABBR = re.compile(r"\b(Mr|Mrs|Ms|Dr|St|Jan|Feb|Aug|Sept|Oct|Nov|Dec|U\.S|U\.K|Gov|Sen|Rep)\.$")
#: A whole sentence ends on a stop, optionally followed by closing quote marks or brackets.
WHOLE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
#: What may precede a whole sentence on its line: nothing, or a stop (and closers) and spaces.
WHOLE_BEFORE = re.compile(r"(?:^|[.!?…][\"'”’)\]]*)\s*[\"'“‘(\[]*$")


def load_cases() -> list[dict[str, Any]]:
    """The project's hard summary cases (texts written for the project)."""
    return [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]


def assert_case_rules(case: dict[str, Any], summary: Summary) -> None:
    """Sentences present, verbatim at their offsets, no noise line, no sentence cut at an
    abbreviation or glued to the next one."""
    text = case["text"]
    assert summary.sentences, case["id"]
    for noise in case["noise"]:
        assert noise[:30] not in summary.text, case["id"]
    for s in summary.sentences:
        assert s.start is not None
        assert s.end is not None
        assert text[s.start : s.end] == s.text, case["id"]
        assert not ABBR.search(s.text.strip()), case["id"]
        assert not re.search(r"[a-z]\.[A-Z][a-z]", s.text), case["id"]
        if case.get("whole_sentences"):
            assert_whole_sentence(text, s.start, s.end, case["id"])


def assert_whole_sentence(text: str, start: int, end: int, case_id: str = "") -> None:
    """text[start:end] starts where a sentence starts and ends where one ends (no clause cut off)."""
    line_start = text.rfind("\n", 0, start) + 1
    assert WHOLE_BEFORE.search(text[line_start:start]), case_id
    assert WHOLE_END.search(text[start:end]), case_id
    assert end == len(text) or text[end].isspace(), case_id
