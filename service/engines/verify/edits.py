"""Edits of a claim: a summary sentence that copies an article sentence with one slot changed.

"Councillor Ann Reyes approved the plan" against the article's "Councillor Tom Baird approved the
plan", "rejected" for "approved", "12 volunteers" for "40 volunteers" when the article has 12
elsewhere: every word is backed by the article somewhere, the sentence is a near-copy, so the score
passes it. Here each summary sentence is aligned word by word (``difflib`` opcodes on normalised
tokens: lower-cased stems, numbers as digits) to the article sentence it copies most (at least
:data:`MIN_SHARE` of its words and :data:`MIN_MATCHED` words matched, in order). A **replaced**
slot (the same words on both sides of it, or a sentence boundary) whose summary words the aligned
article sentence does not have, while it has other words in that slot, is an edit when:

- **name**: a summary word written as a name that the article uses elsewhere replaces a name
  (titles excepted: "Mr Baird" for "Councillor Tom Baird" is a shortened name);
- **number**: a number the article uses elsewhere replaces another number;
- **word**: one word replaces one other word of the same sort (a changed verb of outcome, another
  day), not an inflection, and the article does not use the summary's word anywhere;
- **negation**: the slot (replaced, dropped or added words) has a negation on one side only.

A dropped clause or word (a deletion), added words (an insertion), a name shortened, an inflection
(the same stem) or a number written as words (the same digits) are not edits. No parser and no
word lists beyond the engine's function words, titles and negations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from service.engines.text import split_sentences
from service.engines.verify.lexical import (
    STOP_WORDS,
    TITLES,
    WORD,
    name_words,
    negations,
    normal_number,
    stem,
)

#: The aligned article sentence must match at least this share of the summary sentence's words...
MIN_SHARE = 0.6
#: ... and at least this many words.
MIN_MATCHED = 4
#: A changed slot is at most this many words on either side (a longer one is another sentence's
#: words fused in, or a paraphrase: not one claim changed).
MAX_SLOT = 3
#: Whether one word for another counts when the article uses the summary's word elsewhere (off: a
#: word the article has is most often the same thing named otherwise, "the dredging" for "the work";
#: on refuses those too; ``bench/checker_edits_frank.py --word-anywhere`` measures it).
WORD_ANYWHERE = False

EditKind = Literal["name", "number", "word", "negation"]
Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]


@dataclass(frozen=True, slots=True)
class Word:
    """A word: its key (stem, or digits for a number), offsets, and whether it is a name/number."""

    key: str
    start: int
    end: int
    name: bool
    number: bool


@dataclass(frozen=True, slots=True)
class ClaimEdit:
    """An edit: ``[start, end)`` in the summary sentence, ``article`` the article's words in that
    slot, ``evidence`` the aligned article sentence (both article offsets)."""

    kind: EditKind
    start: int
    end: int
    article: tuple[int, int]
    evidence: tuple[int, int]
    message: str


def _tokens(text: str, offset: int, names: set[str]) -> list[Word]:
    out = []
    for m in WORD.finditer(text):
        w = m.group().replace("’", "'")
        low = w.lower()
        num = normal_number(w)
        is_number = num.replace(".", "").isdigit()
        key = num if is_number else stem(low)
        out.append(Word(key, offset + m.start(), offset + m.end(), low in names, is_number))
    return out


def _content(w: Word) -> bool:
    return w.number or (w.key not in STOP_WORDS and len(w.key) > 1)


class ArticleAlignment:
    """An article's sentences as normalised words, its names and numbers (build once per article)."""

    def __init__(self, article: str, spans: Sequence[tuple[int, int]] | None = None) -> None:
        self.text = article
        self.spans = list(split_sentences(article) if spans is None else spans)
        self.names = {w for s, e in self.spans for w in name_words(article[s:e])}
        self.sentences = [_tokens(article[s:e], s, self.names) for s, e in self.spans]
        self.name_keys = {w.key for sent in self.sentences for w in sent if w.name}
        self.numbers = {w.key for sent in self.sentences for w in sent if w.number}
        self.keys = {w.key for sent in self.sentences for w in sent}

    def uses(self, key: str) -> bool:
        """Whether the article has the word ``key``, or a form of it ("dredg" for "dredge": the same
        first letters, all but one of the shorter, and at least four)."""
        if key in self.keys:
            return True
        return any(_prefix(key, k) >= max(4, min(len(key), len(k)) - 1) for k in self.keys)

    def align(self, toks: list[Word]) -> tuple[int, list[Opcode]] | None:
        """The article sentence the summary words copy most, and the opcodes; None if none does."""
        keys = [w.key for w in toks]
        best: tuple[int, int, SequenceMatcher[str]] | None = None
        for i, sent in enumerate(self.sentences):
            sm = SequenceMatcher(None, keys, [w.key for w in sent], autojunk=False)
            matched = sum(b.size for b in sm.get_matching_blocks())
            if best is None or matched > best[0]:
                best = (matched, i, sm)
        if best is None or best[0] < max(MIN_MATCHED, MIN_SHARE * len(keys)):
            return None
        return best[1], best[2].get_opcodes()


