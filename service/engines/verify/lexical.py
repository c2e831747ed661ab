"""Word-level evidence for the summary checker: words, numbers and names of a summary sentence that
the article does not contain.

Everything here is case-insensitive and tolerant of tokenised text ("the 23-year-old , who"), since
summaries written by other systems are often lower-cased and tokenised; the article is the
reference for what counts as supported.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from service.engines.verify.types import ProblemKind

#: A word token (numbers keep their inner separators: "1,200", "3.5").
WORD = re.compile(r"[A-Za-z0-9]+(?:['’.,][A-Za-z0-9]+)*")
#: Matches the text before a word when that word opens a sentence (or a quotation, a clause after a
#: colon, a bracket): nothing, or a stop, colon, semicolon, opening quote or bracket and spaces.
SENTENCE_START = re.compile(r"(^|[.!?:;\"“(]\s*)$")
_NUMBER = re.compile(r"(?<![\w.])[$£€]?\d+(?:[.,]\d+)*(?:\s?(?:%|per ?cent|million|billion|m|bn|k))?", re.I)
_CAP = re.compile(
    r"\b[A-Z][A-Za-z’'.\-]*[A-Za-z](?:\s+(?:of|the|de|van|von|al|del|and|&)?\s*[A-Z][A-Za-z’'.\-]*[A-Za-z])*"
)
_NEG = re.compile(
    r"\b(?:not|no|never|nobody|none|nothing|neither|nor|without|cannot|denied|denies|deny)\b|n't", re.I
)

_NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17",
    "eighteen": "18", "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50",
    "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90", "hundred": "100",
    "first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5", "sixth": "6",
    "seventh": "7", "eighth": "8", "ninth": "9", "tenth": "10", "half": "0.5", "dozen": "12",
}  # fmt: skip
_MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec",
}  # fmt: skip
_STOP_WORDS = """
a an the and or but if of to in on at by for with from as into onto over under about after
before between during through up down out off than then so too very can could will would shall
should may might must do does did done doing be is are was were been being am have has had
having it its it's this that these those there here he him his she her hers they them their
theirs we us our ours you your yours i me my mine who whom whose which what when where why how
not no nor all any both each few more most other some such only own same just also s t said says
say told tell according while because since until although though yet per via amid among one's
itself himself herself themselves ourselves yourself myself new
"""
_STOP = frozenset(_STOP_WORDS.split())
#: Function words: not evidence of content either way.
STOP_WORDS = _STOP
_ORG_TAILS_WORDS = """
inc corp corporation company co ltd plc group party council ministry department agency
university college school club fc united city bank association union commission committee office
police army court government parliament assembly board institute foundation trust authority
service services league federation organisation organization news times post
"""
_ORG_TAILS = frozenset(_ORG_TAILS_WORDS.split())
_TITLES_WORDS = """
mr mrs ms miss dr prof sir lord lady president minister senator judge
"""
_TITLES = frozenset(_TITLES_WORDS.split())
#: Titles before a name ("Mr", "Councillor"): not a name by themselves.
TITLES = _TITLES
_PLACE_CUES_WORDS = """
in at from near across to into
"""
_PLACE_CUES = frozenset(_PLACE_CUES_WORDS.split())


_TOKENISED_STOP = re.compile(r"(?<=\s[.!?])\s+(?=\S)")


def summary_sentences(summary: str) -> list[tuple[int, int]]:
    """Sentence spans of a summary: the service's splitter, and also at the free-standing stops of
    tokenised, lower-cased text ("... the family . the woman moved ..."), which it keeps whole."""
    from service.engines.text import split_sentences

    out: list[tuple[int, int]] = []
    for s, e in split_sentences(summary):
        start = s
        for m in _TOKENISED_STOP.finditer(summary, s, e):
            if summary[start : m.start()].strip():
                out.append((start, m.start()))
            start = m.end()
        if summary[start:e].strip():
            out.append((start, e))
    return out


def words(text: str) -> list[str]:
    """Lower-cased word tokens of ``text`` (numbers keep their inner separators)."""
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


def name_words(text: str) -> set[str]:
    """Lower-cased words ``text`` (one sentence) writes capitalised away from a sentence start: the
    article's names, found in a way that holds for lower-cased summaries too."""
    out = set()
    for m in WORD.finditer(text):
        w = m.group()
        if w[:1].isupper() and not SENTENCE_START.search(text[: m.start()]) and w.lower() not in STOP_WORDS:
            out.add(w.lower())
    return out


