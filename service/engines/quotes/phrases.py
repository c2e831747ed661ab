"""Noun phrases around a cue verb: the speaker mention before it ("Hugh Hill, a doctor, said") or
after it ("said Maria Lopez, the union's president"), with its role words and the bare name.

Works on the masked article (see ``context.py``).
"""

from __future__ import annotations

import re

from service.engines.quotes.context import Mention, MentionKind, Tok
from service.engines.quotes.desc_end import LINKS, desc_end, of_tail
from service.engines.quotes.lexicon import (
    ADVERBS,
    ANON_HEADS,
    DETERMINERS,
    GROUP_WORDS,
    LY_NOT_ADVERBS,
    NAME_PARTICLES,
    NOT_MODIFIERS,
    NOT_NAMES,
    NP_STOP,
    ORG_JOINERS,
    ORG_WORDS,
    PRONOUNS_SUBJ,
    ROLE_WORDS,
    TITLES,
)
from service.engines.quotes.name_forms import hyphen_particle

#: Words that open a relative clause rather than a role ("Keane, whose side are fourth, said").
RELATIVES = frozenset({"who", "whose", "which", "that", "where", "when"})


def _is_name_token(t: Tok) -> bool:
    if not t.text[:1].isupper():
        return t.low in NAME_PARTICLES or hyphen_particle(t.text)
    return t.text not in NOT_NAMES or t.low.rstrip(".") in TITLES


def np_before(toks: list[Tok], end_idx: int, text: str) -> Mention | None:
    """The noun phrase ending just before ``toks[end_idx]`` (a cue verb), skipping adverbs and a
    comma-delimited appositive ("Hugh Hill, a doctor, said"). None when the words there do not
    read as a subject."""
    i = end_idx - 1
    while i >= 0 and (toks[i].low in ADVERBS or (toks[i].low.endswith("ly") and toks[i].low.isalpha())):
        if toks[i].low in LY_NOT_ADVERBS:
            break
        i -= 1
    if i < 0:
        return None
    if toks[i].text == ")":
        # "Harry M. Reid (D-Nev.) told": a short parenthetical sits between name and verb.
        j = i - 1
        while j >= 0 and i - j <= 8 and toks[j].text not in "()":
            j -= 1
        if j > 0 and toks[j].text == "(":
            i = j - 1
    role: str | None = None
    if toks[i].text == ",":
        # Appositive: NAME, ROLE, said  |  The mayor, NAME, said
        j = i - 1
        while j >= 0 and toks[j].text not in ',;:“”"().!?\n' and i - j <= 18:
            j -= 1
        if j >= 0 and toks[j].text == "," and j < i - 1:
            inner = toks[j + 1 : i]
            before = _np_core(toks, j - 1, text)
            inner_np = _inner_name(toks, j, i, text)
            if before is not None and before.kind == MentionKind.NAME:
                # "Edmund Blake, 74, said" / "Keane, whose side are fourth, said": no role.
                plain = not (len(inner) == 1 and inner[0].text.isdigit()) and inner[0].low not in RELATIVES
                role = text[inner[0].start : inner[-1].end] if plain else None
                return Mention(
                    before.start, before.end, MentionKind.NAME, role, before.core_start, before.core_end
                )
            if (
                before is not None
                and inner_np is not None
                and inner_np.kind == MentionKind.NAME
                and inner_np.start == inner[0].start
            ):
                role = text[before.start : before.end]
                return Mention(
                    inner_np.start,
                    inner_np.end,
                    MentionKind.NAME,
                    role,
                    inner_np.core_start,
                    inner_np.core_end,
                )
            if before is not None:
                role = text[inner[0].start : inner[-1].end]
                return Mention(
                    before.start, before.end, before.kind, role, before.core_start, before.core_end
                )
        return None
    return _np_core(toks, i, text)


def _inner_name(toks: list[Tok], j: int, i: int, text: str) -> Mention | None:
    """The noun phrase between the commas at ``toks[j]`` and ``toks[i]`` ("The mayor, Ann Lee,
    said"), or the name opening it when an "of" phrase follows the name ("The report's author,
    Professor Dilys Gwynne of Cardiff University, said")."""
    m = _np_core(toks, i - 1, text)
    if m is not None and m.kind == MentionKind.NAME and m.start == toks[j + 1].start:
        return m
    lead = np_after(toks, j + 1, text) if toks[j + 1].text[:1].isupper() else None
    if (
        lead is not None
        and lead.kind == MentionKind.NAME
        and re.match(r"\s+of\s+[A-Z]", text[lead.end : lead.end + 6])
    ):
        return lead
    return m


