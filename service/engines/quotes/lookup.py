"""Looking mentions up in an article's cast: a surname, a name run, a description, the antecedent
of a pronoun. :class:`CastLookup` holds the entities and their occurrences; ``people.Cast`` fills
them from the article."""

from __future__ import annotations

import bisect
import re

from service.engines.quotes.context import Mention, MentionKind, tokens
from service.engines.quotes.entities import Entity, Occurrence
from service.engines.quotes.evidence import borne_by_both, is_given_name, name_gender
from service.engines.quotes.later import named_anywhere
from service.engines.quotes.lexicon import (
    ADVERBS,
    ANON_HEADS,
    ASK_VERBS,
    COMPANY_HEADS,
    GROUP_WORDS,
    OBJECT_BEFORE,
    ORG_WORDS,
    PRONOUN_GENDER,
    TITLE_WORDS,
    demonym,
)
from service.engines.quotes.salience import MAX_CHAIN, REACH, Candidate, Sentences, choose
from service.engines.quotes.topic import capital_person_noun, described_person
from service.engines.quotes.usage import agent_as_org, main_clause, personal
from service.engines.quotes.variation import REACH_CHARS, governs_verb, speaks_after

#: A sentence that opens with a determiner ("The radio talker has …", "The Wisconsin Republican
#: did …", "A spokesman for …"): its subject is a description, and the persons it names after it
#: are not what a following pronoun refers to.
_DESCRIBED = re.compile(r"[\"“‘']?(?:The|A|An|This|These|Those|His|Her|Their)\s")

#: How much nearer (in characters) a subject of unknown gender must be than one known to agree
#: with a pronoun to be taken as its antecedent instead.
UNKNOWN_GENDER_LEAD = 300


#: Company nouns whose description may link a name nothing shows to be a person ("the club").
_FALLBACK_HEADS = COMPANY_HEADS | {"company", "club", "team", "bank"}