def stem(word: str) -> str:
    """A crude stem: enough to match "charges"/"charged"/"charge", "police's"/"police"."""
    w = word.removesuffix("'s")
    for suffix in ("ing", "ed", "es", "s"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def content(ws: list[str]) -> list[str]:
    """The words that carry content (no stop words, no one-letter tokens)."""
    return [w for w in ws if w not in _STOP and len(w) > 1]


def normal_number(token: str) -> str:
    """A number as digits: "1,200" -> "1200", "3.0" -> "3", "two" -> "2"."""
    t = token.lower().strip("$£€")
    t = re.sub(r"\s?(%|per ?cent|million|billion|m|bn|k)$", "", t)
    if t in _NUMBER_WORDS:
        return _NUMBER_WORDS[t]
    t = t.replace(",", "")
    if re.fullmatch(r"\d+\.0+", t):
        t = t.split(".")[0]
    return t


@dataclass(frozen=True, slots=True)
class Mention:
    """A number or name in a summary sentence, with offsets relative to the sentence."""

    kind: ProblemKind
    text: str
    start: int
    end: int


class ArticleIndex:
    """What an article contains, for lookups: words, stems, bigrams, numbers, lower-cased text."""

    def __init__(self, article: str) -> None:
        self.lower = " ".join(words(article))
        ws = words(article)
        self.words = set(ws)
        self.stems = {stem(w) for w in ws}
        self.bigrams = set(itertools.pairwise(ws))
        self.numbers = {normal_number(m.group()) for m in _NUMBER.finditer(article)}
        self.numbers |= {_NUMBER_WORDS[w] for w in ws if w in _NUMBER_WORDS}

    def has_phrase(self, phrase: str) -> bool:
        """Whether the article contains ``phrase`` word for word (case and punctuation ignored)."""
        ws = words(phrase)
        return bool(ws) and f" {' '.join(ws)} " in f" {self.lower} "

    def known(self, word: str) -> bool:
        """Whether the article has ``word`` or a word with the same stem."""
        return word in self.words or stem(word) in self.stems


def numbers_in(sentence: str) -> list[Mention]:
    """Numbers, amounts and dates written with digits, and number words, in ``sentence``."""
    out: list[Mention] = []
    for m in _NUMBER.finditer(sentence):
        tok = m.group()
        kind: ProblemKind = "number"
        before = sentence[max(0, m.start() - 12) : m.start()].lower()
        after = sentence[m.end() : m.end() + 10].lower()
        if (
            tok[:1] in "$£€"
            or re.search(r"(%|cent|million|billion|bn)$", tok.lower())
            or re.match(r"\s*(dollars|pounds|euros|million|billion)", after)
        ):
            kind = "amount"
        elif (re.fullmatch(r"(19|20)\d\d", tok)) or any(mo in before.split()[-1:] for mo in _MONTHS):
            kind = "date"
        out.append(Mention(kind, tok, m.start(), m.end()))
    for m in re.finditer(r"[A-Za-z]+", sentence):
        if m.group().lower() in _NUMBER_WORDS and m.group().lower() not in {"one", "first", "second"}:
            out.append(Mention("number", m.group(), m.start(), m.end()))
    return out


def names_in(sentence: str) -> list[Mention]:
    """Capitalised names in ``sentence`` (the first word only when a name follows it), with a kind
    guessed from titles, organisation words and place prepositions."""
    out: list[Mention] = []
    for m in _CAP.finditer(sentence):
        text = m.group()
        toks = text.split()
        at_start = m.start() == 0 or re.match(r"^[\s\"“'‘(]*$", sentence[: m.start()])
        if at_start and len(toks) == 1 and toks[0].lower() in _STOP | _MONTHS:
            # A sentence-initial capital is a name only if it is not a common word.
            continue
        if toks[0].lower() in _STOP and len(toks) == 1:
            continue
        if text.lower() in _MONTHS:
            kind: ProblemKind = "date"
        elif toks[-1].lower().strip(".") in _ORG_TAILS or (text.isupper() and len(text) > 1):
            kind = "organisation"
        elif toks[0].lower().strip(".") in _TITLES or len(toks) >= 2:
            kind = "person"
        else:
            prev = sentence[: m.start()].split()[-1:]
            kind = "place" if prev and prev[0].lower() in _PLACE_CUES else "name"
        out.append(Mention(kind, text, m.start(), m.end()))
    return out


def negations(text: str) -> int:
    """How many negation words ``text`` has."""
    return len(_NEG.findall(text.replace("’", "'")))


def negation_flip(sentence: str, sentence_negations: int, source_negations: int) -> Mention | None:
    """A negation the closest article sentence does not share: the summary's first negation word
    when it has more of them, else (the article's sentence is negative, this one is not) the whole
    sentence; None when the counts agree."""
    if sentence_negations == source_negations:
        return None
    if sentence_negations > source_negations:
        m = _NEG.search(sentence.replace("’", "'"))
        if m is not None:
            return Mention("negation", sentence[m.start() : m.end()], m.start(), m.end())
    return Mention("negation", sentence, 0, len(sentence))