def _np_core(toks: list[Tok], i: int, text: str) -> Mention | None:
    """A noun phrase whose last token is ``toks[i]``."""
    if i < 0:
        return None
    last = toks[i]
    if last.low in PRONOUNS_SUBJ and last.text[:1] in "hsHStTiIwWyY":
        return Mention(last.start, last.end, MentionKind.PRONOUN)
    if _is_name_token(last) and last.text[:1].isupper():
        j = i
        while j - 1 >= 0 and _is_name_token(toks[j - 1]) and not toks[j - 1].text.endswith(("’s", "'s")):
            j -= 1
        # Leading words that are not part of the name (The, But, When...).
        while j <= i and (toks[j].text in NOT_NAMES and toks[j].low.rstrip(".") not in TITLES):
            j += 1
        if j > i:
            return _desc_before(toks, i)
        j = _org_head_before(toks, j)
        core_j = j
        while core_j < i and toks[core_j].low.rstrip(".") in TITLES:
            core_j += 1
        start = toks[j].start
        # Role words before the name: "assistant foreign minister Hua Chunying".
        k = j - 1
        while k >= 0 and (
            (toks[k].low in ROLE_WORDS and toks[k].low not in ("of", "the", "and", "for"))
            or (toks[k].text.endswith(("’s", "'s")) and toks[k].text[:1].isupper())
        ):
            k -= 1
            start = toks[k + 1].start
        if start != toks[j].start and toks[k + 1].low in ("and", "for"):
            start = toks[j].start
        start = toks[_premodifier_start(toks, k + 1 if start != toks[j].start else j)].start
        words = [t.low for t in toks[core_j : i + 1]]
        kind = MentionKind.NAME
        if words and (words[-1] in ORG_WORDS or (toks[j - 1].low == "the" if j > 0 else False)):
            kind = MentionKind.ORG
        elif len(words) == 1 and words[0] in GROUP_WORDS:
            kind = MentionKind.DESC
        if start == toks[j].start and j > 0 and toks[j - 1].low == "the":
            start = toks[j - 1].start
        return Mention(start, last.end, kind, None, toks[core_j].start, last.end)
    if last.text.islower() and (last.text.isalpha() or re.fullmatch(r"\d{1,3}-year-old", last.text)):
        return _desc_before(toks, i)
    return None


def is_modifier(t: Tok) -> bool:
    """A lower-case word that may modify a name: not a function word, a verb form or an adverb."""
    w = t.text
    return w.isalpha() and w.islower() and t.low not in NOT_MODIFIERS and not w.endswith(("ed", "ing", "ly"))


def _org_head_before(toks: list[Tok], j: int) -> int:
    """Start of an organisation name that runs on across "of"/"for" before ``toks[j]``
    ("the Department | of Coastal Affairs"), else ``j``."""
    if (
        j >= 2
        and toks[j - 1].low in ORG_JOINERS
        and toks[j - 2].low in ORG_WORDS
        and toks[j - 2].text[:1].isupper()
    ):
        k = j - 2
        while k - 1 >= 0 and toks[k - 1].text[:1].isupper() and toks[k - 1].text not in NOT_NAMES:
            k -= 1
        return k
    return j


def _premodifier_start(toks: list[Tok], j: int) -> int:
    """Start of the words that modify the name at ``toks[j]``: a place or employer, then up to
    three lower-case words ("Brenmouth cartoonist | Pell Ashdown", "Lantern Press spokeswoman |
    Rhian Codd"); ``j`` when there is no such place or employer."""
    k = j - 1
    lw = 0
    while k >= 0 and lw < 3 and is_modifier(toks[k]):
        k -= 1
        lw += 1
    c = k
    while (
        c >= 0 and toks[c].text[:1].isupper() and toks[c].text[:1].isalpha() and toks[c].text not in NOT_NAMES
    ):
        c -= 1
    if c == k or (c >= 0 and toks[c].text not in ',;:“”"‘’—–(\n' and toks[c].low != "the"):
        return j
    return c + 1 if toks[k].text[:1].isupper() else j


