"""A description whose organisation the article names only after it: "“…,” the ministry said. The
Ministry of Defence later …" links "the ministry" to the one organisation whose name has every word
of the description, wherever the article names it; none when no organisation or several do."""

from __future__ import annotations

import re

from service.engines.quotes.entities import Entity


def named_anywhere(entities: list[Entity], words: list[str]) -> int | None:
    """The one organisation among ``entities`` whose name has every word of the description
    ``words`` ("the ministry" -> "Ministry of Defence"); None when none or more than one has."""
    if not words:
        return None
    want = {w.rstrip(".,") for w in words}
    hits = [
        i
        for i, ent in enumerate(entities)
        if ent.kind == "org" and want <= set(re.findall(r"[\w-]+", ent.name.lower()))
    ]
    return hits[0] if len(hits) == 1 else None
