"""Who is who in one article: person and organisation names, their canonical (fullest) form,
gender, and the resolution of a speaker mention ("Mr Blinken", "he", "the mayor") to one of them.

A :class:`Cast` is built per call from the article alone and is never shared between calls.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

from service.engines.quotes.context import DATELINE, Tok, tokens
from service.engines.quotes.entities import Entity, Occurrence
from service.engines.quotes.evidence import is_given_name
from service.engines.quotes.gender import gender_of_words, infer_gender, title_gender
from service.engines.quotes.lexicon import (
    CLAUSE_OPENERS,
    CLAUSE_PUNCT,
    GROUP_WORDS,
    HONORIFICS,
    NAME_STARTS,
    NOT_NAMES,
    OBJECT_BEFORE,
    ORG_JOINERS,
    ORG_WORDS,
    ROLE_WORDS,
    SPEECH_VERBS,
    TITLES,
    WEEKDAYS,
    demonym,
)
from service.engines.quotes.lookup import CastLookup
from service.engines.quotes.name_forms import index_keys, particle_before_name, titled_elsewhere
from service.engines.quotes.naming import (
    apposition,
    apposition_before,
    apposition_role,
    before_given,
    clean_word,
    company_apposition,
    company_context,
    described_companies,
    leading_title,
    longer_match,
    names_a_thing,
    person_start,
    rare_thing,
    speaks,
    thing_descriptions,
    type_by_usage,
    verbatim,
    which_clause,
)
from service.engines.quotes.phrases import is_modifier
from service.engines.quotes.usage import bare_role, personal, plural_common


class Cast(CastLookup):
    """Names found in one article (the look-ups against them are :class:`CastLookup`'s)."""

    def __init__(self, text: str, masked: str) -> None:
        self.text = text
        self.masked = masked
        self.entities: list[Entity] = []
        self.occurrences: list[Occurrence] = []
        self._by_last: dict[str, list[int]] = {}
        self._by_first: dict[str, list[int]] = {}
        self._lower: frozenset[str] | None = None
        self._lower_runs: frozenset[str] | None = None
        self._surnames: set[str] = set()
        self._titles_seen: set[str] = set()
        self._mentions: dict[int, int] = {}
        self.thing_heads: dict[str, int] = {}
        #: Lone capitalised words left out of the cast (no person evidence), as occurrences.
        self._singles: list[Occurrence] = []
        self._scan()

    # ------------------------------------------------------------------ building

    def _scan(self) -> None:
        toks = tokens(self.masked, 0, len(self.masked))
        # Datelines at the start of a line ("PORTLAND, Ore. - ") name places, not people.
        skip_to = 0
        kept = []
        for t in toks:
            if t.start < skip_to:
                continue
            if t.start == 0 or self.masked[t.start - 1] == "\n":
                m = DATELINE.match(self.masked, t.start)
                if m is not None:
                    skip_to = m.end()
                    continue
            kept.append(t)
        toks = kept
        runs: list[tuple[int, int]] = []
        i = 0
        n = len(toks)
        while i < n:
            t = toks[i]
            if t.text[:1].isupper() and t.text[:1].isalpha():
                j = i
                while j < n and (
                    (toks[j].text[:1].isupper() and toks[j].text[:1].isalpha())
                    or (j > i and particle_before_name(toks, j))
                    or (
                        # "Department of Coastal Affairs": an organisation word, then "of" or "for"
                        toks[j].low in ORG_JOINERS
                        and j > i
                        and toks[j - 1].low in ORG_WORDS
                        and j + 1 < n
                        and toks[j + 1].text[:1].isupper()
                        and toks[j + 1].text not in NOT_NAMES
                    )
                ):
                    j += 1
                    if toks[j - 1].text.endswith(("’s", "'s", "s’", "s'")):
                        break
                runs.append((i, j))
                i = j
            else:
                i += 1
        self._add_runs(toks, runs)
        infer_gender(self.entities, self.occurrences, toks)
        type_by_usage(self.entities, self.occurrences, self.masked)
        self.thing_heads = thing_descriptions(self.entities, self.occurrences, self.masked)
        for o in described_companies(self.masked, self._singles, self.occurrences, self.entities):
            core = [clean_word(self.text[o.start : o.end])]
            idx = self._find_or_add(core, "org", None, None, o.start)
            if idx is not None:
                self.occurrences.append(Occurrence(o.start, o.end, idx, o.subject))

    def _add_runs(self, toks: list[Tok], runs: list[tuple[int, int]]) -> None:
        """Every capitalised run into the cast, surnames first."""
        n = len(toks)
        # Surnames: last words of runs that carry a given name ("Dara Quinn"), so that a common
        # word before such a word alone ("Inspector Quinn") reads as a title, and one before any
        # other word ("Judicial Watch", "Ban Ki-moon") stays part of the name.
        for a, b in runs:
            if b - a >= 2 and any(is_given_name(t.text) for t in toks[a : b - 1]):
                self._surnames.add(clean_word(toks[b - 1].text).lower())
        seen = Counter(clean_word(t.text).lower() for a, b in runs for t in toks[a:b])
        for a, b in runs:
            if (
                b < n
                and seen[clean_word(toks[b - 1].text).lower()] == 1
                and names_a_thing(toks[b - 1], toks[b])
            ):
                continue  # "Valentine's Day", "Mother's Day": a holiday, not a person
            if b - a >= 2 and clean_word(toks[b - 1].text) in WEEKDAYS:
                continue  # "Easter Monday", "Super Tuesday": a day, not a person
            self._add_run(toks, a, b)

    def lower_words(self) -> frozenset[str]:
        """Words the article writes in lower case outside quotes (computed once per article)."""
        if self._lower is None:
            self._lower = frozenset(re.findall(r"\b[a-z][a-z'’-]*\b", self.masked))
        return self._lower

    def lower_letter_runs(self) -> frozenset[str]:
        """Runs of lower-case letters anywhere in the article, quotes included (computed once per
        article): "well-known" gives "well" and "known"."""
        if self._lower_runs is None:
            self._lower_runs = frozenset(re.findall(r"\b[a-z]+\b", self.text))
        return self._lower_runs

    def _name_words(self, toks: list[Tok], a: int, b: int) -> tuple[int, list[str], list[str], bool]:
        """The run's first kept token, its titles and role words, and its bare name words; and
        whether the run names an organisation by its words ("White House", "Ministry of Health")."""
        words = [clean_word(t.text) for t in toks[a:b]]
        org_run = bool(words) and (words[-1].lower() in ORG_WORDS or any(w in ORG_JOINERS for w in words))
        if org_run and (
            any(w.lower().rstrip(".") in TITLES and is_given_name(nxt) for w, nxt in pairwise(words))
            or (len(words) == 1 and words[0].lower() in self._surnames)
        ):
            # "Atlantic City Mayor Don Guardian" (a title before a given name), then "Guardian"
            # alone (the surname of a person the article names): a person, not a newspaper.
            org_run = False
        lower = self.lower_words()
        # Drop leading function words ("When Mr Biden", "But Trump") and ordinary words capitalised
        # by a headline or a sentence start ("Does Rubio", "Team Trump"): words this text also
        # writes in lower case, unless they are given names or titles.
        while words and (
            (words[0] in NOT_NAMES and words[0].lower().rstrip(".") not in TITLES)
            or (
                not org_run
                and len(words) > 1
                and words[0].lower() in lower
                and not is_given_name(words[0])
                and words[0].lower().rstrip(".") not in TITLES
                and words[0].lower() not in NAME_STARTS
            )
        ):
            words.pop(0)
            a += 1
        titles: list[str] = []
        # Everything up to the run's last title is a title, a place or an employer: "South
        # Carolina Gov. Jim Hodges", "New York Gov. Andrew Cuomo".
        last_title = max(
            (i for i, w in enumerate(words[:-1]) if w.lower().rstrip(".") in TITLES and i > 0), default=-1
        )
        if not org_run and last_title > 0:
            titles, words = words[: last_title + 1], words[last_title + 1 :]
        while not org_run and len(words) > 1 and self._leads_name(words, lower):
            titles.append(words.pop(0))
        core = [w for w in words if w]
        while core and core[0] in NOT_NAMES:
            core.pop(0)  # "Miss. The ruling": a state abbreviation read as a title
        if not org_run and len(core) > 2:
            cut = person_start(core)
            titles, core = titles + core[:cut], core[cut:]
        return a, titles, core, org_run

    def _leads_name(self, words: list[str], lower: frozenset[str]) -> bool:
        """Whether the first of ``words`` is a title, role, place or employer before the name."""
        first = words[0].lower()
        one_name = len(words) == 2 and words[1].lower() not in self._surnames
        if one_name and first.rstrip(".") not in TITLES and first not in self._titles_seen:
            return False  # "Judicial Watch", "Ban Ki-moon": one name
        return (
            leading_title(words[0], words[1:], lower)
            or before_given(words, self._surnames, self._titles_seen)
            or titled_elsewhere(words, self.masked, self._titles_seen)
            or first in self._titles_seen
        )

    def _add_run(self, toks: list[Tok], a: int, b: int) -> None:
        if b - a >= 3 and all(t.text.isupper() for t in toks[a:b]):
            return  # a heading in capitals ("CONGRESS HAS INVESTIGATED HIM"), not a name
        a, titles, core, org_run = self._name_words(toks, a, b)
        if not core or (len(core) == 1 and a > 0 and toks[a - 1].low == "the" and demonym(core[0])):
            return  # "the Dutchman said": a description of someone named before
        plural = plural_common(self.masked, toks, a, b, lower=self.lower_words(), surnames=self._surnames)
        # "Senate Democrats", "Analysts": a plural group is never one person (nor a she or he).
        is_org = (
            org_run
            or (a > 0 and toks[a - 1].low == "the" and len(core) > 1)
            or core[-1].lower() in GROUP_WORDS
        )
        has_title = any(t.lower().rstrip(".") in TITLES for t in titles)
        if is_org or (
            not has_title
            and (
                rare_thing(self.masked, core, toks[b - 1].end)
                or company_apposition(self.text, core, toks, b)
                or which_clause(self.masked, core, toks[b - 1].end)
                or company_context(self.masked, core, toks[a].start, toks[b - 1].end)
            )
        ):
            kind = "org"
        elif has_title or is_given_name(core[0]) or len(core) >= 2 or speaks(toks, b):
            # "Priebus said", "Pataki later told": a lone capitalised word that speaks is a person,
            # even when the article never gives the full name.
            kind = "person"
        else:
            # A single capitalised word: a person only when it matches a known person's name.
            kind = "single"
        if len(core) > 4 and kind != "org":
            return
        start, end = toks[a].start, toks[b - 1].end
        subject, role = self._role_before(toks, a, kind)
        evidence = has_title or is_given_name(core[0]) or speaks(toks, b)
        if titles and not role:
            rt = [t for t in titles if t.lower().rstrip(".") not in HONORIFICS]
            if rt:
                role = " ".join(rt)
        gender = gender_of_words(titles, core)
        idx = self._find_or_add(core, kind, gender, role, start, full=verbatim(toks[b - len(core) : b], core))
        if idx is None and kind == "single" and not is_given_name(core[0]):
            self._singles.append(Occurrence(start, end, -1, subject))
        if idx is not None:
            ent = self.entities[idx]
            ent.titled = ent.titled or bool(title_gender(titles, core))
            ent.plural = ent.plural or plural
            self._mentions[idx] = self._mentions.get(idx, 0) + 1
            self.occurrences.append(Occurrence(start, end, idx, subject))
            before = apposition_before(self.text, toks, a, b)
            desc = apposition(self.text, toks, b) or before
            if kind == "person":  # "The coach, Teresa Lindgren, …" / "Ann Lee, the mayor, …"
                ent.role = ent.role or bare_role(before)
                ent.shown_role = ent.shown_role or apposition_role(self.text, toks, b)
            # A description in apposition ("Neera Tanden, a Clinton supporter") shows a person.
            ent.evident = ent.evident or evidence or bool(desc and kind == "person" and personal(desc))
            if desc:
                ent.descriptions.append(desc)

    def _role_before(self, toks: list[Tok], a: int, kind: str) -> tuple[bool, str | None]:
        """Whether the run at ``toks[a]`` is a subject, and the role words directly before it
        ("US secretary of state Antony Blinken")."""
        k = a - 1
        while k >= 0 and (
            toks[k].low in ROLE_WORDS
            or (toks[k].text[:1].isupper() and toks[k].text.endswith(("’s", "'s", "s’", "s'")))
        ):
            k -= 1
        role = None
        if k < a - 1 and kind == "person":
            role_toks = toks[k + 1 : a]
            while role_toks and role_toks[0].low in ("of", "the", "and", "for"):
                role_toks = role_toks[1:]
            if role_toks and any(t.low in ROLE_WORDS - {"of", "the", "and", "for"} for t in role_toks):
                role = self.text[role_toks[0].start : role_toks[-1].end]
        return self._opens_clause(toks, a, k), role

    def _opens_clause(self, toks: list[Tok], a: int, k: int) -> bool:
        """Whether the run at ``toks[a]`` (role words from ``toks[k + 1]``) can be a clause's
        subject: after punctuation, a clause opener ("that", "when", "but") or an inverted cue
        ("said Grant Green"), also behind a place or employer and a few modifiers ("Florida delegate
        John Archer"); not after a verb or preposition ("asked Rubio", "succeeding Barack Obama").
        After "and"/"or" joining two names, or a possessive name ("to CBS News' Charlie Rose"), it
        is what that name is."""
        if a > 0 and toks[a - 1].low in ("and", "or"):
            return bool(self._subject_ending_at(toks, a - 2, default=False))
        m = k
        modifiers = 0
        while m >= 0 and modifiers < 3 and is_modifier(toks[m]):
            m -= 1
            modifiers += 1
        if m >= 0 and toks[m].text[:1].isupper() and toks[m].text[:1].isalpha():
            c = m
            while c >= 0 and toks[c].text[:1].isupper() and toks[c].text[:1].isalpha():
                c -= 1
            known = self._subject_ending_at(toks, m, default=None)
            if known is not None:
                return known
            m = c
        elif modifiers:
            return m < 0 or toks[m].text in CLAUSE_PUNCT
        if m < 0:
            return True
        prev = toks[m]
        if prev.text in CLAUSE_PUNCT:
            return True
        return prev.low in CLAUSE_OPENERS or (prev.low in SPEECH_VERBS and prev.low not in OBJECT_BEFORE)

    def _subject_ending_at(self, toks: list[Tok], i: int, *, default: bool | None) -> bool | None:
        """The subject flag of the last occurrence, when it ends at ``toks[i]``; else ``default``."""
        if i >= 0 and self.occurrences and self.occurrences[-1].end == toks[i].end:
            return self.occurrences[-1].subject
        return default

    def _find_or_add(
        self, core: list[str], kind: str, gender: str | None, role: str | None, pos: int, *, full: str = ""
    ) -> int | None:
        last = core[-1].lower()
        # A bare surname also finds a suffixed name ("Whitlock": "J.R. Whitlock Jr.") no one else bears.
        cands = self._by_last.get(last) or (self._by_last.get(f"{last} *", []) if len(core) == 1 else [])
        full = full or " ".join(core)
        if kind == "org":
            for c in cands:
                if self.entities[c].name == full:
                    return c
            return self._new(Entity(full, "org", None, None, pos), core)
        match = None
        if len(core) == 1:
            # A surname alone is the one of its bearers the article has named most so far ("Fiorina"
            # after "her husband, Frank Fiorina" is still Carly Fiorina).
            ok = [
                c
                for c in cands
                if not (gender and self.entities[c].gender and gender != self.entities[c].gender)
            ]
            if ok:
                match = max(reversed(ok), key=lambda c: self._mentions.get(c, 0))
        if match is None:
            match = longer_match(self.entities, core, gender, cands)
        if match is None and len(core) == 1:
            byf = self._by_first.get(last, [])
            if byf:
                match = byf[-1]
        if match is None:
            if kind == "single":
                return None
            return self._new(Entity(full, "person", gender, role, pos), core)
        ent = self.entities[match]
        if len(core) > len(ent.name.split()):
            ent.name = full
            self._by_first.setdefault(core[0].lower(), []).append(match)
        if gender and not ent.gender:
            ent.gender = gender
        if role and not ent.role:
            ent.role = role
        if ent.kind == "org" and kind == "person":
            ent.kind = "person"
        return match

    def _new(self, ent: Entity, core: list[str]) -> int:
        self.entities.append(ent)
        idx = len(self.entities) - 1
        for key in index_keys(core):
            self._by_last.setdefault(key, []).append(idx)
        if len(core) > 1:
            self._by_first.setdefault(core[0].lower(), []).append(idx)
        return idx
