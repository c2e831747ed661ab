"""A mention whose own clause says the person did not speak ("Ruth Keller declined to comment",
"Keller said nothing about it", "Hale did not respond to a request for comment") is no speaker
of the quotes around it: the article has just said those words are not theirs."""

from __future__ import annotations

import re

_NOT = r"(?:did|does|do|would|could|has|have|had|will|was|were)(?:\s+not|n[’']t)"
_REFUSAL = re.compile(
    r"\s*(?:,[^,.;:\n]{1,80},\s*)?(?:"
    r"(?:declined|declines|refused|refuses|refusing|declining)\s+to\s+(?:comment|respond|reply|say|elaborate|discuss)"
    r"|said\s+nothing|says\s+nothing|(?:has|had|have)\s+said\s+nothing"
    rf"|{_NOT}\s+(?:immediately\s+)?(?:comment|respond|reply|return|elaborate)"
    rf"|{_NOT}\s+(?:be\s+)?(?:reached|available)\s+for\s+comment"
    r")\b",
    re.IGNORECASE,
)


def refuses(masked: str, end: int) -> bool:
    """Whether the words after a mention ending at ``end`` say it did not speak."""
    return _REFUSAL.match(masked, end) is not None
