"""The summary engine with a tiny encoder built from a config (fast; real scorer weights)."""

from __future__ import annotations

import pytest

from service.engines.base import SummaryEngine
from service.engines.summarizer import SummarizerConfig, SummaryEngineImpl, create_summary_engine
from service.engines.summarizer.selection import trim_to_words
from service.errors import InvalidInput
from service.schemas import Summary, SummaryOptions
from tests.fuzz_text import doubling_ratio
from tests.summary_rules import CASES, assert_case_rules, load_cases
from tests.unit.test_summary_tiny_models import save_tiny_bert

STORY = (
    "By Ellen Fraser, Health Correspondent\n"
    "The city council approved a new cycling network on Tuesday, adding 40 kilometres of lanes.\n"
    "Storm warning issued for western counties\n"
    "The plan, which will cost an estimated 25 million euro, was passed by 31 votes to 12.\n"
    "Share this article\n"
    "Supporters said the lanes would cut traffic deaths, while opponents warned about parking.\n"
    "Work on the first section, along the river quays, is due to begin in the spring.\n"
    "The mayor said the network would be finished within three years."
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> SummaryEngineImpl:
    path = save_tiny_bert(tmp_path_factory.mktemp("enc") / "tiny-bert")
    eng = create_summary_engine(SummarizerConfig(encoder_dir=str(path), encode_batch_size=16))
    eng.load()
    eng.warmup()
    return eng


def one(engine: SummaryEngineImpl, text: str, **opts: object) -> Summary:
    return engine.summarize_batch([(text, SummaryOptions(**opts))])[0]  # type: ignore[arg-type]


def assert_well_formed(text: str, summary: Summary) -> None:
    starts = [s.start or 0 for s in summary.sentences]
    assert starts == sorted(starts)
    for s in summary.sentences:
        assert s.start is not None
        assert s.end is not None
        assert text[s.start : s.end] == s.text
    assert summary.text == " ".join(s.text for s in summary.sentences)


def test_engine_satisfies_protocol(engine: SummaryEngineImpl) -> None:
    """The factory's engine is a SummaryEngine and reports its models with checksums."""
    assert isinstance(engine, SummaryEngine)
    infos = engine.models()
    assert [m.task for m in infos] == ["sentence-embedding", "sentence-scoring"]
    assert all(m.loaded and m.sha256 and len(m.sha256) == 64 for m in infos)


def test_default_summary_is_verbatim_and_clean(engine: SummaryEngineImpl) -> None:
    """Default options: 1-3 sentences, exact offsets, document order, no page furniture."""
    summary = one(engine, STORY)
    assert 1 <= len(summary.sentences) <= 3
    assert summary.method == "extractive"
    assert_well_formed(STORY, summary)
    for noise in ("By Ellen Fraser", "Storm warning", "Share this article"):
        assert noise not in summary.text


@pytest.mark.parametrize("max_words", [5, 12, 30])
def test_max_words_is_respected(engine: SummaryEngineImpl, max_words: int) -> None:
    """An explicit word limit is never exceeded, and the summary is still verbatim."""
    summary = one(engine, STORY, max_words=max_words)
    assert summary.text
    assert len(summary.text.split()) <= max_words
    assert_well_formed(STORY, summary)


@pytest.mark.parametrize("max_sentences", [1, 2, 5])
def test_max_sentences_is_respected(engine: SummaryEngineImpl, max_sentences: int) -> None:
    """An explicit sentence cap is never exceeded."""
    summary = one(engine, STORY, max_sentences=max_sentences, max_words=1000)
    assert 1 <= len(summary.sentences) <= max_sentences
    assert_well_formed(STORY, summary)


def test_batch_keeps_order(engine: SummaryEngineImpl) -> None:
    """A batch answers each article with its own summary, in request order."""
    other = "Hospital waiting lists have fallen for the first time in five years. Unions disagreed."
    got = engine.summarize_batch([(other, SummaryOptions()), (STORY, SummaryOptions())])
    assert got[0].sentences[0].text.startswith("Hospital")
    assert_well_formed(other, got[0])
    assert_well_formed(STORY, got[1])


def test_only_noise_falls_back_to_sentences(engine: SummaryEngineImpl) -> None:
    """A text that is all furniture still gets a (verbatim) summary rather than nothing."""
    text = "Advertisement\nMost read"
    summary = one(engine, text)
    assert_well_formed(text, summary)


def test_abstractive_without_model_is_invalid_input(engine: SummaryEngineImpl) -> None:
    """method='abstractive' with no abstractive model configured is the caller's error."""
    with pytest.raises(InvalidInput):
        one(engine, STORY, method="abstractive")


def test_auto_is_extractive_without_abstractive_model(engine: SummaryEngineImpl) -> None:
    """method='auto' falls back to extractive when no abstractive model is configured."""
    assert one(engine, STORY, method="auto").method == "extractive"


@pytest.mark.skipif(not CASES.exists(), reason="summary cases not present")
def test_summary_cases(engine: SummaryEngineImpl) -> None:
    """Every hard case passes the rules of score_summary_cases.py at engine level."""
    cases = load_cases()
    assert cases
    for case in cases:
        summary = one(engine, case["text"])
        assert summary.text.strip(), case["id"]
        assert_case_rules(case, summary)


def test_long_article_time_grows_linearly(engine: SummaryEngineImpl) -> None:
    """A 100,000+ character article is summarised, and twice the text costs about twice the CPU
    time (best of interleaved runs), never four times."""
    paragraph = " ".join(
        f"Paragraph {i} says the council met on day {i} and approved item {i} after a debate."
        for i in range(4)
    )

    def article(n: int) -> str:
        return "\n".join(paragraph.replace("council", f"council {k}") for k in range(n))

    large = article(320)
    assert len(large) > 100_000
    assert_well_formed(large, one(engine, large))
    assert doubling_ratio(article, lambda t: one(engine, t), 40, repeats=3) < 3.0


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        (
            "The company, based in St. Louis, said Mr. Hart would start in Jan. 2027.",
            9,
            "The company, based in St. Louis",
        ),
        ("Shares rose 4 per cent in early trading after the announcement.", 6, ""),
        ("Short sentence.", 5, "Short sentence."),
        (
            "Prices fell sharply in March, analysts warned, and again in April.",
            9,
            "Prices fell sharply in March, analysts warned",
        ),
    ],
)
def test_trim_to_words(text: str, words: int, expected: str) -> None:
    """Trimming keeps a verbatim prefix ending at a clause boundary within the word limit, or
    nothing when the sentence has no such boundary (the caller then leaves the sentence out)."""
    assert text[: trim_to_words(text, words)] == expected
