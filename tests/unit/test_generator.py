"""The OpenAI-compatible generator against a fake endpoint on 127.0.0.1: the request it sends, and
each way the endpoint can fail, as a GeneratorError of its kind."""

from __future__ import annotations

import socket
import time

import pytest

from service.config import SettingsError
from service.engines.factory import build_generator
from service.engines.summarizer.checked import apply_check, limit_generated
from service.engines.summarizer.generator import (
    ChatEndpoint,
    ChatGenerator,
    GeneratorError,
    clip_article,
)
from service.schemas import SummaryOptions
from tests.conftest import ARTICLE, make_settings
from tests.fake_llm import FakeLLM, WordChecker, serve_fake_llm


def _generator(url: str, **kw: object) -> ChatGenerator:
    return ChatGenerator(ChatEndpoint(url=url, model="tiny-llm", **kw))  # type: ignore[arg-type]


def _later(s: float = 30.0) -> float:
    return time.monotonic() + s


def test_the_request_is_a_chat_completion_with_the_article_and_the_length() -> None:
    """The endpoint gets the model, a system prompt with the caller's limits, the article, the key."""
    with serve_fake_llm(FakeLLM(content="  The council\n approved it.  ")) as llm:
        gen = _generator(llm.url, api_key="k" * 20, max_tokens=77)
        text = gen.generate(ARTICLE, SummaryOptions(max_sentences=2, max_words=40), _later())
    assert text == "The council approved it."
    body = llm.requests[0]
    assert body["model"] == "tiny-llm"
    assert body["max_tokens"] == 77
    assert body["temperature"] == 0
    system, user = body["messages"]
    assert system["role"] == "system"
    assert "2 sentences and 40 words" in system["content"]
    assert user == {"role": "user", "content": ARTICLE}
    assert llm.headers[0]["authorization"] == "Bearer " + "k" * 20


@pytest.mark.parametrize(
    ("mode", "kind"),
    [
        ("status_500", "http_status"),
        ("not_json", "bad_response"),
        ("wrong_shape", "bad_response"),
        ("empty", "empty"),
        ("slow", "timeout"),
    ],
)
def test_each_bad_answer_is_a_generator_error_of_its_kind(mode: str, kind: str) -> None:
    """500, non-JSON, a body that is no chat completion, blank text and a timeout each raise."""
    with serve_fake_llm(FakeLLM(mode=mode, slow_s=2.0)) as llm:
        gen = _generator(llm.url, timeout_s=0.5)
        with pytest.raises(GeneratorError) as err:
            gen.generate(ARTICLE, SummaryOptions(), _later())
    assert err.value.kind == kind
    assert "council" not in err.value.message  # messages never carry article text


def test_an_endpoint_that_is_down_is_unreachable() -> None:
    """Nothing listening on the port: kind ``unreachable``."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    gen = _generator(f"http://127.0.0.1:{port}/v1")
    with pytest.raises(GeneratorError) as err:
        gen.generate(ARTICLE, SummaryOptions(), _later())
    assert err.value.kind == "unreachable"


def test_no_call_is_made_when_the_deadline_has_passed() -> None:
    """A deadline already (almost) spent raises ``timeout`` without contacting the endpoint."""
    with serve_fake_llm() as llm, pytest.raises(GeneratorError) as err:
        _generator(llm.url).generate(ARTICLE, SummaryOptions(), time.monotonic() + 0.05)
    assert err.value.kind == "timeout"
    assert llm.requests == []


def test_a_long_article_is_cut_at_a_sentence_end() -> None:
    """Articles longer than the limit are cut after a whole sentence, shorter ones are sent whole."""
    text = "One short sentence here. " * 50
    clipped = clip_article(text, limit=200)
    assert len(clipped) <= 200
    assert clipped.endswith("here.")
    assert clip_article(ARTICLE) == ARTICLE


def test_generated_text_is_cut_to_the_callers_length() -> None:
    """At most max_sentences whole sentences (default 3), and no more words than max_words."""
    text = "One two three. Four five six. Seven eight nine. Ten eleven twelve."
    assert limit_generated(text, SummaryOptions()) == "One two three. Four five six. Seven eight nine."
    assert limit_generated(text, SummaryOptions(max_sentences=1)) == "One two three."
    assert limit_generated(text, SummaryOptions(max_words=7)) == "One two three. Four five six."
    assert limit_generated(text, SummaryOptions(max_words=5, max_sentences=5)) == "One two three."


def test_the_check_keeps_supported_sentences_with_their_evidence() -> None:
    """Supported sentences are kept with evidence spans; refused ones are listed with problems."""
    verdict = WordChecker().verify(ARTICLE, "The city council approved a new tram line. Aliens landed.")
    checked = apply_check(verdict, generator="openai-chat", model="m", min_kept=0.5)
    assert checked.summary is not None
    assert checked.summary.text == "The city council approved a new tram line."
    (sent,) = checked.summary.sentences
    assert sent.evidence
    assert ARTICLE[sent.evidence[0].start : sent.evidence[0].end].lower() == "the"
    assert checked.summary.refused is not None
    assert [r.text for r in checked.summary.refused] == ["Aliens landed."]
    assert checked.summary.refused[0].problems == ["claim"]
    assert checked.kept == 1
    assert [r.text for r in checked.refused] == ["Aliens landed."]


def test_too_little_left_is_no_summary_and_a_reason() -> None:
    """Nothing supported, or less than the share asked for, gives no summary and says why."""
    checker = WordChecker()
    none = apply_check(checker.verify(ARTICLE, "Aliens landed."), generator="g", model=None, min_kept=0.5)
    assert none.summary is None
    assert none.reason == "none of the 1 generated sentences is supported by the article"
    few = apply_check(
        checker.verify(ARTICLE, "The first trams will run in 2029. Aliens landed. Cows flew."),
        generator="g",
        model=None,
        min_kept=0.5,
    )
    assert few.summary is None
    assert [r.text for r in few.refused] == ["Aliens landed.", "Cows flew."]
    assert few.reason is not None
    assert "only 1 of the 3" in few.reason
    lenient = apply_check(
        checker.verify(ARTICLE, "The first trams will run in 2029. Aliens landed. Cows flew."),
        generator="g",
        model=None,
        min_kept=0.3,
    )
    assert lenient.summary is not None


def test_settings_name_one_generator_and_read_the_key_file(tmp_path: object) -> None:
    """LLM_URL needs LLM_MODEL and excludes ABSTRACTIVE_DIR; the key is read from its file."""
    with pytest.raises(SettingsError, match="LLM_MODEL"):
        make_settings(llm_url="http://llm:8000/v1")
    with pytest.raises(SettingsError, match="not both"):
        make_settings(llm_url="http://llm:8000/v1", llm_model="m", abstractive_dir="/models")
    with pytest.raises(SettingsError, match="http"):
        make_settings(llm_url="llm:8000", llm_model="m")
    from pathlib import Path

    key = Path(str(tmp_path)) / "key"
    key.write_text("secret-key-value\n")
    settings = make_settings(llm_url="http://llm:8000/v1", llm_model="m", llm_api_key_file=str(key))
    assert settings.llm_key() == "secret-key-value"
    assert "secret" not in repr(settings)
    gen = build_generator(settings)
    assert gen is not None
    assert gen.endpoint.api_key == "secret-key-value"
    assert build_generator(make_settings()) is None
