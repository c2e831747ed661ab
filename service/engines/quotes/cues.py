"""The cue rules of attribution, steps 1-2: a speech cue right after a quote's closing mark
("…,” she said", "…,” said X", "…”, according to X") or earlier in its sentence ("X said he
hoped to establish “…”", "X told the council: “…”"), and the subject that opens a sentence.

A relayed or reported quote goes to the outer source, as PolNeAR annotates it ("…,” Obama said,
according to a pool report"; "Reid said that Trump called it “…”").
"""

from __future__ import annotations

import re

from service.engines.quotes.context import DATELINE, Mention, MentionKind, Tok, sentence_starts, tokens
from service.engines.quotes.evidence import COMMON_ZIPF, is_given_name, zipf
from service.engines.quotes.lexicon import CUE_FINITE, CUE_PARTICIPLE, NOUN_BEFORE_CUE, TITLES
from service.engines.quotes.outcomes import Attr, Found, How
from service.engines.quotes.people import Cast
from service.engines.quotes.phrases import np_after, np_before
from service.engines.quotes.refusal import refuses

#: A described speaker whose name ends the phrase: "a spokesperson for", "the head of".
_DESC_OF = re.compile(
    r"(?:a|an|the|one)\s+(?:[a-z-]+\s+){0,2}[a-z-]+\s+(?:for|of|at|with|from)", re.IGNORECASE
)


def _noun_use(toks: list[Tok], k: int) -> bool:
    """Whether the cue form at ``toks[k]`` is a plural noun ("his comments", "Trump's remarks",
    "many states") rather than a verb."""
    if k == 0 or not toks[k].low.endswith("s"):
        return False
    prev = toks[k - 1]
    return prev.low in NOUN_BEFORE_CUE or prev.text.endswith(("'s", "’s", "s'", "s’"))


def _common_word(t: Tok, cast: Cast) -> bool:
    """A capitalised sentence opener that is an ordinary word: a participle or an adverb
    ("Appearing", "Preceded", "Hastily"), a word the same article also writes in lower case, or a
    common English word that is not a given name ("Eight years ago, …", "Outside, …")."""
    low = t.text.lower()
    if not low.isalpha():
        return False
    if low.endswith(("ing", "ed", "ly")) or low in cast.lower_letter_runs():
        return True
    return zipf(low) >= COMMON_ZIPF and not is_given_name(low)


def after(text: str, masked: str, q: Found, nxt: Found | None, pe: int) -> Attr | None:
    """Attribution right after the closing mark: "…,” he said" / "…,” said X" / "…”,
    according to X"."""
    sp = q.span
    if not sp.closed:
        return None
    lo = sp.close_at + 1
    hi = nxt.span.open_at if nxt is not None else pe
    starts = sentence_starts(masked, lo, hi)
    if starts:
        hi = starts[0]
    toks = tokens(masked, lo, min(hi, lo + 300))
    if not toks:
        return None
    inner = text[sp.start : sp.end].rstrip()
    first_word = next((t for t in toks if t.text[:1].isalnum()), None)
    if first_word is None:
        return None
    # A quote that ended its sentence: only a bare "X said." right after still attributes it.
    if (
        inner.endswith(".")
        and first_word.text[:1].isupper()
        and len([t for t in toks if t.text[:1].isalnum()]) > 6
    ):
        return None
    if "(" in masked[lo : first_word.start]:
        return None
    if inner.endswith((".", "?", "!")) and first_word.text[:1].isupper() and _opens_next(masked, lo, hi, nxt):
        # "…dismissed.” Sam Carver, for the defence, said: “…”": the cue introduces the next quote.
        return None
    return _cue_after(text, masked, toks, lo, first_word)


def _opens_next(masked: str, lo: int, hi: int, nxt: Found | None) -> bool:
    """Whether the narration ``masked[lo:hi]`` ends with a colon right before the next quote."""
    return nxt is not None and hi == nxt.span.open_at and masked[lo:hi].rstrip().endswith(":")


