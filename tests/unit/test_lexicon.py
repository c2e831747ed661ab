"""The word lists of both engines: no duplicate entries, disjoint where they must be, every entry
reachable by the tokenizer, and the summariser's feature openers where the scorer was trained."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from service.engines.quotes import lexicon as quotes
from service.engines.quotes.context import _TOKEN
from service.engines.summarizer import lexicon as summary

ROOT = Path(__file__).resolve().parents[2]
LEXICONS = [
    ROOT / "service" / "engines" / "quotes" / "lexicon.py",
    ROOT / "service" / "engines" / "summarizer" / "lexicon.py",
]


def _word_literals(path: Path) -> list[tuple[int, list[str]]]:
    """Each word-list literal of a lexicon module: a string passed to a list builder
    (``_ws``/``_words``) or split, and each list or set of string constants."""
    out: list[tuple[int, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in ("_ws", "_words") and isinstance(node.args[0].value, str):
                out.append((node.lineno, node.args[0].value.split()))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "split":
            value = getattr(node.func, "value", None)
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                out.append((node.lineno, value.value.split()))
        strings = [e.value for e in getattr(node, "elts", []) if isinstance(e, ast.Constant)]
        if isinstance(node, ast.List | ast.Set | ast.Tuple) and strings and len(strings) == len(node.elts):
            out.append((node.lineno, [str(w) for w in strings]))
    return out


@pytest.mark.parametrize("path", LEXICONS, ids=lambda p: p.parent.name)
def test_no_word_list_repeats_an_entry(path: Path) -> None:
    """No word list of either lexicon names the same entry twice."""
    repeated = {
        line: sorted({w for w in words if words.count(w) > 1})
        for line, words in _word_literals(path)
        if len(set(words)) != len(words)
    }
    assert repeated == {}


def test_the_literal_scan_sees_the_lists() -> None:
    """The duplicate check reads the real lists (a scan that found nothing could never fail)."""
    scanned = {w for _, words in _word_literals(LEXICONS[0]) for w in words}
    assert scanned >= quotes.CUE_FINITE
    assert scanned >= quotes.MALE_NAMES
    assert set(summary.CONNECTIVES) <= {w for _, ws in _word_literals(LEXICONS[1]) for w in ws} | {
        c for c in summary.CONNECTIVES if " " in c
    }


def test_lists_that_must_be_disjoint_are() -> None:
    """Gender lists, title genders and finite/participle cue forms share no entry."""
    pairs = {
        "male/female names": quotes.MALE_NAMES & quotes.FEMALE_NAMES,
        "shared/gendered names": quotes.SHARED_NAMES & (quotes.MALE_NAMES | quotes.FEMALE_NAMES),
        "neutral/male titles": quotes._NEUTRAL_TITLES & quotes._MALE_TITLES,
        "neutral/female titles": quotes._NEUTRAL_TITLES & quotes._FEMALE_TITLES,
        "male/female titles": quotes._MALE_TITLES & quotes._FEMALE_TITLES,
        "finite/participle cues": quotes.CUE_FINITE & quotes.CUE_PARTICIPLE,
    }
    assert {k: v for k, v in pairs.items() if v} == {}


def test_derived_lists_stay_within_their_source() -> None:
    """The lists written as exceptions to another list are subsets of it, differing as documented."""
    assert quotes.DESC_DETS < quotes.DETERMINERS


def test_every_word_entry_can_be_a_token() -> None:
    """Every word-list entry of the quote lexicon is something the tokenizer can produce."""
    unmatchable = [
        (name, w)
        for name in dir(quotes)
        if name.isupper() and name != "CLAUSE_PUNCT"
        for w in getattr(quotes, name)
        if isinstance(w, str) and not _TOKEN.fullmatch(w)
    ]
    assert unmatchable == []


def test_summary_feature_openers_are_within_the_antecedent_openers() -> None:
    """The scorer's opener features read a subset of the antecedent openers (plus "we" and "i")."""
    assert set(summary.FEATURE_CONJUNCTION_OPENERS) <= set(summary.CONNECTIVES)
    extra = set(summary.FEATURE_PRONOUN_OPENERS) - set(summary.BACK_PRONOUNS) - set(summary.DEMONSTRATIVES)
    assert extra == {"we", "i"}


def test_opener_pattern_refuses_what_it_would_have_to_escape() -> None:
    """Opener words are plain lower-case words, so the pattern built from them needs no escaping."""
    assert summary.opener_pattern(("but", "in addition")) == "but|in addition"
    with pytest.raises(ValueError, match="lower-case"):
        summary.opener_pattern(("e.g.",))
