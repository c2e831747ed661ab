"""How the article writes and uses a name: the name verbatim (initials keep their dots) and
organisations typed by how the article goes on about them ("its", "It said")."""

from __future__ import annotations

import bisect
import re

from service.engines.quotes.context import Tok
from service.engines.quotes.entities import Entity, Occurrence
from service.engines.quotes.evidence import (
    COMMON_ZIPF,
    LEADING_ZIPF,
    family_first,
    is_given_name,
    name_gender,
    zipf,
)
from service.engines.quotes.lexicon import (
    ADVERBS,
    COMPANY_HEADS,
    NAME_STARTS,
    ORG_WORDS,
    ROLE_WORDS,
    SPEECH_VERBS,
    TITLES,
)
from service.engines.quotes.name_forms import is_suffix


def clean_word(word: str) -> str:
    """A name word without a possessive ’s and surrounding dots or commas."""
    return re.sub(r"['’]s$", "", word).strip(".,")


def _initials(word: str) -> bool:
    """ "E" or "J.D": an initial, or initials joined by dots, whose last dot was stripped."""
    return re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", word) is not None


def verbatim(toks: list[Tok], core: list[str]) -> str:
    """A name as the article writes it: initials and "Jr." keep their dots ("Ruth E. Lindqvist"); a
    possessive ’s and other punctuation do not (``core`` when the tokens do not line up)."""
    words = [clean_word(t.text) for t in toks]
    if words != core:
        return " ".join(core)
    return " ".join(
        w + "." if (_initials(w) or is_suffix(w)) and t.text.endswith(".") else w
        for w, t in zip(words, toks, strict=True)
    )


def type_by_usage(entities: list[Entity], occurrences: list[Occurrence], masked: str) -> None:
    """A name the article treats as a thing is an organisation: "Halvorsen Foods will close
    its bakery" (the clause after it goes on with "its"), unless something shows a person (a
    title, a given name, speech, a gender)."""
    for o in occurrences:
        ent = entities[o.entity]
        if ent.kind != "person" or ent.evident or ent.gender is not None or not o.subject:
            continue
        if treated_as_thing(masked, o.end):
            ent.kind = "org"


def treated_as_thing(masked: str, end: int) -> bool:
    """Whether the text after a subject name ending at ``end`` goes on about it as a thing: "its"
    in the rest of its clause (and no he/she), or the next sentence opening with "Its" or with
    "It" and a speech verb ("Acme Widgets cut 300 jobs. It said: …")."""
    after = masked[end : end + 300]
    clause = re.split(r"[.;:!?\n“”\"]|,\s", after, maxsplit=1)[0]
    if re.search(r"\bits\b", clause) and not re.search(r"\b(?:he|she|his|her|him)\b", clause, re.I):
        return True
    nxt = re.search(r"[.!?]\s+(It\s+(\w+)|Its\s)", after)
    if nxt is None or nxt.start() != len(after.split(".", 1)[0]):
        return False
    return nxt.group(2) is None or nxt.group(2) in SPEECH_VERBS


#: "the grocer", "the operator", "the paper": a definite agent noun that may stand for a company.
_AGENT_DESC = re.compile(r"\b[Tt]he ([a-z]{3,}(?:er|or))\b")


def thing_descriptions(entities: list[Entity], occurrences: list[Occurrence], masked: str) -> dict[str, int]:
    """Descriptions the article uses as a company that speaks ("the grocer cut its forecast …
    “…,” the grocer said"), by head noun, each with the entity it stands for: the name just before
    its first use, typed as an organisation unless something shows it to be a person ("Shares in
    Polvera Foods fell after the grocer cut its forecast")."""
    heads: dict[str, int] = {}
    speaks: dict[str, bool] = {}
    ends = sorted((o.end, o.entity) for o in occurrences)
    end_keys = [e for e, _ in ends]
    for m in _AGENT_DESC.finditer(masked):
        head = m.group(1)
        if head in heads or not treated_as_thing(masked, m.end()):
            continue
        if head not in speaks:
            speaks[head] = _speaks_as(masked, head)
        k = bisect.bisect_right(end_keys, m.start()) - 1
        if not speaks[head] or k < 0 or m.start() - ends[k][0] >= 600:
            continue
        idx = ends[k][1]
        ent = entities[idx]
        if ent.kind == "person" and not ent.evident and ent.gender is None:
            ent.kind = "org"
        if ent.kind == "org":
            heads[head] = idx
    return heads


