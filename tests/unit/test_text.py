"""Sentence splitting, paragraphs and page-noise removal (service.engines.text)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from service.engines.text import (
    is_noise_line,
    noise_spans,
    paragraphs,
    split_sentences,
    story_sentences,
)
from tests.fuzz_text import doubling_ratio

SEED_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "seed"


def texts(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


class TestSplitSentences:
    def test_offsets_point_at_sentences(self) -> None:
        """Every span is exact: text[start:end] is the sentence, without surrounding spaces."""
        text = "  The mayor spoke.  Then she left!\nA new line starts here?  "
        spans = split_sentences(text)
        assert [text[s:e] for s, e in spans] == [
            "The mayor spoke.",
            "Then she left!",
            "A new line starts here?",
        ]

    @pytest.mark.parametrize(
        "text",
        [
            "Mr. Daniel Hart met Dr. Nina Shah in St. Louis on Monday.",
            "The deal will start in Jan. 2027 and end in Sept. 2029.",
            "The U.S. Army and the U.K. Navy held joint drills.",
            "J. K. Rowling and Gov. Adams attended the event.",
        ],
    )
    def test_abbreviations_do_not_end_sentences(self, text: str) -> None:
        """Titles, initials, months before numbers and dotted acronyms before names stay inside."""
        assert texts(text) == [text]

    def test_acronym_before_sentence_opener_ends_sentence(self) -> None:
        """'the U.S. The ...' is a boundary: the next word is a typical sentence opener."""
        assert texts("She moved to the U.S. The move was hard.") == [
            "She moved to the U.S.",
            "The move was hard.",
        ]

    def test_glued_sentences_are_split(self) -> None:
        """Sentences glued without a space ('deal.Fishing', 'court.A') become two sentences."""
        assert texts("They signed the deal.Fishing will resume.A court heard it.") == [
            "They signed the deal.",
            "Fishing will resume.",
            "A court heard it.",
        ]

    def test_glued_split_spares_numbers_and_domains(self) -> None:
        """Decimals, domains and 'U.S.A' are not sentence boundaries."""
        assert texts("Growth was 3.5 per cent, said bbc.co.uk in the U.S.A today.") == [
            "Growth was 3.5 per cent, said bbc.co.uk in the U.S.A today."
        ]

    def test_quote_ending_a_sentence(self) -> None:
        """A closing quote after final punctuation belongs to the sentence it ends."""
        assert texts('He said: "It is over." Then he left. "We won!" she said.') == [
            'He said: "It is over."',
            "Then he left.",
            '"We won!" she said.',
        ]

    def test_glued_after_closing_quote(self) -> None:
        """'... agreed."The next' splits after the closing quote."""
        assert texts('It was "a brief return"."When I was asked, I agreed.') == [
            'It was "a brief return".',
            '"When I was asked, I agreed.',
        ]

    def test_ellipsis_inside_quote_is_not_a_boundary(self) -> None:
        """An ellipsis marks words left out of a quote, not a sentence end."""
        text = "“We have difficulties ... I think it was embarrassing,” he said."
        assert texts(text) == [text]

    def test_sentences_never_cross_lines(self) -> None:
        """A line break always ends a sentence, even without punctuation."""
        assert texts("Headline without stop\nBody sentence one. Body two.") == [
            "Headline without stop",
            "Body sentence one.",
            "Body two.",
        ]


class TestNoise:
    @pytest.mark.parametrize(
        "line",
        [
            "By Ellen Fraser, Health Correspondent",
            "By John Smith and Jane Doe",
            "Share this article",
            "Subscribe to our newsletter for the latest updates",
            "Read more: Nurses vote on pay offer",
            "Advertisement",
            "Most read",
            "Photograph: Local Wildlife Trust",
            "Image caption, The storks were first seen by a dog walker",
            "[ Council defers decision on new stadiumOpens in new window ]",
            "Scroll down for video",
            "The mayor at the opening on Monday. Photograph: Getty Images",
        ],
    )
    def test_furniture_lines(self, line: str) -> None:
        """Bylines, share/subscribe/read-more lines, captions and link markers are noise."""
        assert is_noise_line(line)

    @pytest.mark.parametrize(
        "line",
        [
            "By Tuesday, the council had approved the plan after a long debate.",
            "Shares rose 4 per cent in early trading after the announcement.",
            "Photographers gathered outside the court on Monday morning.",
        ],
    )
    def test_story_lines_are_not_noise(self, line: str) -> None:
        """Prose that merely starts like furniture ('By Tuesday, ...') is story text."""
        assert not is_noise_line(line)

    def test_related_headlines_between_prose(self) -> None:
        """Short unpunctuated lines between prose paragraphs are related headlines."""
        text = (
            "The council approved a new plan on Tuesday.\n"
            "Storm warning issued for western counties\n"
            "The plan was passed by 31 votes to 12.\n"
            "Work is due to begin in the spring."
        )
        spans = noise_spans(text)
        assert [text[s:e] for s, e in spans] == ["Storm warning issued for western counties"]
        assert [text[s:e] for s, e in paragraphs(text)] == [
            "The council approved a new plan on Tuesday.",
            "The plan was passed by 31 votes to 12.",
            "Work is due to begin in the spring.",
        ]

    def test_inline_furniture_is_cut_from_sentences(self) -> None:
        """Furniture glued onto story text is removed from the sentences it touches."""
        text = (
            "Share this withEmailFacebookTwitterCopy this linkResearchers found the lake had shrunk."
            "Media playback is not supported on this deviceThe team won 3-1."
        )
        got = [s.text for s in story_sentences(text)]
        assert got == ["Researchers found the lake had shrunk.", "The team won 3-1."]
        assert all(text[s.start : s.end] == s.text for s in story_sentences(text))

    def test_long_line_starting_like_furniture_is_story(self) -> None:
        """A whole article glued behind a share prefix is kept, minus the prefix."""
        body = " ".join(f"Sentence number {i} tells part of the story." for i in range(12))
        text = "Share this withEmailCopy this link" + body
        sents = story_sentences(text)
        assert len(sents) == 12
        assert sents[0].text.startswith("Sentence number 0")

    def test_cnn_dateline_prefix_removed(self) -> None:
        """'(CNN)' glued before the first sentence is furniture."""
        sents = story_sentences("(CNN)They may be close to finding life, a scientist says. More follows.")
        assert sents[0].text == "They may be close to finding life, a scientist says."

    def test_noise_spans_signature(self) -> None:
        """noise_spans returns sorted (start, end) int pairs pointing at the noise text."""
        text = "Story starts here.\nAdvertisement\nStory goes on here."
        assert noise_spans(text) == [(19, 32)]

    def test_story_sentences_numbering(self) -> None:
        """Paragraph and sentence counters skip noise lines."""
        text = "First one. Second one.\nAdvertisement\nThird one."
        sents = story_sentences(text)
        assert [(s.paragraph, s.index, s.in_paragraph) for s in sents] == [(0, 0, 0), (0, 1, 1), (1, 2, 0)]


@pytest.mark.skipif(not (SEED_DIR / "expected.json").exists(), reason="seed article not available")
def test_seed_article_noise_lines() -> None:
    """Every noise line listed for the seed article is flagged, and no story sentence holds one."""
    text = (SEED_DIR / "article.txt").read_text(encoding="utf-8")
    expected = json.loads((SEED_DIR / "expected.json").read_text(encoding="utf-8"))["noise_lines"]
    flagged = {text[s:e] for s, e in noise_spans(text)}
    for line in expected:
        assert line in flagged
    for sent in story_sentences(text):
        assert not any(line[:30] in sent.text for line in expected)


@pytest.mark.parametrize(
    ("unit", "count"),
    [
        ("It rained. ", 5_000),
        ("Advertisement\nIt rained.\n", 1_250),
        ("Good words here. Share this with Email Facebook Copy this link. ", 750),
        ("x", 250_000),
    ],
    ids=["many-short-sentences", "many-furniture-lines", "inline-furniture", "one-huge-word"],
)
def test_pathological_texts_split_in_linear_time(unit: str, count: int) -> None:
    """Splitting and noise removal take linear work on inputs built to be adversarial: twice the
    text (50k+ characters), about twice the CPU time, never four times."""
    assert doubling_ratio(lambda n: unit * n, story_sentences, count, clock=time.thread_time) < 3.0