def _cue_after(text: str, masked: str, toks: list[Tok], lo: int, first_word: Tok) -> Attr | None:
    """The cue of an attribution after a closing mark and its speaker, reading the tokens that
    follow the mark (``lo``) up to the sentence end."""
    for k, t in enumerate(toks):
        if k > 30:
            break
        low = t.low
        if low == "according" and k + 1 < len(toks) and toks[k + 1].low == "to":
            m = np_after(toks, k + 2, text)
            if m is not None and _lead_ok(masked, lo, toks, k):
                return Attr(m, "according to", How.AFTER)
            return None
        if low in CUE_FINITE and t.text[:1].islower():
            if not [x for x in toks[:k] if x.text[:1].isalnum()]:
                m = np_after(toks, k + 1, text)
                if m is not None:
                    m = _person_after_employer(toks, m, text)
                return Attr(m, t.text, How.AFTER) if m is not None else None
            m = _passive_agent(toks, k, text) or _speaker_before_cue(
                text, masked, toks, k, lo=lo, first_word=first_word
            )
            if m is None:
                return None
            outer = _according_later(toks, k + 1, text)
            if outer is not None:
                return Attr(outer, "according to", How.AFTER)
            return Attr(m, t.text, How.AFTER)
        if t.text in ";:" or t.text in '“"‘':
            return None
    return None


_PASSIVE_AUX = frozenset({"was", "were", "is", "are", "be", "been", "being"})


def _passive_agent(toks: list[Tok], k: int, text: str) -> Mention | None:
    """ "Weber was warned by Ann Duval that …", "…,” the Gazette was told by a source": a cue in
    the passive has its speaker after "by" (the subject is the one told)."""
    if 0 < k < len(toks) - 2 and toks[k - 1].low in _PASSIVE_AUX and toks[k + 1].low == "by":
        return np_after(toks, k + 2, text)
    return None


def _person_after_employer(toks: list[Tok], m: Mention, text: str) -> Mention:
    """ "said Northfield Steelworkers Local 12 president Ann Duval": when the phrase after a cue
    stops at a number or lower-case role words and a full personal name (a given name first)
    follows without punctuation, the person is the speaker and what precedes is the role."""
    j = next((i for i, t in enumerate(toks) if t.start >= m.end), len(toks))
    between = 0
    while (
        j < len(toks)
        and between < 4
        and (toks[j].text.isdigit() or toks[j].text.islower() or toks[j].low.rstrip(".") in TITLES)
    ):
        j += 1
        between += 1
    if not between or j >= len(toks) or not is_given_name(toks[j].text):
        return m
    person = np_after(toks, j, text)
    if (
        person is None
        or person.kind != MentionKind.NAME
        or person.core_end - person.core_start <= len(toks[j].text)
    ):
        return m
    role = text[m.start : person.core_start].strip()
    return Mention(m.start, person.end, MentionKind.NAME, role, person.core_start, person.core_end)


def _speaker_before_cue(
    text: str, masked: str, toks: list[Tok], k: int, *, lo: int, first_word: Tok
) -> Mention | None:
    """ "…,” Harry Bond, 30, of Raleigh, who was polled, said" / "…,” a spokesperson for Acme Corp
    said": the speaker of the cue at ``toks[k]``, when nothing but its own phrase lies between the
    closing mark and it."""
    m = np_before(toks, k, text)
    if m is None or (m.start > first_word.start and toks[k - 1].text == ","):
        # "…,” Harry Bond, 30, of Raleigh, who was polled, said": the leading name.
        lead_np = np_after(toks, toks.index(first_word), text)
        if (
            lead_np is not None
            and re.match(r"\s*,", masked[lead_np.end : lead_np.end + 3])
            and not (m is not None and lead_np.kind == MentionKind.DESC and m.kind == MentionKind.NAME)
        ):
            # (A description before the name in commas is the name's: "the nominee, Ann Lee, said".)
            m = lead_np
    if m is None:
        return None
    lead_clean = masked[lo : m.start].strip(" ,—–-\"”’'\n")
    if lead_clean and _DESC_OF.fullmatch(lead_clean):
        # "…,” a spokesperson for Acme Corp said": the described person speaks.
        return Mention(first_word.start, m.end, MentionKind.DESC)
    if lead_clean and not (m.role and lead_clean.rstrip(", ") in m.role):
        return None
    return m