def _later_name(toks: list[Tok], k: int) -> tuple[int, int] | None:
    """After a place or employer ending at ``toks[k - 1]``: up to three lower-case words and then
    a name of two or more words ("said Brenmouth cartoonist | Pell Ashdown"); its token range."""
    n = len(toks)
    m = k
    while m < n and m - k < 3 and is_modifier(toks[m]):
        m += 1
    if m == k:
        return None
    e = _name_run_end(toks, m)
    if e - m < 2 or toks[m].text in NOT_NAMES:
        return None
    return m, e


def _name_run_end(toks: list[Tok], i: int) -> int:
    """End of the run of capitalised name tokens from ``toks[i]``, stopping before a possessive."""
    e = i
    while (
        e < len(toks)
        and _is_name_token(toks[e])
        and toks[e].text[:1].isupper()
        and not toks[e].text.endswith(("’s", "'s"))
    ):
        e += 1
    return e


def _appositive_name(toks: list[Tok], j: int, least: int = 2) -> tuple[int, int] | None:
    """ "Mabry's partner, | Idris Coyle": a comma at ``toks[j]``, then a name of ``least`` or more
    words that ends the phrase; its token range."""
    n = len(toks)
    if j >= n or toks[j].text != ",":
        return None
    e = _name_run_end(toks, j + 1)
    if e - j - 1 < least or toks[j + 1].text in NOT_NAMES:
        return None
    if e < n and toks[e].text not in ",.;:)\n—–":
        return None
    return j + 1, e


def _desc_before(toks: list[Tok], i: int) -> Mention | None:
    """A described speaker ending at ``toks[i]``: "one official", "the retired neurosurgeon",
    "one senior Democrat", or a bare group noun ("critics")."""
    last = toks[i]
    if last.low in NP_STOP or last.low in DETERMINERS:
        return None
    if True:
        # A described speaker: "one official", "the company", "a spokesman for the campaign".
        j = i
        steps = 0
        while j >= 0 and steps < 5:
            w = toks[j]
            if w.low in DETERMINERS or w.text.endswith(("’s", "'s")):
                return Mention(w.start, last.end, MentionKind.DESC)
            if not (w.text.isalpha() or w.text[:1].isupper() or "-" in w.text) or w.low in NP_STOP:
                break
            j -= 1
            steps += 1
        if last.low in GROUP_WORDS or last.low in ("officials", "critics", "sources", "analysts"):
            return Mention(last.start, last.end, MentionKind.DESC)
    return None


def np_after(toks: list[Tok], start_idx: int, text: str) -> Mention | None:
    """The noun phrase starting at ``toks[start_idx]`` (after an inverted cue: "said Maria Lopez,
    the union’s president"), with a following comma appositive as its role."""
    n = len(toks)
    i = start_idx
    if i >= n:
        return None
    first = toks[i]
    if first.low in PRONOUNS_SUBJ and first.low in ("he", "she", "they", "we"):
        return Mention(first.start, first.end, MentionKind.PRONOUN)
    j = _name_start(toks, i)
    k = _name_end(toks, j)
    if k == j and j > i:
        jm = j
        while jm < n and jm - j < 3 and is_modifier(toks[jm]):
            jm += 1  # "Vale's younger sister, Nessa Quill"
        # After a possessive name ("Mr Okoro's wife, | Grace") one word names the relation.
        owned = any(t.text.endswith(("’s", "'s")) and t.text[:1].isupper() for t in toks[i:j])
        appo = _appositive_name(toks, jm, 1 if owned else 2)
        if appo is not None:
            a, e = appo
            desc = text[toks[i].start : toks[jm - 1].end]
            return Mention(
                toks[i].start, toks[e - 1].end, MentionKind.NAME, desc, toks[a].start, toks[e - 1].end
            )
    if k > j and toks[k - 1].low not in ORG_WORDS:
        later = _later_name(toks, k)
        if later is not None:
            a, e = later
            lead = text[toks[i].start : toks[a - 1].end]
            return Mention(
                toks[i].start, toks[e - 1].end, MentionKind.NAME, lead, toks[a].start, toks[e - 1].end
            )
    if k > j:
        return _name_phrase(toks, text, i, j, k)
    return _described(toks, i, j)


