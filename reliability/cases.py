"""Hand-written bad inputs and the documented answer each must get.

The table is shared by ``make reliability`` (against the real server process) and
tests/reliability (through the test client), so both hold the service to the same contract. Cases
already pinned by tests/api (unterminated JSON, unknown field, ``"text": 42``, ``\\xff\\xfe``, a JSON
array, text/plain) are not repeated in the pytest file; the live run includes the whole table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from reliability.texts import NARRATION_MARKER

#: Limits the live server is started with for these cases (the defaults of service/config.py).
MAX_BODY_BYTES = 2_000_000
MAX_TEXT_CHARS = 200_000
#: The summary limit of /v1/verify (service/verify_schemas.py).
MAX_SUMMARY_CHARS = 20_000


@dataclass(frozen=True)
class BadInput:
    """One request and the answer it must get: ``status`` and a phrase of the problem's detail."""

    name: str
    body: bytes
    status: int
    needle: str
    path: str = "/v1/analyze"
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "application/json"})
    #: Also covered by tests/api; left out of the pytest parametrisation.
    in_api_tests: bool = False


def _doc(**fields: object) -> bytes:
    return json.dumps(fields).encode()


def _nested(depth: int) -> bytes:
    return b'{"text": "' + NARRATION_MARKER.encode() + b'", "summary": ' + b"[" * depth + b"]" * depth + b"}"


def bad_inputs() -> list[BadInput]:
    """Every hand-written bad input (bodies are built on each call; the largest is ~2 MB)."""
    text = f"{NARRATION_MARKER} said hello."
    return [
        BadInput(
            "invalid utf-8 (\\xff\\xfe)", b'{"text": "\xff\xfe broken"}', 400, "UTF-8", in_api_tests=True
        ),
        BadInput(
            "invalid utf-8 (overlong /)",
            b'{"text": "\xc0\xaf ' + NARRATION_MARKER.encode() + b'"}',
            400,
            "UTF-8",
        ),
        BadInput("invalid utf-8 (surrogate bytes)", b'{"text": "\xed\xa0\x80 x"}', 400, "UTF-8"),
        BadInput("invalid utf-8 (truncated sequence)", b'{"text": "abc\xe2\x82"}', 400, "UTF-8"),
        BadInput("invalid utf-8 in a key", b'{"te\xffxt": "abc"}', 400, "UTF-8"),
        BadInput(
            "lone surrogate escape",
            b'{"text": "\\ud800 ' + NARRATION_MARKER.encode() + b'"}',
            400,
            "not valid JSON",
        ),
        BadInput("unterminated JSON", b'{"text": "unterminated', 400, "not valid JSON", in_api_tests=True),
        BadInput("empty body", b"", 400, "JSON"),
        BadInput("NaN literal", b'{"text": "a", "summary": {"max_sentences": NaN}}', 400, "not valid JSON"),
        BadInput("deeply nested JSON (100,000 levels)", _nested(100_000), 400, "nested"),
        BadInput(
            "deeply nested array as the body (2,000 levels)", b"[" * 2_000 + b"]" * 2_000, 400, "nested"
        ),
        BadInput("JSON array body", b"[1, 2, 3]", 422, "Expected `object`", in_api_tests=True),
        BadInput("number where text belongs", _doc(text=42), 422, "Expected `str`", in_api_tests=True),
        BadInput("number where id belongs", _doc(text=text, id=7), 422, "id"),
        BadInput("object where text belongs", _doc(text={"a": 1}), 422, "Expected `str`"),
        BadInput("null text", _doc(text=None), 422, "text"),
        BadInput("missing text", _doc(id="x"), 422, "text"),
        BadInput("number in include", _doc(text=text, include=[1]), 422, "include"),
        BadInput(
            "huge integer (400 digits)",
            b'{"text": "a", "summary": {"max_sentences": 1' + b"0" * 400 + b"}}",
            422,
            "max_sentences",
        ),
        BadInput(
            "huge negative integer",
            b'{"text": "a", "summary": {"max_words": -' + b"9" * 100 + b"}}",
            422,
            "max_words",
        ),
        BadInput(
            "float where an integer belongs",
            _doc(text=text, summary={"max_sentences": 2.5}),
            422,
            "max_sentences",
        ),
        BadInput("1e308 max_words", b'{"text": "a", "summary": {"max_words": 1e308}}', 422, "max_words"),
        BadInput("empty text", _doc(text=""), 422, "length >= 1", in_api_tests=True),
        BadInput("whitespace-only text", _doc(text=" \n\t\u00a0\u2003 "), 422, "empty or only whitespace"),
        BadInput(
            "text over the character limit",
            _doc(text="a" * (MAX_TEXT_CHARS + 1)),
            422,
            f"at most {MAX_TEXT_CHARS}",
        ),
        BadInput("1 MB line, over the character limit", _doc(text="b" * 1_000_000), 422, "length <= "),
        BadInput(
            "body over the byte limit",
            _doc(text="c" * (MAX_BODY_BYTES + 10)),
            413,
            "larger than this service accepts",
        ),
        BadInput(
            "batch of 33 documents",
            _doc(documents=[{"text": text}] * 33),
            422,
            "documents",
            path="/v1/analyze/batch",
        ),
        BadInput(
            "wrong content type (text/plain)",
            text.encode(),
            415,
            "application/json",
            headers={"content-type": "text/plain"},
            in_api_tests=True,
        ),
        BadInput(
            "form-encoded body",
            b"text=" + NARRATION_MARKER.encode(),
            415,
            "application/json",
            headers={"content-type": "application/x-www-form-urlencoded"},
        ),
        BadInput("no content type", _doc(text=text), 415, "no content type", headers={"content-type": ""}),
        BadInput(
            "wrong content type on /v1/quotes",
            _doc(text=text),
            415,
            "application/json",
            path="/v1/quotes",
            headers={"content-type": "application/xml"},
        ),
        *_verify_inputs(text),
    ]