class CastLookup:
    """Entities and occurrences of one article, and the look-ups against them."""

    text: str
    masked: str
    entities: list[Entity]
    occurrences: list[Occurrence]
    _by_last: dict[str, list[int]]
    _by_first: dict[str, list[int]]
    #: Head nouns of descriptions the article uses as a company ("the grocer … its …").
    thing_heads: dict[str, int]

    def person_named(self, word: str) -> int | None:
        """The one person whose surname is ``word`` (any case), e.g. a transcript label "PENCE"
        for Mike Pence; None when there is none or more than one."""
        cands = [i for i in self._by_last.get(word.lower(), []) if self.entities[i].kind != "org"]
        return cands[0] if len(cands) == 1 else None

    def entity_at(self, start: int, end: int) -> int | None:
        """The entity of a name run overlapping ``[start, end)``, preferring the last one."""
        best = None
        for o in self.occurrences:
            if o.start < end and o.end > start:
                best = o.entity
        return best

    def resolve(self, m: Mention, text: str) -> tuple[int | None, str]:
        """Entity index (or None) and kind for a speaker mention."""
        words = text[m.start : m.end]
        if m.kind in (MentionKind.PRONOUN, MentionKind.POSSESSIVE):
            low = words.lower().split()[0]
            g = PRONOUN_GENDER.get(low)
            if low in ("he", "she", "his", "her"):
                return self.antecedent(m.start, g), "person"
            if low in ("it", "they"):
                return self.org_antecedent(
                    m.start, speaks=low == "it" and speaks_after(self.masked, m.end)
                ), ("organisation")
            return None, "unknown"
        if (
            m.kind in (MentionKind.NAME, MentionKind.ORG)
            and words[:4].lower() == "the "
            and (demonym(words[4:]) or capital_person_noun(self, m, words[4:]))
        ):
            # "the Portuguese said" / "the Scot said": the person the sentences before are about.
            near = [o for o in self._before_window(m.start, 1500) if o.subject]
            hit = next((o for o in near if self.entities[o.entity].kind == "person"), None)
            return (hit.entity, "person") if hit is not None else (None, "anonymous")
        if m.kind in (MentionKind.NAME, MentionKind.ORG):
            cs = m.core_start if m.core_start >= 0 else m.start
            ce = m.core_end if m.core_end >= 0 else m.end
            idx = self.entity_at(cs, ce)
            if idx is None:
                return None, "organisation" if m.kind == MentionKind.ORG else "unknown"
            kind = "organisation" if self.entities[idx].kind == "org" else "person"
            return idx, kind
        # Described speakers: "the mayor" may name a known person by role; "a source" never does.
        toks = words.lower().split()
        head = toks[-1] if toks else ""
        if toks and toks[0] in ("a", "an", "one", "another", "two", "three", "several", "some"):
            return None, "anonymous"
        if toks and toks[0] == "the":
            idx = self.described(m.start, toks[1:])
            if idx is not None:
                return idx, "person"
        if head in ANON_HEADS or head in GROUP_WORDS:
            return None, "anonymous"
        if toks[0] == "the" and head in self.thing_heads:
            return self.thing_heads[head], "organisation"
        if head in ORG_WORDS or head in COMPANY_HEADS:
            idx = self.described_org(m.start, toks[1:]) if toks[0] == "the" else None
            return idx, "organisation"
        if toks == ["the", head] and agent_as_org(self.masked, head):
            # "Harwell Bakeries will shut its site. “…,” the baker said": an agent noun the
            # article never treats as a person stands for an organisation it has typed.
            idx = self.described_org(m.start, [head], fallback=False)
            if idx is not None:
                return idx, "organisation"
        # "the 19-year-old said", "the striker said": the person the article is about just before.
        idx = described_person(self, m, toks)
        return (idx, "person") if idx is not None else (None, "unknown")

    def described(self, pos: int, words: list[str]) -> int | None:
        """The person a definite description before ``pos`` refers to ("the 58-year-old surgeon",
        "the mayor"): the nearest person named earlier whose role or apposition has the head noun,
        or the age; None when the article links no one."""
        if not words:
            return None
        head = words[-1].rstrip(".,")
        ages = {a for w in words for a in re.findall(r"^(\d{1,3})-year-old$", w)}
        for o in self._before_window(pos, 3000):
            ent = self.entities[o.entity]
            if ent.kind != "person":
                continue
            said = " ".join([ent.role or "", *ent.descriptions]).lower()
            said_words = set(re.findall(r"[\w-]+", said))
            said_words |= {TITLE_WORDS[w] for w in said_words if w in TITLE_WORDS}
            if head in said_words or (ages and ages & said_words):
                return o.entity
        return None

    def varied_person(self, pos: int) -> int | None:
        """The person an age before ``pos`` varies (``variation.py``): the nearest person named
        before it as a clause's subject, shown to be a person or followed by its verb, passing
        over anyone with a stated age (that age did not match, so they are someone else)."""
        for o in self._before_window(pos, REACH_CHARS):
            ent = self.entities[o.entity]
            if not self._subject(o) or ent.kind != "person" or ent.plural:
                continue
            if (ent.evident or governs_verb(self.masked, o.start, o.end)) and not any(
                d.isdigit() for d in ent.descriptions
            ):
                return o.entity
        return None

    def described_org(self, pos: int, words: list[str], *, fallback: bool = True) -> int | None:
        """The organisation "the company" / "the housing authority" before ``pos`` stands for:
        the nearest one the article names in the stretch before it, whose name has every word of
        a longer description ("the Regional Housing Authority") or whose description ends with it;
        else the one the article names anywhere by those words; else, for a company noun, the
        nearest subject name nothing shows to be a person (no gender, title or role, not a given
        name: "Ashby Rovers sacked … “…,” the club said"); None when it names none."""
        # A group named by a plural common noun ("Analysts") is never "the company".
        window = [o for o in self._before_window(pos, 1500) if not self.entities[o.entity].plural]
        for o in window:
            ent = self.entities[o.entity]
            if ent.kind == "org" and (
                len(words) == 1
                or set(words) <= set(re.findall(r"[\w-]+", ent.name.lower()))
                or any(d.endswith(" ".join(words)) for d in ent.descriptions)
            ):
                return o.entity
        if (later := named_anywhere(self.entities, words)) is not None:
            return later  # "“…,” the ministry said. The Ministry of Defence …"
        if not fallback or words[-1] not in _FALLBACK_HEADS:
            return None
        return self._thing_subject(window)

    def _thing_subject(self, window: list[Occurrence]) -> int | None:
        """The nearest subject name in ``window`` nothing shows to be a person (no gender, title
        or role, not a given name; if it speaks, a single word)."""
        for o in window:
            ent = self.entities[o.entity]
            if (
                o.subject
                and ent.gender is None
                and not ent.titled
                and ent.role is None
                and not is_given_name(ent.name.split()[0])
                and (not ent.evident or len(ent.name.split()) == 1)
            ):
                return o.entity
        return None

    def occurrences_between(self, lo: int, hi: int) -> list[Occurrence]:
        """Occurrences starting in ``[lo, hi)``, in document order, found by bisection."""
        srt = self._sorted()
        return srt[bisect.bisect_left(self._starts, lo) : bisect.bisect_left(self._starts, hi)]

    def _sorted(self) -> list[Occurrence]:
        # Built once per article after the scan; per-quote look-ups then cost O(log n + k), not
        # O(all occurrences), which keeps texts with thousands of quotes linear.
        if getattr(self, "_srt_n", -1) != len(self.occurrences):
            self._srt = sorted(self.occurrences, key=lambda o: o.start)
            self._starts = [o.start for o in self._srt]
            self._srt_n = len(self.occurrences)
        return self._srt

    def _before_window(self, pos: int, reach: int) -> list[Occurrence]:
        """Occurrences starting in ``[pos - reach, pos)``, nearest first."""
        return self.occurrences_between(pos - reach, pos)[::-1]

    def antecedent(self, pos: int, gender: str | None) -> int | None:
        """The person a he/she at ``pos`` refers to: by sentences (``salience.py``), else the
        closest preceding subject mention of a person who agrees in gender, where a person of
        unknown gender counts only when the article shows them to be a person (a title, a given
        name, speech); failing that, the closest of that gender in any position, then the closest
        subject of unknown gender. Never a person of the other gender."""
        if gender is not None:
            hit = self._by_sentence(pos, gender, 0)
            if hit is not None:
                return hit
        hit = self._nearest_subject(pos, gender)
        if hit is None and gender is not None:
            hit = self._census_only(pos, gender)
        return hit

    def _census_only(self, pos: int, gender: str) -> int | None:
        """When the article names no one of a he/she's gender before it, the nearest subject
        person shortly before whose gender is the census tables' for a given name borne by both
        genders, not a title's ("Italy coach Andrea Moretti named his squad. “…,” he said"); never
        "Peter Lund … she said"."""
        window = self._before_window(pos, 3000)
        if any(self.entities[o.entity].gender == gender for o in window):
            return None
        for o in window:
            ent = self.entities[o.entity]
            if pos - o.end > 400:
                return None
            if (
                o.subject
                and ent.kind == "person"
                and not ent.titled
                and ent.gender is not None
                and " " in ent.name
                and name_gender(ent.name.split()[0]) == ent.gender
                and borne_by_both(ent.name.split()[0])
            ):
                return o.entity
        return None

    def _sentences(self) -> Sentences:
        if getattr(self, "_sents", None) is None:
            self._sents = Sentences(self.masked)
            self._chain: dict[int, int | None] = {}
        return self._sents

    def _by_sentence(self, pos: int, gender: str, depth: int) -> int | None:
        """The antecedent from the nearest sentence before ``pos`` that offers an agreeing person."""
        sents = self._sentences()
        if depth and pos in self._chain:
            return self._chain[pos]
        found = None
        si = sents.sentence_of(pos)
        hi = pos
        own = True
        while si >= 0 and (own or sents.starts[si] >= pos - REACH):
            lo = sents.starts[si]
            cands: list[Candidate] = []
            occs: dict[int, Occurrence] = {}
            for o in self.occurrences_between(lo, hi):
                ent = self.entities[o.entity]
                if not self._may_refer(o, ent, gender):
                    continue
                occs[o.start] = o
                cands.append(Candidate(o.start, o.entity, self._subject(o), ent.gender == gender, o.start))
            if depth < MAX_CHAIN:
                for p in sents.pronouns_between(lo, hi, gender):
                    e = self._by_sentence(p, gender, depth + 1)
                    if e is not None:
                        cands.append(Candidate(p, e, True, True))
            # In the pronoun's own sentence, after a quote, only a subject counts ("Choosing between
            # Clinton and Sanders is “…,” she said" is not Clinton's).
            after_quote = own and bool(re.search('[“”"]', self.masked[lo:hi]))
            main_from = main_clause(self.masked, lo, hi)
            c = choose(
                cands, described=after_quote or bool(_DESCRIBED.match(self.masked, lo)), main_from=main_from
            )
            if c is not None:
                found = self._answerer(occs[c.occurrence], gender) if c.occurrence >= 0 else c.entity
                break
            hi = lo
            si -= 1
            own = False
        if depth:
            self._chain[pos] = found
        return found

    def _possessive(self, o: Occurrence) -> bool:
        """Whether a name occurrence is written as a possessive ("Swift's")."""
        return self.text[o.start : o.end].endswith(("'s", "’s"))

    def _subject(self, o: Occurrence) -> bool:
        """Whether a name occurrence is its clause's subject, for a pronoun's antecedent: not a
        possessive ("Trump's attorney, Alan Garten, said"), not after a preposition or a verb that
        takes an object ("Choosing between Clinton and Sanders"); the person a question is put to
        ("asked Omar Haddad") counts as one, being who answers."""
        if self._possessive(o):
            return False
        before = re.search(r"\b([a-z]+)\s+$", self.masked[max(0, o.start - 20) : o.start])
        if before is not None and before.group(1) in ASK_VERBS:
            return True  # "The host asked Omar Haddad about …": the one asked answers next
        if not o.subject:
            return False
        if before is None:
            return True
        if before.group(1) in ("and", "or"):
            # "between Clara Voss and Ida Moor": a name joined to another is what that one is.
            joined = [p for p in self.occurrences_between(o.start - 80, o.start) if p.end <= o.start]
            gap = self.masked[joined[-1].end : o.start] if joined else ""
            return not joined or not re.fullmatch(r",?\s+(?:and|or)\s+", gap) or self._subject(joined[-1])
        return before.group(1) not in OBJECT_BEFORE

    def _may_refer(self, o: Occurrence, ent: Entity, gender: str) -> bool:
        """Whether a name occurrence may be a he/she's antecedent: a person who agrees in gender
        (or whose gender is unknown but who is shown to be a person), not a given name standing
        alone with nothing else to show a person ("Georgia and Virginia"), not a name used as a
        modifier after "the" ("The Cruz campaign")."""
        if (
            ent.kind != "person"
            or ent.plural
            or not (ent.gender == gender or (ent.gender is None and ent.evident))
        ):
            return False
        alone = " " not in ent.name and is_given_name(ent.name)
        if alone and not ent.role and not any(map(personal, ent.descriptions)):
            return False
        return not re.search(r"\b[Tt]he\s+$", self.masked[max(0, o.start - 5) : o.start])

    def _nearest_subject(self, pos: int, gender: str | None) -> int | None:
        best_unknown = None
        best_any = None
        unsure: Occurrence | None = None
        for o in self._before_window(pos, 3000):
            ent = self.entities[o.entity]
            if ent.kind != "person" or (gender and ent.gender and ent.gender != gender):
                continue
            if unsure is not None and unsure.start - o.start > UNKNOWN_GENDER_LEAD:
                return unsure.entity
            if o.subject and ent.gender == gender:
                return self._answerer(o, gender)
            if (
                o.subject
                and ent.gender is None
                and ent.evident
                and unsure is None
                and not self._possessive(o)
            ):
                # Nearer than any subject known to agree; taken unless one follows closely (not a
                # possessive: "Taylor Swift's tour …, according to Paul Dean").
                unsure = o
            if best_any is None and ent.gender == gender:
                best_any = o.entity
            if best_unknown is None and o.subject and ent.gender is None:
                best_unknown = o.entity
        if unsure is not None:
            return unsure.entity
        return best_any if best_any is not None else best_unknown

    def _answerer(self, o: Occurrence, gender: str | None) -> int:
        """The person a question was put to, when ``o`` asks it ("Earhardt then asked Rubio which
        states ..."): the answer that follows is theirs. Else ``o``'s own entity."""
        toks = tokens(self.masked, o.end, min(len(self.masked), o.end + 60))
        k = 0
        while k < len(toks) and toks[k].low in ADVERBS:
            k += 1
        if k >= len(toks) or toks[k].low not in ASK_VERBS:
            return o.entity
        for e in self.occurrences_between(toks[k].end, toks[k].end + 40):
            ent = self.entities[e.entity]
            if ent.kind == "person" and (ent.gender is None or ent.gender == gender) and e.entity != o.entity:
                return e.entity
        return o.entity

    def org_antecedent(self, pos: int, *, speaks: bool = False) -> int | None:
        """The organisation an it/they at ``pos`` most likely refers to (closest subject org)."""
        for o in self._before_window(pos, 600):
            if self.entities[o.entity].kind == "org" and o.subject:
                return o.entity
        if not speaks:
            return None
        # "Halvard said it would close 12 stores. “…,” it said": with no organisation typed, the
        # "it" of a speech verb is the nearest subject name nothing shows to be a person.
        return self._thing_subject(
            [o for o in self._before_window(pos, 600) if not self.entities[o.entity].plural]
        )