def _name_start(toks: list[Tok], i: int) -> int:
    """Where the capitalised run of a phrase opening at ``toks[i]`` begins: after determiners, role
    words and possessive names, and a few more lower-case words ("party boss Reince Priebus")."""
    n = len(toks)
    j = i
    while (
        j < n
        and j - i < 8
        and (
            toks[j].low in DETERMINERS
            or toks[j].low in ROLE_WORDS
            or (toks[j].text[:1].isupper() and toks[j].text.endswith(("’s", "'s")))
            or (toks[j].low.rstrip(".") in TITLES and j + 1 < n and toks[j + 1].text.endswith(("’s", "'s")))
        )
    ):
        j += 1  # "Mr Okoro's wife": a title before a possessive name is part of it
    jj = j
    while jj < n and jj - j < 3 and toks[jj].text.isalpha() and toks[jj].text.islower():
        jj += 1
    if jj > j and jj < n and toks[jj].text[:1].isupper() and toks[jj].text not in NOT_NAMES:
        j = jj
    return j


def _name_end(toks: list[Tok], j: int) -> int:
    """The end of the capitalised run from ``toks[j]`` (across "of"/"for" after an organisation
    word; a possessive ends it before itself)."""
    n = len(toks)
    k = j
    while k < n and (
        _is_name_token(toks[k])
        or (toks[k].text.endswith(("’s", "'s")) and toks[k].text[:1].isupper())
        or (
            toks[k].low in ORG_JOINERS
            and k > j
            and toks[k - 1].low in ORG_WORDS
            and k + 1 < n
            and toks[k + 1].text[:1].isupper()
        )
    ):
        if toks[k].text.endswith(("’s", "'s")):
            break
        k += 1
    return k


def _name_phrase(toks: list[Tok], text: str, i: int, j: int, k: int) -> Mention | None:
    """A name (or organisation) run ``toks[j:k]`` after the words ``toks[i:j]``, its titles
    skipped for the core and a comma appositive after it as its role."""
    n = len(toks)
    core_j = j
    while core_j < k - 1 and toks[core_j].low.rstrip(".") in TITLES:
        core_j += 1
    if toks[core_j].text in NOT_NAMES and toks[core_j].low.rstrip(".") not in TITLES:
        return None
    last = toks[k - 1]
    org = last.low in ORG_WORDS or (j > i and toks[j - 1].low == "the")
    kind = MentionKind.ORG if org else MentionKind.NAME
    role = None
    if k < n and toks[k].text == ",":
        m = k + 1
        while m < n and toks[m].text not in ',;:“”"().!?\n' and m - k <= 18:
            m += 1
        if m > k + 1 and not (m == k + 2 and toks[k + 1].text.isdigit()):  # "Tom Reed, 19,": an age
            role = text[toks[k + 1].start : toks[m - 1].end]
    if j > i and kind == MentionKind.NAME:
        role = role or text[toks[i].start : toks[j - 1].end]
    return Mention(toks[i].start, last.end, kind, role, toks[core_j].start, last.end)


def _described(toks: list[Tok], i: int, j: int) -> Mention | None:
    """A described speaker: "said a spokesman for the company", "said one official"."""
    n = len(toks)
    while j > i + 1 and toks[j - 1].low in LINKS:
        j -= 1  # role words run on through "of the": the description's noun comes after
    if j > i + 1 and toks[j - 1].low in ANON_HEADS | ROLE_WORDS and toks[i].low in DETERMINERS:
        return Mention(toks[i].start, toks[of_tail(toks, desc_end(toks, j)) - 1].end, MentionKind.DESC)
    if toks[i].text.islower() and toks[i].low in DETERMINERS:
        m = i + 1
        while m < n and m - i < 6 and toks[m].text[:1].isalpha() and toks[m].low not in NP_STOP:
            m += 1
        if m > i + 1:
            return Mention(toks[i].start, toks[of_tail(toks, m) - 1].end, MentionKind.DESC)
    return None
