"""The batch pipeline the archive CLI and its Ray workers share: the service's own checks and
answers, one outcome per document, option limits from the wire types."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient

from models.types import ModelLoadError
from service.engines.factory import Engines
from service.engines.fakes import FakeQuoteEngine, FakeSummaryEngine
from service.pipeline import BatchPipeline, OptionsError, batch_request, for_document
from tests.conftest import ARTICLE, make_settings

OTHER = "Snow closed the pass overnight. “We cleared it by dawn,” said Ann Lee. Traffic resumed at nine."


def pipeline_with(summary: Any = None, **kw: Any) -> BatchPipeline:
    engines = Engines(summary=summary or FakeSummaryEngine(), quotes=FakeQuoteEngine())
    return BatchPipeline(make_settings(), engines, **kw)


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"max_sentences": 21}, "max_sentences"),
        ({"max_sentences": 0}, "max_sentences"),
        ({"max_words": 4}, "max_words"),
    ],
)
def test_options_outside_the_wire_limits_are_refused(options: dict[str, Any], field: str) -> None:
    """The limits are AnalyzeRequest's: the same numbers POST /v1/analyze refuses."""
    with pytest.raises(OptionsError) as exc:
        batch_request(**options)
    assert exc.value.field == field


def test_options_become_the_request_template() -> None:
    req = batch_request(parts=["summary"], max_words=40, trim=True, on_unsupported_language="empty")
    assert req.include == ["summary"]
    assert req.summary is not None
    assert (req.summary.max_words, req.summary.trim, req.summary.max_sentences) == (40, True, None)
    assert for_document(req, OTHER, "d1").text == OTHER
    assert batch_request().summary is None


def test_answers_equal_the_service_answers(client: TestClient[Any]) -> None:
    """Each pipeline result is what POST /v1/analyze answers for the same document and options."""
    template = batch_request(max_sentences=2)
    with pipeline_with() as p:
        items = p.analyze([for_document(template, t, f"d{i}") for i, t in enumerate([ARTICLE, OTHER])])
    for i, (text, item) in enumerate(zip([ARTICLE, OTHER], items, strict=True)):
        http = client.post("/v1/analyze", json={"id": f"d{i}", "text": text, "summary": {"max_sentences": 2}})
        assert http.status_code == 200
        assert item.status == 200
        assert item.result is not None
        ours = {k: v for k, v in msgspec.to_builtins(item.result).items() if k != "timings"}
        assert ours == {k: v for k, v in http.json().items() if k != "timings"}


def test_one_outcome_per_document_in_order_across_chunks() -> None:
    """Bad documents are problems in their own slot; chunks keep the indexes of the whole batch."""
    template = batch_request()
    texts = [ARTICLE, "   ", OTHER + " BOOM", OTHER, ARTICLE]
    with pipeline_with(FakeSummaryEngine(fail_marker="BOOM"), chunk=2) as p:
        items = p.analyze([for_document(template, t, str(i)) for i, t in enumerate(texts)])
    assert [i.index for i in items] == [0, 1, 2, 3, 4]
    assert [i.id for i in items] == ["0", "1", "2", "3", "4"]
    assert [i.status for i in items] == [200, 422, 500, 200, 200]
    assert items[1].error is not None
    assert "empty" in (items[1].error.detail or "")
    assert items[2].result is None
    assert items[3].result is not None
    assert items[3].result.quotes


class BrokenEngine(FakeSummaryEngine):
    def load(self) -> None:
        raise ModelLoadError("weights missing: model.safetensors")


def test_a_failed_model_load_raises_with_its_reason() -> None:
    p = pipeline_with(BrokenEngine())
    with pytest.raises(ModelLoadError, match="weights missing"):
        p.start()
    with pytest.raises(RuntimeError):
        p.analyze([for_document(batch_request(), ARTICLE, "x")])
