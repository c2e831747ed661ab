"""Relation errors the summary checker can prove from the article: the right names and numbers in
the wrong relation.

A summary that copies the article's words can still recombine them: "Rahman appointed Okafor" from
"Okafor appointed Rahman", "12 firefighters" from "40 firefighters ... 12 cameras", "Okafor
criticised the company" from "Brandt criticised the company". Every word is backed, so the word-level
checks pass it. This module looks, for each summary sentence, at its argument-predicate-argument
runs ("A V B": A and B names, numbers or content words, at least one a name or number, V a content
word, nothing but the engine's function words between them and no punctuation) and at its numbers
written next to a word ("12 firefighters"), and finds the article's own use of the same words
(stems: the engine's normalisation). It reports a problem only when the article proves it:

- **swap**: every article sentence with both arguments around that predicate has them the other way
  round ("by" after the predicate reverses a passive, on either side);
- **number**: the number is written next to other words everywhere in the article, and the word is
  written next to another number;
- **agent**: the predicate and its object appear in the article only after another name, and the
  summary's name never shares a sentence with the predicate.

Anything unclear (a pronoun, a clause the word order does not settle, a sentence that has the
relation either way) abstains. No parser and no word lists beyond the engine's function words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.engines.text import split_sentences
from service.engines.verify.lexical import SENTENCE_START, STOP_WORDS, WORD, name_words, normal_number, stem

_BREAK = re.compile(r"[,;:()\"“”—–!?]|\.(?:\s|$)")
#: Number words that do not count as numbers here ("one of", "first time").
_NOT_NUMBERS = frozenset({"one", "first", "second"})
#: Forms of "be" (a passive's auxiliary).
_BE = frozenset({"be", "is", "are", "was", "were", "been", "being"})
#: The article's tokens at most this far from the predicate count as its arguments.
REACH = 6


@dataclass(frozen=True, slots=True)
class Tok:
    """A word: lower-cased text, stem, offsets, whether it is a name or number, and whether
    punctuation separates it from the previous word."""

    low: str
    key: str
    start: int
    end: int
    name: bool
    number: str | None
    gap: bool
    #: Written right after the previous word, one space or one hyphen apart.
    joined: bool


@dataclass(frozen=True, slots=True)
class RelationIssue:
    """A proven relation error: ``[start, end)`` in the summary sentence, ``evidence`` in the article."""

    start: int
    end: int
    message: str
    evidence: tuple[int, int]


def _number(low: str) -> str | None:
    if low[:1].isdigit():
        return normal_number(low)
    if low in _NOT_NUMBERS:
        return None
    n = normal_number(low)
    return n if re.fullmatch(r"\d+(?:\.\d+)?", n) else None


def tokens(text: str, names: set[str], offset: int = 0) -> list[Tok]:
    """Words of ``text`` with offsets (plus ``offset``); a name is a word in ``names``."""
    out: list[Tok] = []
    prev = 0
    for m in WORD.finditer(text):
        low = m.group().lower().replace("’", "'")
        between = text[prev : m.start()]
        out.append(
            Tok(
                low,
                stem(low),
                offset + m.start(),
                offset + m.end(),
                low in names,
                _number(low),
                bool(_BREAK.search(between)) or not out,
                between in {" ", "-"},
            )
        )
        prev = m.end()
    return out


def _role(t: Tok) -> str:
    """'entity' (a name or number), 'word' (content) or 'stop'."""
    if t.name or t.number is not None:
        return "entity"
    return "stop" if t.low in STOP_WORDS or len(t.low) < 2 else "word"


def _units(toks: list[Tok]) -> list[tuple[int, int, str]]:
    """Runs ``(i, j, role)`` of tokens: a name run is one unit; stop words are left out."""
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(toks):
        role = _role(toks[i])
        j = i + 1
        if toks[i].name:
            while j < len(toks) and toks[j].name and not toks[j].gap:
                j += 1
        if role != "stop":
            out.append((i, j, role))
        i = j
    return out


def _clean(toks: list[Tok], a: int, b: int) -> bool:
    """No punctuation between token ``a`` and token ``b`` (inclusive of ``b``'s gap)."""
    return not any(t.gap for t in toks[a + 1 : b + 1])


def _passive(toks: list[Tok], a: int, b: int) -> bool:
    """Whether a form of "be" stands between tokens ``a`` (inclusive) and ``b``: a passive whose
    agent the word order does not give (without "by")."""
    return any(t.low in _BE for t in toks[max(a, b - 3) : b])


def _by_between(toks: list[Tok], a: int, b: int) -> bool:
    return any(t.low == "by" for t in toks[a + 1 : b])


class ArticleTokens:
    """The article's sentences as tokens, its names, and where each number is written.
    ``spans``: the article's sentences when the caller has already split it."""

    def __init__(self, article: str, spans: list[tuple[int, int]] | None = None) -> None:
        spans = split_sentences(article) if spans is None else spans
        self.names = _names(article, spans)
        self.spans = spans
        self.sents = [tokens(article[s:e], self.names, s) for s, e in spans]
        self.number_words: dict[str, list[str | None]] = {}
        self.word_numbers: dict[str, set[str]] = {}
        for toks in self.sents:
            for i, t in enumerate(toks):
                if t.number is None:
                    continue
                nxt = _attached(toks, i)
                self.number_words.setdefault(t.number, []).append(nxt)
                if nxt is not None:
                    self.word_numbers.setdefault(nxt, set()).add(t.number)


def _names(article: str, spans: list[tuple[int, int]]) -> set[str]:
    """Lower-cased words the article writes capitalised away from a sentence start, and a
    capitalised first word when a name follows it ("Maria Okafor, the mayor ...")."""
    out = {w for s, e in spans for w in name_words(article[s:e])}
    for s, e in spans:
        text = article[s:e]
        for m in WORD.finditer(text):
            w, rest = m.group(), text[m.end() :]
            if not w[:1].isupper() or w.lower() in STOP_WORDS or not SENTENCE_START.search(text[: m.start()]):
                continue
            nxt = WORD.match(rest.lstrip(" "))
            named = nxt is not None and nxt.group()[:1].isupper() and nxt.group().lower() in out
            if rest[:1] == " " and named:
                out.add(w.lower())
    return out


def _attached(toks: list[Tok], i: int) -> str | None:
    """The stem of the word written right after number ``i`` (a space or hyphen apart), else None."""
    if i + 1 >= len(toks):
        return None
    nxt = toks[i + 1]
    if nxt.gap or nxt.name or nxt.number is not None or _role(nxt) == "stop":
        return None
    if not nxt.joined:
        return None
    return nxt.key


def _keys(toks: list[Tok], i: int, j: int) -> set[str]:
    return {t.number or t.key for t in toks[i:j] if _role(t) != "stop"}


def _key(t: Tok) -> str:
    return t.number or t.key


def relation_issues(art: ArticleTokens, sentence: str) -> list[RelationIssue]:
    """The relation errors the article proves in one summary sentence (offsets into it)."""
    toks = tokens(sentence, art.names)
    out = _number_issues(art, toks, sentence)
    units = _units(toks)
    for u1, u2, u3 in zip(units, units[1:], units[2:], strict=False):
        if u1[2] != "entity" or u2[2] != "word" or not _clean(toks, u1[0], u3[0]):
            continue
        active = not _by_between(toks, u2[0], u3[0])
        if _passive(toks, u1[1], u2[0]) and active:
            continue
        a, b = _keys(toks, u1[0], u1[1]), _keys(toks, u3[0], u3[1])
        if a & b:
            continue
        span = (toks[u1[0]].start, toks[u3[1] - 1].end)
        issue = None
        if u3[2] == "entity":
            issue = _swap(art, (a, toks[u2[0]].key, b), active)
        subject = u1[0] == 0 or toks[u1[0]].gap or _role(toks[u1[0] - 1]) != "stop"
        if issue is None and toks[u1[0]].name and u1[1] == u2[0] and active and subject:
            issue = _agent(art, a, toks[u2[0]].key, b, sentence[span[0] : span[1]])
        if issue is not None:
            out.append(RelationIssue(span[0], span[1], issue[0], issue[1]))
    return out


def _swap(
    art: ArticleTokens, triple: tuple[set[str], str, set[str]], a_first: bool
) -> tuple[str, tuple[int, int]] | None:
    """A message and evidence when every article sentence with both arguments around the predicate
    has them the other way round; None when any has them this way, or any is unclear."""
    a, v, b = triple
    reversed_at: list[int] = []
    for n, st in enumerate(art.sents):
        pa = [k for k, t in enumerate(st) if _key(t) in a]
        pb = [k for k, t in enumerate(st) if _key(t) in b]
        pv = [k for k, t in enumerate(st) if t.key == v]
        if not (pa and pb and pv):
            continue
        ways = set()
        for k in pv:
            for i in (i for i in pa if abs(i - k) <= REACH):
                for j in (j for j in pb if abs(j - k) <= REACH):
                    if i < k < j:
                        ways.add(not _by_between(st, k, j))
                    elif j < k < i:
                        ways.add(_by_between(st, k, i))
        if not ways or a_first in ways or any(_passive(st, 0, k) for k in pv):
            return None
        reversed_at.append(n)
    if not reversed_at:
        return None
    s, e = art.spans[reversed_at[0]]
    return "the article has this relation the other way round", (s, e)


def _agent(
    art: ArticleTokens, a: set[str], v: str, x: set[str], text: str
) -> tuple[str, tuple[int, int]] | None:
    """A message and evidence when the article writes the predicate and its object only after
    another name, and never has the summary's name in a sentence with the predicate."""
    found: list[tuple[int, str]] = []
    for n, st in enumerate(art.sents):
        keys = {_key(t) for t in st}
        if v in keys and a & keys:
            return None
        for k, t in enumerate(st):
            if t.key != v or not _object_follows(st, k, x):
                continue
            who = _name_before(st, k)
            if who is None or any(who[:4] == k[:4] for k in a):
                return None
            found.append((n, who))
    if not found:
        return None
    s, e = art.spans[found[0][0]]
    return f"the article gives this to another person, not to the name in “{text}”", (s, e)


def _object_follows(st: list[Tok], k: int, x: set[str]) -> bool:
    for t in st[k + 1 :]:
        if t.gap:
            return False
        if _role(t) != "stop":
            return _key(t) in x
    return False


def _name_before(st: list[Tok], k: int) -> str | None:
    """The key of the name written right before token ``k`` (function words apart), else None."""
    if st[k].gap or k == 0:
        return None
    return st[k - 1].key if st[k - 1].name else None


def _number_issues(art: ArticleTokens, toks: list[Tok], sentence: str) -> list[RelationIssue]:
    """Numbers written next to a word the article writes with another number."""
    out = []
    for i, t in enumerate(toks):
        word = _attached(toks, i) if t.number is not None else None
        if t.number is None or word is None:
            continue
        uses = art.number_words.get(t.number, [])
        others = art.word_numbers.get(word, set()) - {t.number}
        if not uses or None in uses or word in uses or not others:
            continue
        n = next(n for n, st in enumerate(art.sents) if any(u.number == t.number for u in st))
        text = sentence[t.start : toks[i + 1].end]
        message = f"the article does not write “{text}”: it gives that number to another word"
        out.append(RelationIssue(t.start, toks[i + 1].end, message, art.spans[n]))
    return out