def _speaks_as(masked: str, head: str) -> bool:
    """Whether "the HEAD" stands next to a speech verb somewhere in the article ("the grocer
    said", "said the grocer")."""
    after = re.finditer(rf"\b[Tt]he {head} (?:\w+ )?(\w+)", masked)
    before = re.finditer(rf"\b(\w+) [Tt]he {head}\b", masked)
    return any(m.group(1).lower() in SPEECH_VERBS for m in (*after, *before))


def apposition(text: str, toks: list[Tok], b: int) -> str | None:
    """A description set off by commas right after a name ("Lucia Farrant, a consultant
    surgeon at Greystock General, ..."; "Neil Osgood, 58, ..."), lower-cased."""
    if b + 1 >= len(toks) or toks[b].text != ",":
        return None
    first = toks[b + 1]
    if not (first.low in ("a", "an", "the") or first.text.isdigit() or first.text.endswith(("’s", "'s"))):
        return None
    k = b + 1
    while k < len(toks) and k - b <= 12 and toks[k].text not in ',.;:()\n“”"':
        k += 1
    return text[first.start : toks[k - 1].end].lower()


def apposition_role(text: str, toks: list[Tok], b: int) -> str | None:
    """The role an apposition after a name gives, verbatim and without its determiner ("Ann
    Lee, the mayor, …" -> "mayor"; "Bryony Pell, a spokeswoman for the hospital, said" ->
    "spokeswoman for the hospital"); None for an age, a clause, or words not closed by a comma."""
    desc = apposition(text, toks, b)
    if desc is None or desc[:1].isdigit() or not desc.split()[-1].isalpha():
        return None
    start = toks[b + 1].start
    if text[start + len(desc) : start + len(desc) + 1] != ",":
        return None  # "Besides Mark Tully, the panel included two economists.": a clause
    words = text[start : start + len(desc)].split()
    if any(w.lower() in ("who", "which", "that", "whose") for w in words):
        return None
    while words and (words[0].lower() in ("the", "a", "an") or words[0].endswith(("'s", "’s"))):
        words.pop(0)
    return " ".join(words) or None


def apposition_before(text: str, toks: list[Tok], a: int, b: int) -> str | None:
    """A definite description that names the person after it between commas ("The coach,
    Teresa Lindgren, watched …", "said its manager, Ian Bell, …"), lower-cased."""
    if a < 3 or b >= len(toks) or toks[a - 1].text != "," or toks[b].text != ",":
        return None
    k = a - 2
    while k >= 0 and a - k <= 7 and re.fullmatch(r"[a-z]+(?:['’]s)?", toks[k].text):
        if toks[k].low in ("the", "its", "his", "her", "their"):
            break
        k -= 1
    if k < 0 or k == a - 2:
        return None
    if toks[k].low not in ("the", "its", "his", "her", "their"):
        return _employer_role(text, toks, k, a)
    return text[toks[k].start : toks[a - 2].end].lower()


def _employer_role(text: str, toks: list[Tok], k: int, a: int) -> str | None:
    """ "Glenvale Academy head teacher, Ruth Ames, …": role words after the capitalised name of
    an employer (``toks[k]``) give the person between commas the role, when one is a role word
    or, after a name that does not open the sentence, an agent noun ("Carrow Mills foreman")."""
    if not toks[k].text[:1].isupper() or not toks[k].text.isalpha():
        return None
    words = toks[k + 1 : a - 1]
    if any(t.low in ROLE_WORDS for t in words):
        return text[words[0].start : words[-1].end].lower()
    opens = k == 0 or toks[k - 1].text in ".!?\n" or not toks[k - 1].text[:1].isupper()
    if re.fullmatch(r"[a-z]{3,}(?:er|or|ist)", words[-1].text) and not opens:
        return text[words[0].start : words[-1].end].lower()
    return None


#: "the company said", "said the firm", "the Austin-based company said": a company description
#: next to a speech verb.
_COMPANY_DESC = re.compile(r"\b[Tt]he (?:[A-Za-z]+-[a-z]+ )?([a-z]+)(?: ([a-z]+))?")


