"""Property tests of the sentence splitter and noise removal on article-like texts: no exception,
exact and ordered offsets, bounded output and linear work."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from hypothesis import example, given

from service.engines.text import lines_with_spans, noise_spans, paragraphs, split_sentences, story_sentences
from tests.fuzz_text import articles, doubling_ratio, fuzz_settings


def assert_spans(text: str, spans: list[tuple[int, int]], *, disjoint: bool = True) -> None:
    """Spans are inside the text, non-empty, trimmed, sorted (and disjoint where promised)."""
    last_end = 0
    for s, e in spans:
        assert 0 <= s < e <= len(text)
        assert not text[s].isspace()
        assert not text[e - 1].isspace()
        if disjoint:
            assert s >= last_end
        last_end = max(last_end, e)
    assert spans == sorted(spans)


@given(articles())
@example("")
@example("\x00\x0b\x0c\x1c\x85\u2028\u2029\r\n")
@example("“" * 300 + "." * 300)
@example("It rained." * 200)
@fuzz_settings()
def test_splitter_offsets_are_exact_and_ordered(text: str) -> None:
    """split_sentences: every span is trimmed, inside one line, and spans never overlap."""
    spans = split_sentences(text)
    assert_spans(text, spans)
    assert all("\n" not in text[s:e] for s, e in spans)
    assert len(spans) <= len(text.split())


@given(articles(), articles())
@fuzz_settings(0.5)
def test_splitter_window_matches_its_slice(left: str, right: str) -> None:
    """Splitting a window of a text gives the spans of that window alone, shifted."""
    text = left + "\n" + right
    start = len(left) + 1
    assert split_sentences(text, start) == [(s + start, e + start) for s, e in split_sentences(right)]


@given(articles())
@example("Advertisement\n" * 40)
@example("Share this withEmailFacebook Copy this linkThe council met.")
@fuzz_settings()
def test_noise_and_paragraph_spans_are_exact(text: str) -> None:
    """noise_spans and paragraphs return trimmed, sorted spans; a paragraph is never noise."""
    noise = noise_spans(text)
    assert_spans(text, noise, disjoint=False)
    paras = paragraphs(text)
    assert_spans(text, paras)
    assert not set(paras) & set(noise)


@given(articles())
@example("(CNN) - \u2028“Hi,” he said.\x85Next line.")
@fuzz_settings()
def test_story_sentences_are_verbatim_and_counted(text: str) -> None:
    """story_sentences: each sentence is text[start:end], in order, indexed 0..n-1, outside noise
    lines, with a letter pair in it."""
    sents = story_sentences(text)
    assert_spans(text, [(s.start, s.end) for s in sents])
    noise_lines = set(noise_spans(text)) & set(lines_with_spans(text))
    for i, s in enumerate(sents):
        assert text[s.start : s.end] == s.text
        assert s.index == i
        assert not any(a <= s.start and s.end <= b for a, b in noise_lines)
    paras = [s.paragraph for s in sents]
    assert paras == sorted(paras)


_GROWTH: list[Callable[[int], str]] = [
    lambda n: "“" * (4000 * n),
    lambda n: "Mr. U.S. St. Jan. 3. A. B. ... … " * (100 * n),
]


@pytest.mark.parametrize(
    "make",
    _GROWTH,
    ids=[
        "marks",
        "abbreviations",
    ],
)
def test_story_sentences_work_grows_linearly(make: Callable[[int], str]) -> None:
    """Twice the text costs about twice the CPU time (best of five), never four times."""
    ratio = doubling_ratio(make, story_sentences, 10, clock=time.thread_time)
    assert ratio < 3.0, ratio


def test_doubling_check_tells_quadratic_from_linear_work() -> None:
    """The doubling check itself: a quadratic loop reads near 4, far above the linear bound."""

    def quadratic(text: str) -> int:
        return sum(text.count("x", 0, i) for i in range(0, len(text), 8))

    # Inputs large enough that the quadratic scan, not the loop's fixed cost per step, is the work
    # (tens of milliseconds, far above the clock's resolution); this thread's CPU time only, so
    # threads that earlier tests left running in the process do not flatten the ratio.
    ratio = doubling_ratio(lambda n: "x" * (2000 * n), quadratic, 10, bound=0.0, clock=time.thread_time)
    assert ratio > 3.0, ratio
