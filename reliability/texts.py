"""Articles for the reliability checks, written here from our own sentences.

Every article carries distinctive marker words, in narration and inside quotes, so that a scan of the
server's logs can prove that no article text and no quote was ever written there. No text comes
from a data set.
"""

from __future__ import annotations

import random
import secrets

#: Invented words that occur nowhere in the service's code or its libraries' messages.
NARRATION_MARKER = "Quillbrackenfeld"
QUOTE_MARKER = "Vormantlezish"
ID_MARKER = "Zephyrquorn"
MARKERS = (NARRATION_MARKER, QUOTE_MARKER, ID_MARKER)

_PEOPLE = [
    "Ines Halvorsen",
    "Tomas Okafor",
    "Priya Ramaswamy",
    "Lena Vasquez",
    "Colm Brennan",
    "Mei Tanaka",
    "Arjun Mehta",
    "Sofia Lindqvist",
]
_ROLES = [
    "the harbour commissioner",
    "a spokesperson for the council",
    "the union's treasurer",
    "the regional health director",
    "a local shop owner",
]
_PLACES = [
    "the northern ferry terminal",
    "the old grain market",
    "the riverside depot",
    "the eastern ring road",
    "the municipal library",
]
_TOPICS = [
    "the budget for repairs",
    "the new timetable",
    "the planned closure",
    "the water tariff",
    "the housing plan",
]


def make_token() -> str:
    """A fresh bearer token for one run: long, random, easy to find in a log if it ever leaks."""
    return "rel-" + secrets.token_hex(16)


def article(seed: int = 0, paragraphs: int = 6) -> str:
    """A news-style article with quotes, speakers and the markers; deterministic for a seed."""
    rnd = random.Random(seed)  # noqa: S311 - reproducible prose, not a secret
    out = [
        f"{NARRATION_MARKER} officials met at {rnd.choice(_PLACES)} on Tuesday to discuss "
        f"{rnd.choice(_TOPICS)}."
    ]
    for i in range(paragraphs):
        who = rnd.choice(_PEOPLE)
        role = rnd.choice(_ROLES)
        topic = rnd.choice(_TOPICS)
        place = rnd.choice(_PLACES)
        if i % 3 == 0:
            out.append(
                f"“We cannot keep delaying {topic} at {place}, and the {QUOTE_MARKER} report "
                f"proves it,” said {who}, {role}. The meeting ran late into the evening."
            )
        elif i % 3 == 1:
            out.append(
                f"{who} told reporters: “The {QUOTE_MARKER} figures were checked twice.” "
                f"Critics said the figures for {topic} were still incomplete."
            )
        else:
            out.append(
                f"The committee voted {rnd.randint(5, 9)} to {rnd.randint(1, 4)} in favour. "
                f"“It is a fair compromise,” {who} said. Work at {place} begins in "
                f"{rnd.choice(['March', 'June', 'October'])}."
            )
    return "\n".join(out)


def long_article(chars: int, seed: int = 0) -> str:
    """An article of about ``chars`` characters, built from :func:`article` paragraphs."""
    parts: list[str] = []
    total = 0
    i = 0
    while total < chars:
        a = article(seed + i, paragraphs=6)
        parts.append(a)
        total += len(a) + 1
        i += 1
    return "\n".join(parts)[:chars]


# --------------------------------------------------------------------------------------------------
# Valid but pathological texts: each must get a 200 in bounded time from the real engines.


def pathological(limit: int = 200_000) -> dict[str, str]:
    """Name → text of valid inputs that stress the text engines; each at most ``limit`` characters.

    Each carries the narration marker so that it is covered by the log scan too.
    """
    head = f"{NARRATION_MARKER} wrote this. "
    room = limit - len(head)
    return {
        "nul_and_control_chars": head + ("Plain words here. \x00\x01\x07\x1b\x7f\u200b\ufeff " * 4000)[:room],
        "one_long_line_no_spaces": head + "a" * room,
        "100k_straight_quote_marks": head + '"' * min(room, 100_000),
        "100k_curly_quote_marks": head + "“" * min(room, 100_000),
        "alternating_quote_pairs": head + ("“x” " * 50_000)[:room],
        "short_sentences_one_line": head + ("It rained. " * 20_000)[:room],
        "said_quotes_one_line": head + ('"Yes," said Ann. ' * 12_000)[:room],
        "page_furniture_lines": head + ("Advertisement\nIt rained.\n" * 8_000)[:room],
        "inline_furniture": head + ("Scroll down for video It rained.\n" * 6_000)[:room],
        "unclosed_quotes_per_line": head + ("“She never finished the quote\n" * 6_000)[:room],
    }
