"""The quote engine's pipeline: one Article built once, steps that return new drafts."""

from __future__ import annotations

import dataclasses

import pytest

from service.engines.quotes.context import MentionKind
from service.engines.quotes.outcomes import How
from service.engines.quotes.ranker import Ranker
from service.engines.quotes.steps import output, prepare, rank, verdicts

TEXT = (
    "Mayor Ada Crane opened the bridge on Monday.\n\n"
    "“It took us six years,” Crane said. “We never gave up.”\n\n"
    "Her deputy smiled. “Next the ferry,” he told reporters."
)


def test_rules_attribute_each_quote_with_a_typed_outcome() -> None:
    """The rules' draft holds one frozen quote per span, each with a How and a MentionKind."""
    art, draft = prepare(TEXT, apostrophe_pairs=False)
    assert [TEXT[q.start : q.end] for q in draft.quotes] == [
        "It took us six years",
        "We never gave up.",
        "Next the ferry",
    ]
    hows = [a.how if a else None for a in draft.attrs]
    assert hows == [How.AFTER, How.BEFORE, How.AFTER]
    assert all(isinstance(a.mention.kind, MentionKind) for a in draft.attrs if a)
    with pytest.raises(dataclasses.FrozenInstanceError):
        draft.quotes[0].start = 0  # type: ignore[misc]
    assert art.tokens(0, 20) is art.tokens(0, 20)


def test_the_ranker_step_returns_a_new_draft_and_leaves_the_rules_draft_alone() -> None:
    """rank() overrules weak attributions in a new draft; the draft it read is unchanged."""
    art, draft = prepare("Critics were unhappy. They said “the plan is late.”", apostrophe_pairs=False)
    before = draft.attrs
    eager = Ranker({}, bias=10.0, threshold=0.0)
    ranked = rank(art, draft, eager)
    assert draft.attrs == before
    assert ranked is not draft
    assert ranked.quotes == draft.quotes


def test_output_drops_what_the_verdicts_drop() -> None:
    """Quotes kept by the verdicts (no classifier: all) come out in order with their speakers."""
    art, draft = prepare(TEXT, apostrophe_pairs=False)
    quotes, unattributed_from = output(art, draft, verdicts(art, draft, None))
    assert [q.how for q in quotes] == [How.AFTER, How.BEFORE, How.AFTER]
    assert unattributed_from is None
    assert output(art, draft, [True, False, True])[0][1].start == draft.quotes[2].start