def _reporting_cue(toks: list[Tok], inner: Mention, text: str) -> tuple[Mention, str] | None:
    """ "Prosecutors say that he told an agent “…”", "Reid said Trump called it “…”": the
    quote sits in reported speech, and the annotators credit the outer speaker."""
    ki = next((k for k, t in enumerate(toks) if t.start >= inner.start), None)
    if ki is None:
        return None
    for k0 in range(ki - 1, max(-1, ki - 5), -1):
        t = toks[k0]
        if t.low in CUE_FINITE and t.text[:1].islower() and not _noun_use(toks, k0):
            between = [x.low for x in toks[k0 + 1 : ki]]
            if all(w in ("that", ",") for w in between):
                m = np_before(toks, k0, text)
                if m is not None and m.kind in (
                    MentionKind.NAME,
                    MentionKind.PRONOUN,
                    MentionKind.DESC,
                    MentionKind.ORG,
                ):
                    return m, t.text
            return None
    return None


def _according_later(toks: list[Tok], k: int, text: str) -> Mention | None:
    """ "…,” Obama said, according to a pool report": the report relays the words, and the
    annotators credit the outer source, so it wins over the inner speaker."""
    for j in range(k, len(toks) - 2):
        if toks[j].text in ';:“"‘':
            return None
        if toks[j].low == "according" and toks[j + 1].low == "to" and toks[j - 1].text == ",":
            return np_after(toks, j + 2, text)
    return None


def _lead_ok(masked: str, lo: int, toks: list[Tok], k: int) -> bool:
    return not [x for x in toks[:k] if x.text[:1].isalnum()]


def before(
    text: str, masked: str, q: Found, prev: tuple[Found, Attr | None] | None, ps: int, *, cast: Cast
) -> Attr | None:
    """A cue earlier in the same sentence ("X said he hoped to establish “…”", "X told the
    council: “…”"), "according to X, “…”", or a colon after a sentence about the speaker;
    ``prev``: the quote before this one in its paragraph, with its attribution."""
    lo = prev[0].span.close_at + 1 if prev is not None else ps
    hi = q.span.open_at
    starts = sentence_starts(masked, lo, hi + 1)
    new_sentence = bool(starts) or prev is None
    if starts:
        lo = starts[-1]
    toks = tokens(masked, lo, hi)
    if not toks:
        return None
    words = [t for t in toks if t.text[:1].isalnum()]
    if len(words) >= 2 and words[0].low == "according" and words[1].low == "to":
        k = toks.index(words[1])
        m = np_after(toks, k + 1, text)
        if m is not None:
            return Attr(m, "according to", How.BEFORE)
    cues = [
        k
        for k in range(len(toks) - 1, -1, -1)
        if toks[k].text[:1].islower()
        and (toks[k].low in CUE_FINITE or toks[k].low in CUE_PARTICIPLE)
        and not _noun_use(toks, k)
    ]
    for last_cue in cues:
        cue = toks[last_cue]
        if cue.low not in CUE_FINITE:
            break
        if refuses(masked, cue.start) or (last_cue >= 2 and refuses(masked, toks[last_cue - 2].start)):
            continue  # "Keller said nothing about it", "declined to say": no speech of hers
        m = _cue_subject(text, masked, toks, last_cue, hi=hi, cast=cast)
        if m is not None:
            outer = _according_later(toks, last_cue + 1, text)
            if outer is not None:
                return Attr(outer, "according to", How.BEFORE)
            reporter = _reporting_cue(toks, m, text)
            if reporter is not None:
                return Attr(reporter[0], reporter[1], How.BEFORE)
            return Attr(m, cue.text, How.BEFORE)
    if cues and toks[cues[0]].low in CUE_PARTICIPLE:
        prev_attr = prev[1] if prev is not None and not new_sentence else None
        return _participle(text, toks, cues[0], prev=prev_attr, cast=cast)
    if toks[-1].text == ":":
        m = sentence_subject(toks, text, cast)
        if m is not None:
            return Attr(m, None, How.COLON)
    return None


