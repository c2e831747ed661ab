"""The article's cast as data: an entity (a person or organisation and what the article says
about it) and each occurrence of its name in the text."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Entity:
    """One person or organisation: its fullest name and what the article says about it."""

    name: str
    kind: str
    gender: str | None = None
    role: str | None = None
    first: int = 0
    aliases: list[str] = field(default_factory=list)
    #: Lower-cased descriptions the article gives in apposition ("a consultant surgeon at ...").
    descriptions: list[str] = field(default_factory=list)
    #: Whether some mention shows a person by more than capitals: a title, a given name, speech.
    evident: bool = False
    #: Whether a gendered title ("Mrs", "Sir") gave the gender (then no pronoun overrules it).
    titled: bool = False
    #: Whether the name is a plural common noun opening a sentence ("Analysts"): a group of people.
    plural: bool = False
    #: The role an apposition after the name gives ("Ann Lee, the mayor, …" -> "mayor"): shown in
    #: the output when no role precedes the name; not a feature of any model.
    shown_role: str | None = None


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A name run in the text, linked to its entity."""

    start: int
    end: int
    entity: int
    subject: bool