def described_companies(
    masked: str, singles: list[Occurrence], occurrences: list[Occurrence], entities: list[Entity]
) -> list[Occurrence]:
    """Lone rare words the article later calls a company that speaks ("Uber has settled the case.
    “…,” the company said"): the nearest such word before each speaking company description,
    where no organisation is named between them."""
    out: list[Occurrence] = []
    rare = sorted((o.end, o.start, o) for o in singles if zipf(masked[o.start : o.end].lower()) < COMMON_ZIPF)
    rare_ends = [e for e, _, _ in rare]
    org_starts = sorted(x.start for x in occurrences if entities[x.entity].kind == "org")
    for m in _COMPANY_DESC.finditer(masked):
        g = next((g for g in (2, 1) if m.group(g) in ORG_WORDS or m.group(g) in COMPANY_HEADS), 0)
        if not g:
            continue
        nxt = re.match(r"\s+(?:\w+\s+)?(\w+)", masked[m.end(g) : m.end(g) + 40])
        prev = re.search(r"(\w+)\W*$", masked[max(0, m.start() - 30) : m.start()])
        if not any(x is not None and x.group(1).lower() in SPEECH_VERBS for x in (nxt, prev)):
            continue
        k = bisect.bisect_right(rare_ends, m.start()) - 1
        if k < 0 or m.start() - rare_ends[k] >= 600:
            continue
        o = rare[k][2]
        j = bisect.bisect_left(org_starts, o.end)
        if j < len(org_starts) and org_starts[j] < m.start():
            continue  # an organisation named in between is what the description stands for
        out.append(o)
    return out


def company_apposition(text: str, core: list[str], toks: list[Tok], b: int) -> bool:
    """A lone word that is no given name, described right after as a company ("Veltra, the
    Dutch payments group, said …")."""
    if len(core) != 1 or is_given_name(core[0]):
        return False
    desc = apposition(text, toks, b)
    head = desc.split()[-1] if desc else ""
    return head in ORG_WORDS or head in COMPANY_HEADS


def rare_thing(masked: str, core: list[str], end: int) -> bool:
    """A lone rare word that is no given name, which the article goes on about as a thing
    ("Quillstream removed 4,000 accounts. It said …", "Northpower has warned … Its
    engineers …"): an organisation even when it speaks."""
    return (
        len(core) == 1
        and treated_as_thing(masked, end)
        and not is_given_name(core[0])
        and zipf(core[0].lower()) < COMMON_ZIPF
    )


def which_clause(masked: str, core: list[str], end: int) -> bool:
    """A name that is no given name followed by a relative clause on "which" ("Trellix, which
    runs the town's buses, …"): the article treats it as a thing (people take "who")."""
    return (
        not is_given_name(core[0])
        and re.match(r",\s+which\s+(?:\w+\s+)?[a-z]+", masked[end : end + 40]) is not None
    )


#: "shares in X", "a stake in X", "shares of X": a name written where only a company stands.
_COMPANY_BEFORE = re.compile(r"\b(?:[Ss]hares|[Ss]takes?|[Ss]hareholders|[Bb]ondholders) (?:in|of)\s+$")
#: "X's shares", "X shares fell", "X's share price": the same after the name.
_COMPANY_AFTER = re.compile(r"(?:['’]s)?\s+(?:shares|share price|shareholders|stock)\b")


def company_context(masked: str, core: list[str], start: int, end: int) -> bool:
    """A name that is no given name, written where only a company stands ("Shares in Pellwood
    fell …", "Dunmore's shares dropped …"): an organisation, so that "the housebuilder said" or
    "it said" later links it."""
    if is_given_name(core[0]):
        return False
    return bool(
        _COMPANY_BEFORE.search(masked[max(0, start - 30) : start]) or _COMPANY_AFTER.match(masked, end)
    )


def names_a_thing(last: Tok, nxt: Tok) -> bool:
    """Whether a run ending in a possessive is the first half of a proper noun whose head is an
    ordinary capitalised word ("Valentine's Day", "Mother's Day", "Lloyd's Register")."""
    return (
        last.text.endswith(("’s", "'s"))
        and nxt.text[:1].isupper()
        and nxt.text.isalpha()
        and zipf(nxt.low) >= COMMON_ZIPF
        and not is_given_name(nxt.text)
    )