def _cue_subject(text: str, masked: str, toks: list[Tok], k: int, *, hi: int, cast: Cast) -> Mention | None:
    """Who a finite cue at ``toks[k]`` before a quote (which opens at ``hi``) has as its speaker:
    the phrase before it, a relative pronoun's name ("Sanders, who says"), the sentence's subject
    after "and"/"but", or an inverted speaker right after it ("said Mayor Ada Crane: “…”")."""
    m = _passive_agent(toks, k, text) or np_before(toks, k, text)
    if m is None and k > 0 and toks[k - 1].low in ("who", "which", "that"):
        rel = toks[k - 1]
        j = k - 1
        if j > 0 and toks[j - 1].text == ",":
            j -= 1  # "Nora Quist, who says": the name before the comma
        m = np_before(toks, j, text)
        if m is not None and m.kind in (MentionKind.NAME, MentionKind.ORG) and m.core_start >= 0:
            # "Sanders, who says it's “…”": the mention is the relative pronoun (the cue's own
            # subject, as annotators mark it); the name still resolves to Sanders.
            return Mention(rel.start, rel.end, m.kind, m.role, m.core_start, m.core_end)
    if m is None and k > 0 and toks[k - 1].low in ("and", "but", "to", "as", ","):
        m = sentence_subject(toks, text, cast)
    if m is None:
        after_np = np_after(toks, k + 1, text)
        if after_np is not None and not re.search(r"\w", masked[after_np.end : hi].split(",", maxsplit=1)[0]):
            m = after_np
    return m


def _participle(text: str, toks: list[Tok], k: int, *, prev: Attr | None, cast: Cast) -> Attr | None:
    """A participle cue ("adding that …") before a quote: the subject of the main clause, else the
    speaker of the previous quote in the same sentence (``prev``), else the sentence's subject."""
    cue = toks[k]
    for j in range(k - 1, -1, -1):
        if toks[j].low in CUE_FINITE and toks[j].text[:1].islower() and not _noun_use(toks, j):
            m = np_before(toks, j, text)
            if m is not None:
                return Attr(m, cue.text, How.BEFORE)
    if prev is not None:
        return Attr(prev.mention, cue.text, How.BEFORE)
    m = sentence_subject(toks, text, cast)
    return Attr(m, cue.text, How.BEFORE) if m is not None else None


def _after_connective(toks: list[Tok], text: str) -> Mention | None:
    """ "But harbourmaster Colin Pryde disagreed: …", "Besides, Ada Brill said …": the named
    subject right after an ordinary word opening the sentence, when no later comma makes that word
    the start of a clause of its own ("After the debate in Ohio, …")."""
    j = 2 if toks[1].text == "," else 1
    if any(t.text == "," for t in toks[j:]):
        return None
    m = np_after(toks, j, text)
    if m is None or m.start != toks[j].start or m.kind != MentionKind.NAME or m.core_start < 0:
        return None
    role = text[m.start : m.core_start].split()
    core = text[m.core_start : m.core_end].split()
    # At most one role word in lower case ("harbourmaster") before a full name.
    if len(role) > 1 or any(not w.islower() for w in role) or len(core) < 2:
        return None
    return m


def sentence_subject(toks: list[Tok], text: str, cast: Cast) -> Mention | None:
    """The subject opening a sentence: a name, a pronoun, or "His/Her …" (possessive)."""
    if not toks:
        return None
    # A dateline ("JACKSON, Miss. - ", "PHILADELPHIA, July 25 (UPI) — ") or a heading in
    # capitals ending in a dash opens the sentence; skip past it.
    dateline = DATELINE.match(text, toks[0].start)
    if dateline is not None:
        toks = [t for t in toks if t.start >= dateline.end()]
        if not toks:
            return None
    for k in range(min(6, len(toks) - 1)):
        # "WASHINGTON —", "NEW YORK (AP) —" in the masked text.
        if toks[k].text in ("—", "–", "--", "-") and all(
            t.text.isupper() or not t.text[:1].isalpha() for t in toks[:k]
        ):
            toks = toks[k + 1 :]
            break
    first = toks[0]
    if first.low in ("his", "her") and first.text[:1].isupper():
        return Mention(first.start, first.end, MentionKind.POSSESSIVE)
    m = np_after(toks, 0, text)
    if m is None and len(toks) > 2 and _common_word(first, cast):
        m = _after_connective(toks, text)
    if m is not None and m.kind == MentionKind.NAME and m.end <= first.end and _common_word(first, cast):
        return None  # "Reprising his role, …", "Hours later, …": not a name
    if m is not None and m.kind in (MentionKind.NAME, MentionKind.ORG, MentionKind.PRONOUN):
        return m
    return None
