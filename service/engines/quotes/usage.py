"""How an article uses a description: whether "the baker" stands for a company or a person."""

from __future__ import annotations

import re

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