def claim_edits(art: ArticleAlignment, sentence: str) -> list[ClaimEdit]:
    """The edits of ``sentence`` (one summary sentence) against the article sentence it copies."""
    toks = _tokens(sentence, 0, art.names | name_words(sentence))
    aligned = art.align(toks)
    if aligned is None:
        return []
    idx, ops = aligned
    sent = art.sentences[idx]
    evidence = art.spans[idx]
    sent_keys = {w.key for w in sent}
    out = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        mine, theirs = toks[i1:i2], sent[j1:j2]
        if len(mine) > MAX_SLOT or len(theirs) > MAX_SLOT:
            continue
        slot = (theirs[0].start, theirs[-1].end) if theirs else (evidence[0], evidence[0])
        mine_text = sentence[mine[0].start : mine[-1].end] if mine else ""
        theirs_text = art.text[slot[0] : slot[1]]
        if negations(mine_text) != negations(theirs_text):
            start, end = (mine[0].start, mine[-1].end) if mine else _near(toks, i1)
            msg = f'the article says "{theirs_text}" here' if theirs else "the article has no negation here"
            out.append(ClaimEdit("negation", start, end, slot, evidence, msg))
            continue
        if tag != "replace":
            continue
        edit = _replaced(
            art, mine, theirs, sent_keys, i1 > 0 and i2 < len(toks) and j1 > 0 and j2 < len(sent)
        )
        if edit is not None:
            kind, first, last = edit
            msg = f'the article says "{theirs_text}" here, not "{sentence[first.start : last.end]}"'
            out.append(ClaimEdit(kind, first.start, last.end, slot, evidence, msg))
    return out


def _near(toks: list[Word], i: int) -> tuple[int, int]:
    """The summary word at (or before) position ``i``, for an edit that dropped words."""
    w = toks[min(i, len(toks) - 1)]
    return w.start, w.end


def _replaced(
    art: ArticleAlignment, mine: list[Word], theirs: list[Word], sent_keys: set[str], inner: bool
) -> tuple[EditKind, Word, Word] | None:
    """Whether a replaced slot changes the claim: the kind and the first and last summary words
    that do. ``inner``: the slot has the same words on both sides (not at a sentence boundary)."""
    mine_keys = {m.key for m in mine}
    old = [w for w in theirs if _content(w) and w.key not in mine_keys and w.key not in TITLES]
    if not old:
        return None
    new = [w for w in mine if _content(w) and w.key not in sent_keys and w.key not in TITLES]
    kinds: tuple[tuple[EditKind, set[str]], ...] = (("number", art.numbers), ("name", art.name_keys))
    for kind, known in kinds:
        hits = [
            w
            for w in new
            if _is(w, kind)
            and w.key in known
            and (w.number or not any(_inflection(w.key, o.key) for o in old))
        ]
        if hits and any(_is(o, kind) for o in old):
            return kind, hits[0], hits[-1]
        # Two of the sentence's own names or numbers swapped in place: one for one, same context.
        one = inner and len(mine) == 1 and len(theirs) == 1
        if one and _is(mine[0], kind) and _is(theirs[0], kind) and mine[0].key in sent_keys:
            return kind, mine[0], mine[0]
    # One word for one word of the same sort (a verb of outcome, a noun; a name for a name).
    one_for_one = len(mine) == 1 and len(theirs) == 1 and bool(new) and bool(old)
    if not one_for_one or new[0].number or old[0].number or new[0].name != old[0].name:
        return None
    if not _inflection(new[0].key, old[0].key) and (WORD_ANYWHERE or not art.uses(new[0].key)):
        return "word", new[0], new[0]
    return None


def _is(w: Word, kind: EditKind) -> bool:
    """Whether ``w`` is a number (kind "number") or a name (any other kind)."""
    return w.number if kind == "number" else w.name


def _prefix(a: str, b: str) -> int:
    """How many first letters two words share."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _inflection(a: str, b: str) -> bool:
    """Whether two stems look like forms of one word ("approv"/"approve", "said"/"say")."""
    n = _prefix(a, b)
    return n >= 3 or n >= min(len(a), len(b)) - 1 >= 1
