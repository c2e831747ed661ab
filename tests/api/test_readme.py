"""The README's /v1/analyze example is what the service answers: same request, same shape."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import msgspec
from litestar import Litestar
from litestar.testing import TestClient

from models.registry import MINILM_ID
from service.schemas import AnalyzeRequest, AnalyzeResponse

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_example() -> tuple[dict[str, Any], dict[str, Any]]:
    """The request body of the README's curl example and the JSON answer shown under it."""
    text = README.read_text(encoding="utf-8")
    api = text[text.index("## The API") :]
    body = re.search(r"/v1/analyze .*?-d '(\{.*?\})'", api, re.S)
    answer = re.search(r"```json\n(.*?)```", api, re.S)
    assert body, "the API section has a curl example"
    assert answer, "the curl example is followed by a JSON answer"
    return json.loads(body.group(1)), json.loads(answer.group(1))


def shape(value: Any) -> Any:
    """Field names and JSON types, with lists reduced to the shape of their first element."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return "number" if number else type(value).__name__


def test_readme_example_is_valid_on_the_wire() -> None:
    """The example request and answer decode with the service's strict wire types."""
    request, answer = readme_example()
    msgspec.convert(request, AnalyzeRequest)
    msgspec.convert(answer, AnalyzeResponse)
    assert answer["summary"]["model"] == MINILM_ID, "the model id the service reports"


def test_readme_example_offsets_point_into_the_request_text() -> None:
    """Every start/end in the example answer slices its own text out of the example request."""
    request, answer = readme_example()
    text = request["text"]
    for s in answer["summary"]["sentences"]:
        assert text[s["start"] : s["end"]] == s["text"]
    for q in answer["quotes"]:
        assert text[q["start"] : q["end"]] == q["text"]
        sp = q["speaker"]
        assert text[sp["start"] : sp["end"]] == sp["mention"]


def test_readme_example_has_the_shape_of_the_real_answer(client: TestClient[Litestar]) -> None:
    """The service's answer to the README request has no field the example lacks, same types."""
    request, answer = readme_example()
    real = client.post("/v1/analyze", json=request)
    assert real.status_code == 200
    documented = shape(answer)

    def covered(got: Any, doc: Any, where: str) -> None:
        if isinstance(got, dict):
            assert isinstance(doc, dict), where
            for key, value in got.items():
                assert key in doc, f"the service returns {where}.{key}, the README example lacks it"
                covered(value, doc[key], f"{where}.{key}")
        elif isinstance(got, list):
            assert isinstance(doc, list), where
            if got and doc:
                covered(got[0], doc[0], f"{where}[0]")
        else:
            assert got == doc, f"{where}: the service returns {got}, the README shows {doc}"

    covered(shape(real.json()), documented, "answer")


def test_readme_limits_are_the_codes() -> None:
    """The limits and counts the README states are the constants the service enforces."""
    from service.config import load_settings
    from service.engines.quotes.article import MAX_ATTRIBUTED
    from service.schemas import MAX_BATCH_DOCUMENTS, MAX_HTML_CHARS, MAX_TEXT_CHARS

    text = " ".join(README.read_text(encoding="utf-8").split())
    assert f"The first {MAX_ATTRIBUTED} quotes of a text get speaker" in text
    assert f"up to {MAX_BATCH_DOCUMENTS} analyze requests" in text
    assert f"a batch holds at most {MAX_BATCH_DOCUMENTS} documents" in text
    assert f"at most {MAX_HTML_CHARS:,} characters" in text
    assert f"never more than {MAX_TEXT_CHARS:,})" in text
    defaults = load_settings({})
    assert f"(default {defaults.max_text_chars:,};" in text
    assert f"(default {defaults.max_body_bytes:,} bytes)" in text


WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)


def test_readme_html_extraction_figures_are_measured() -> None:
    """The README's extraction figures are what bench/html_extraction.py measures now."""
    import statistics

    from bench.html_extraction import LAYOUTS, STORIES, measure

    text = " ".join(README.read_text(encoding="utf-8").split())
    rows = measure()
    assert f"{WORDS[len(LAYOUTS)]} layouts × {WORDS[len(STORIES)]} stories" in text
    paragraphs = statistics.mean(r.paragraphs for r in rows)
    quotes = statistics.mean(r.quotes for r in rows)
    assert f"{paragraphs:.0%} of paragraphs and {quotes:.0%} of quotes kept".replace("%", " %") in text
    full = sum(r.paragraphs == 1 and r.quotes == 1 for r in rows)
    assert f"100 % on {WORDS[full]} of the layouts" in text
    assert all(r.leaked == 0 for r in rows)
    naive = [r.naive_leaked for r in rows]
    assert f"leaks {min(naive)} to {max(naive)} pieces of page furniture" in text
    lossy = [r for r in rows if r.layout in ("quote in a side box", "paragraph as caption")]
    assert {f"{r.paragraphs:.0%}" for r in lossy} == {"85%"}
    assert "(85 % of paragraphs kept in those two layouts)" in text