def person_start(core: list[str]) -> int:
    """Where the person's name starts in a long capitalised run ("New York City Public Advocate
    Trish James" -> 5): at the first given name after a word that is not one; 0 when none, and 0
    when a surname leads only given names ("Nguyen Thi Lan": the family name first)."""
    if family_first(core):
        return 0
    return next(
        (
            i
            for i in range(1, len(core) - 1)
            if core[i][:1].isupper()  # a particle ("van den Broek") starts no name
            and is_given_name(core[i])
            and (not is_given_name(core[i - 1]) or _role_before_given(core[i - 1], core[i]))
        ),
        0,
    )


def _role_before_given(word: str, given: str) -> bool:
    """ "Marine John Tiegen": a common English word that the census also lists as a given name,
    before a given name of the other gender, is a role (two given names of one person share a
    gender: "Mary Ann", "Jean Paul")."""
    g, h = name_gender(word), name_gender(given)
    return g is not None and h is not None and g != h and zipf(word) >= COMMON_ZIPF


def leading_title(word: str, rest: list[str], lower: frozenset[str]) -> bool:
    """Whether ``word``, followed by the words ``rest`` of the same capitalised run, is a title,
    role, place or employer before a name rather than part of it: a title, else not a given name
    and either written in lower case by the article itself or a common English word ("Manager Ian
    Bell", "Fire Commissioner Delia Strand"; before two more words, also a rarer one: "Paramedic
    Joss Tremlow", unless it is a census surname before given names alone: "Nguyen Thi Lan")."""
    low = word.lower().rstrip(".")
    if low in TITLES:
        return True
    if is_given_name(word) or low in NAME_STARTS or not low.isalpha():
        return False
    if low in lower:
        return True
    z = zipf(low)
    return z >= COMMON_ZIPF or (len(rest) >= 2 and z >= LEADING_ZIPF and not family_first([word, *rest]))


def before_given(words: list[str], surnames: set[str], titles_seen: set[str]) -> bool:
    """Whether the first of three or more capitalised words stands before a given name and a
    surname without being a name itself: an honorific or a rank the word tables do not know
    ("Cllr Brian Okafor", "Supt Carla Dyson"); not a census surname before given names alone (the
    family name first: "Nguyen Thi Lan")."""
    first = words[0]
    found = (
        len(words) >= 3
        and not family_first(words)
        and first.isalpha()
        and words[1][:1].isupper()
        and is_given_name(words[1])
        and not is_given_name(first)
        and first.lower() not in surnames
        and words[-1].lower() not in TITLES
    )
    if found:
        # Later "Cllr Okafor" (title and surname alone) reads the same.
        titles_seen.add(first.lower())
    return found


def longer_match(entities: list[Entity], core: list[str], gender: str | None, cands: list[int]) -> int | None:
    """The latest person among ``cands`` (who share the last word) that ``core`` names: the
    same leading words, a one-word entity, a longer ``core`` ending in its name, a compound
    surname's full tail, or the same initial."""
    for c in reversed(cands):
        ent = entities[c]
        ent_words = [w.rstrip(".") if len(w) == 2 else w for w in ent.name.split()]
        # "Vance Holloway" after "Debra Vance Holloway" (shown a person): a compound surname's
        # full tail (its first word is no given name here, so its census gender says nothing).
        # "Mei Ling" after "Chen Mei Ling": the given names of a name written family name first.
        tail = (
            len(core) >= 2
            and len(ent_words) > len(core)
            and ent_words[-len(core) :] == core
            and (ent.evident or family_first(ent_words))
        )
        if gender and ent.gender and gender != ent.gender and not tail:
            continue
        if (
            ent_words[: len(core) - 1] == core[:-1]
            or len(ent_words) == 1
            or core[-len(ent_words) :] == ent_words
            or tail
        ):
            return c
        if core[0].rstrip(".")[:1] == ent_words[0][:1] and len(core[0].rstrip(".")) == 1:
            return c
    return None


def speaks(toks: list[Tok], b: int) -> bool:
    """Whether a speech verb follows the run ending before token ``b`` (adverbs skipped)."""
    k = b
    while k < len(toks) and k - b < 3 and toks[k].low in ADVERBS:
        k += 1
    return k < len(toks) and toks[k].text[:1].islower() and toks[k].low in SPEECH_VERBS
