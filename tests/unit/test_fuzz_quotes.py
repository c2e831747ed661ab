"""Property tests of the quote engine on article-like texts: no exception, exact offsets, bounded
output and linear work."""

from __future__ import annotations

import time

import pytest
from hypothesis import example, given

from reliability.sweep import FORMS
from service.engines.quotes import RuleQuoteEngine
from service.schemas import QuotesResult
from tests.fuzz_text import MARKS, articles, doubling_ratio, fuzz_settings

ENGINE = RuleQuoteEngine()


def assert_valid(text: str, res: QuotesResult) -> None:
    """Every quote and speaker mention is the text at its offsets; counts stay bounded."""
    marks = sum(text.count(m) for m in MARKS)
    assert len(res.quotes) <= marks
    last = -1
    for q in res.quotes:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == q.text
        assert q.start >= last
        last = q.start
        ref = q.speaker
        if ref is not None and ref.start is not None:
            assert ref.end is not None
            assert 0 <= ref.start < ref.end <= len(text)
            assert text[ref.start : ref.end] == ref.mention
    assert len(res.speakers) <= len(res.quotes)
    assert sum(s.quote_count for s in res.speakers) <= len(res.quotes)


@pytest.mark.parametrize(
    "text",
    [
        'the mayor said "\' " and left.',
        'he said, "\'" then went.',
        'ann said: "\' "\nbob said "yes."',
        "“’ ” said the mayor.",
        '“ ” ‘ ’ " " said he.',
    ],
    ids=["apostrophe-space", "apostrophe", "two-lines", "curly", "empty-pairs"],
)
def test_quote_whose_inner_text_is_only_marks_is_handled(text: str) -> None:
    """A quote whose inner text is empty after stripping marks (lower-cased ``' "`` runs) used to
    raise IndexError in the span features; now it is analysed like any other span."""
    assert_valid(text, ENGINE.extract(text))


@given(articles())
@example("")
@example("\n\n\n")
@example('"' * 50)
@example("“„«»‹›‘’'‚``''" * 8)
@example('she said "' + "word " * 3000 + '"')
@fuzz_settings()
def test_extract_never_raises_and_offsets_are_exact(text: str) -> None:
    """Any article-like text: no exception, every offset points at its quote or mention."""
    assert_valid(text, ENGINE.extract(text))


@given(articles())
@fuzz_settings(0.5)
def test_every_case_and_mark_form_is_valid(text: str) -> None:
    """The sweep's forms of one text (lower, upper, marks swapped, breaks lost) all analyse."""
    for make in FORMS.values():
        form = make(text)
        assert_valid(form, ENGINE.extract(form))


def _article(n: int) -> str:
    para = (
        "“We will not back down,” said Mayor Jane Porter on Tuesday. Critics disagreed. "
        '‘It is a waste,’ one of them told reporters, adding: "Nobody asked us." '
    )
    return "\n".join(para.replace("Tuesday", f"day {k}") for k in range(n))


@pytest.mark.parametrize(
    "make",
    [
        _article,
        lambda n: "' \" " * (200 * n),
        lambda n: "‘’„“«»‹›" * (200 * n),
    ],
    ids=["article", "apostrophe-runs", "every-mark"],
)
def test_extract_work_grows_linearly(make: object) -> None:
    """Twice the text costs about twice the CPU time (best of five), never four times."""
    assert callable(make)
    ratio = doubling_ratio(make, ENGINE.extract, 30, clock=time.thread_time)
    assert ratio < 3.0, ratio
