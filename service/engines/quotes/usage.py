"""How an article uses a description or a clause: whether "the baker" stands for a company or a
person, where a main clause begins, whether an apposition describes a person."""

from __future__ import annotations

import re

from service.engines.quotes.context import Tok
from service.engines.quotes.evidence import LEADING_ZIPF, is_given_name, zipf
from service.engines.quotes.lexicon import ANON_HEADS, ROLE_WORDS


def agent_as_org(masked: str, head: str) -> bool:
    """An agent noun ("baker", "operator") that is no person's role and that the article never
    goes on about with he/she/his/her ("praised the teacher for her patience")."""
    if not re.fullmatch(r"[a-z]{3,}(?:er|or)", head) or head in ROLE_WORDS or head in ANON_HEADS:
        return False
    for m in re.finditer(rf"\bthe {head}\b", masked, re.I):
        clause = re.split(r"[.;:!?\n“”\"]", masked[m.end() : m.end() + 200], maxsplit=1)[0]
        if re.search(r"\b(?:he|she|his|her|him)\b", clause, re.I):
            return False
    return True


#: A sentence that opens with a subordinate clause ("When Trump suggested …, Rubio fired back").
_SUBORDINATE = re.compile(
    r"[\"“‘']?(?:When|After|As|Before|While|If|Although|Though|Because|Since|Once|Until|Whereas)\s[^,;:]{3,200}?,\s"
)


def main_clause(masked: str, lo: int, hi: int) -> int:
    """Where the main clause of the sentence at ``lo`` begins when it opens with a subordinate
    clause ending in a comma; else ``lo``."""
    m = _SUBORDINATE.match(masked, lo, hi)
    return m.end() if m is not None else lo


def personal(description: str) -> bool:
    """Whether an apposition describes a person: "a consultant surgeon", "the party's nominee", an
    age ("58"); not a figure ("7 in 10 in tennessee")."""
    return (description.isdigit() and len(description) <= 3) or description[:1].isalpha()


#: Verbs that show a plural subject ("Analysts are …", "Economists have …").
_PLURAL_VERBS = frozenset({"are", "were", "have", "do", "say", "think", "believe", "expect", "warn", "fear"})


def plural_common(
    masked: str, toks: list[Tok], a: int, b: int, *, lower: frozenset[str], surnames: set[str]
) -> bool:
    """Whether a lone capitalised word ``toks[a]`` at a sentence start is a plural common noun
    ("Analysts blamed …", "Economists said …"), a group and not a name: plural in form, no known
    surname, its singular an English word (word-frequency tables) and no given name, and the word
    written in lower case elsewhere in the article, a plural verb after it, or both forms in the
    frequency tables."""
    if b - a != 1:
        return False
    word, start, nxt = toks[a].text, toks[a].start, toks[b].text if b < len(toks) else ""
    low = word.lower()
    if low in surnames:
        return False
    if len(low) < 5 or not low.endswith("s") or low.endswith(("ss", "us", "is", "'s", "’s")):
        return False
    if not re.search(r"(?:^|[.!?;:\"“”]\s*|\n\s*)$", masked[max(0, start - 4) : start]):
        return False
    singular = low[:-2] if low.endswith(("ches", "shes", "xes")) else low[:-1]
    if is_given_name(singular.title()) or is_given_name(word) or zipf(singular) < LEADING_ZIPF:
        return False
    return (
        low in lower
        or singular in lower
        or nxt.lower() in _PLURAL_VERBS
        or min(zipf(low), zipf(singular)) >= LEADING_ZIPF
    )


def bare_role(description: str | None) -> str | None:
    """The role a description before a name gives ("the coach" -> "coach", "the club's head
    groundsman" -> "head groundsman"): without its determiner and possessives; None if nothing is left."""
    words = (description or "").split()
    while words and (
        words[0].lower() in ("the", "its", "his", "her", "their", "a", "an")
        or words[0].endswith(("'s", "’s"))
    ):
        words.pop(0)
    return " ".join(words) or None