def _verify_inputs(text: str) -> list[BadInput]:
    """The same contract on the summary checker's routes."""
    return [
        BadInput("verify: missing summary", _doc(text=text), 422, "summary", path="/v1/verify"),
        BadInput(
            "verify: whitespace-only summary",
            _doc(text=text, summary=" \n\u00a0 "),
            422,
            "empty or only whitespace",
            path="/v1/verify",
        ),
        BadInput(
            "verify: summary over the character limit",
            _doc(text=text, summary="d" * (MAX_SUMMARY_CHARS + 1)),
            422,
            "summary",
            path="/v1/verify",
        ),
        BadInput(
            "verify: text over the character limit",
            _doc(text="e" * (MAX_TEXT_CHARS + 1), summary="x"),
            422,
            f"at most {MAX_TEXT_CHARS}",
            path="/v1/verify",
        ),
        BadInput(
            "verify: batch of 33 documents",
            _doc(documents=[{"text": text, "summary": "x"}] * 33),
            422,
            "documents",
            path="/v1/verify/batch",
        ),
        BadInput(
            "verify: wrong content type (text/plain)",
            text.encode(),
            415,
            "application/json",
            path="/v1/verify",
            headers={"content-type": "text/plain"},
        ),
    ]


def weird_but_valid() -> dict[str, bytes]:
    """Bodies that are valid and must get a 200 (small enough for the default limits)."""
    return {
        "NUL and control characters": _doc(
            text=f"{NARRATION_MARKER} met.\x00\x01\x02\x1b\x7f “Yes,\x00” she said.\u200b\ufeff\u202e done."
        ),
        "emoji, combining marks and RTL": _doc(
            text=f"{NARRATION_MARKER} 👩‍👩‍👧 e\u0301 «مرحبا» said Ann. “Ça va,” dit-elle."
        ),
        "only quote marks": _doc(text="\"“”„‟«»‹›'’" * 50),
        "only punctuation": _doc(text="?!.…;:" * 500),
    }
