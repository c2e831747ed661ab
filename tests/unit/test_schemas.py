"""Wire types: strict decoding, limits on the types, compact encoding."""

from __future__ import annotations

import msgspec
import pytest

from service.schemas import (
    MAX_TEXT_CHARS,
    AnalyzeRequest,
    BatchRequest,
    Quote,
    SpeakerRef,
    SummaryOptions,
)


def decode(raw: bytes) -> AnalyzeRequest:
    return msgspec.json.decode(raw, type=AnalyzeRequest)


def test_minimal_request_gets_defaults() -> None:
    """Only `text` is required; the other fields default to None (everything computed)."""
    req = decode(b'{"text": "Hello."}')
    assert req.text == "Hello."
    assert req.id is None
    assert req.include is None
    assert req.summary is None


def test_unknown_fields_are_rejected() -> None:
    """The strict base refuses fields it does not know, at any depth."""
    with pytest.raises(msgspec.ValidationError, match="unknown field"):
        decode(b'{"text": "a", "extra": 1}')
    with pytest.raises(msgspec.ValidationError, match="unknown field"):
        decode(b'{"text": "a", "summary": {"max_sentences": 2, "style": "x"}}')


def test_limits_are_declared_on_the_types() -> None:
    """Text length, id length, option ranges and batch size are checked while decoding."""
    with pytest.raises(msgspec.ValidationError):
        decode(msgspec.json.encode({"text": "x" * (MAX_TEXT_CHARS + 1)}))
    with pytest.raises(msgspec.ValidationError):
        decode(msgspec.json.encode({"text": "a", "id": "i" * 300}))
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"max_sentences": 21}, SummaryOptions)
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"documents": []}, BatchRequest)


def test_defaults_are_omitted_when_encoding() -> None:
    """Encoded quotes leave out fields at their default, keeping responses small."""
    q = Quote(text="hi", start=1, end=3, speaker=SpeakerRef(name="Ann"))
    assert msgspec.json.decode(msgspec.json.encode(q)) == {
        "text": "hi",
        "start": 1,
        "end": 3,
        "speaker": {"name": "Ann"},
    }


def test_unsupported_language_option_takes_only_its_two_values() -> None:
    """`on_unsupported_language` defaults to refuse, accepts empty, and rejects anything else."""
    assert decode(b'{"text": "a"}').on_unsupported_language == "refuse"
    assert decode(b'{"text": "a", "on_unsupported_language": "empty"}').on_unsupported_language == "empty"
    with pytest.raises(msgspec.ValidationError, match="on_unsupported_language"):
        decode(b'{"text": "a", "on_unsupported_language": "translate"}')


def test_problem_lists_field_errors_only_when_there_are_some() -> None:
    """A problem without field errors encodes no `errors` (nor the default `about:blank` type, which
    RFC 9457 implies when absent); with them, each has a pointer and a detail."""
    from service.schemas import FieldError, Problem

    plain = msgspec.to_builtins(Problem(title="Bad Request", status=400))
    assert plain == {"title": "Bad Request", "status": 400}
    listed = Problem(title="x", status=422, errors=[FieldError(pointer="/text", detail="empty")])
    assert msgspec.to_builtins(listed)["errors"] == [{"pointer": "/text", "detail": "empty"}]


def test_model_info_is_the_model_layers_type() -> None:
    """The wire's ModelInfo is the one the model layer defines (no copy to drift)."""
    from models.types import ModelInfo as LayerModelInfo
    from service.schemas import ModelInfo

    assert ModelInfo is LayerModelInfo
