"""Engines raise their own errors; the service layer maps them to the problems clients see."""

from __future__ import annotations

import time
from typing import Any

import pytest

from service.engines.errors import EngineError, UnsupportedOption
from service.engines.fakes import FakeQuoteEngine, FakeSummaryEngine
from service.engines.summarizer import SummaryEngineImpl
from service.errors import InternalError, InvalidInput, from_engine
from service.executor import Executor
from service.observability import Metrics
from service.schemas import SummaryOptions

ABSTRACTIVE = SummaryOptions(method="abstractive")


class _Unused:
    """A stand-in extractive summariser that must never be called."""

    def summarize_batch(self, items: Any) -> Any:
        raise AssertionError("the extractive path was taken")


def test_summariser_without_abstractive_model_raises_its_own_error() -> None:
    """Asking for an abstractive summary with no such model is an UnsupportedOption naming the field."""
    engine = SummaryEngineImpl(_Unused())  # type: ignore[arg-type]
    with pytest.raises(UnsupportedOption) as info:
        engine.summarize_batch([("Some text.", ABSTRACTIVE)])
    assert info.value.field == "/summary/method"


def test_unsupported_option_maps_to_invalid_input_with_its_pointer() -> None:
    """from_engine turns an UnsupportedOption into a 422 with the same detail and pointer."""
    err = from_engine(UnsupportedOption("no such model", field="/summary/method"))
    assert isinstance(err, InvalidInput)
    assert (err.status, err.detail, err.pointer) == (422, "no such model", "/summary/method")


def test_other_engine_errors_map_to_an_internal_error() -> None:
    """An engine error the service has no mapping for is a 500 that names no internals."""
    err = from_engine(EngineError("secret detail"))
    assert isinstance(err, InternalError)
    assert "secret" not in (err.detail or "")


async def test_executor_hands_the_mapped_problem_to_the_caller() -> None:
    """An engine's UnsupportedOption reaches the caller of Executor.summarize as InvalidInput."""

    class Refusing(FakeSummaryEngine):
        def summarize_batch(self, items: Any) -> Any:
            raise UnsupportedOption("not here", field="/summary/method")

    ex = Executor(Refusing(), FakeQuoteEngine(), Metrics.create())
    ex.start()
    try:
        with pytest.raises(InvalidInput) as info:
            await ex.summarize("Text.", SummaryOptions(), time.monotonic() + 10)
        assert info.value.pointer == "/summary/method"
    finally:
        ex.close()
