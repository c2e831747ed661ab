"""The summary engine with a tiny encoder built from a config (fast; real scorer weights)."""

from __future__ import annotations

import re

import pytest

from service.engines.base import SummaryEngine
from service.engines.errors import UnsupportedOption
from service.engines.summarizer import SummarizerConfig, SummaryEngineImpl, create_summary_engine
from service.engines.summarizer.candidates import needs_antecedent
from service.engines.summarizer.selection import trim_to_words
from service.schemas import Summary, SummaryOptions
from tests.fuzz_text import doubling_ratio
from tests.summary_rules import CASES, assert_case_rules, assert_whole_sentence, load_cases
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
    assert [m.task for m in infos] == ["sentence-embedding", "sentence-scoring", "summary-ranking"]
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
    """An explicit word limit is never exceeded with whole sentences; when none fits, a reason."""
    summary = one(engine, STORY, max_words=max_words)
    assert len(summary.text.split()) <= max_words
    assert not summary.trimmed
    assert bool(summary.text) != bool(summary.reason)
    assert_well_formed(STORY, summary)
    for s in summary.sentences:
        assert s.start is not None
        assert s.end is not None
        assert_whole_sentence(STORY, s.start, s.end)


@pytest.mark.parametrize("max_words", [5, 12, 30])
def test_trim_fills_max_words(engine: SummaryEngineImpl, max_words: int) -> None:
    """With trim, the limit is filled: never exceeded, never empty, marked when a sentence is cut."""
    summary = one(engine, STORY, max_words=max_words, trim=True)
    assert summary.text
    assert len(summary.text.split()) <= max_words
    assert_well_formed(STORY, summary)
    whole = one(engine, STORY, max_words=max_words)
    assert summary.trimmed == (summary.text != whole.text)


@pytest.mark.parametrize("max_sentences", [1, 2, 5])
def test_max_sentences_is_respected(engine: SummaryEngineImpl, max_sentences: int) -> None:
    """An explicit sentence cap is never exceeded."""
    summary = one(engine, STORY, max_sentences=max_sentences, max_words=1000)
    assert 1 <= len(summary.sentences) <= max_sentences
    assert_well_formed(STORY, summary)


@pytest.mark.parametrize("max_sentences", [1, 2, 4, 5])
def test_max_sentences_alone_gives_that_many(engine: SummaryEngineImpl, max_sentences: int) -> None:
    """max_sentences without max_words means that many whole sentences (the story has five)."""
    summary = one(engine, STORY, max_sentences=max_sentences)
    assert len(summary.sentences) == max_sentences
    assert_well_formed(STORY, summary)


def test_default_summary_has_whole_sentences_with_antecedents(engine: SummaryEngineImpl) -> None:
    """Default length: whole sentences only; a "He ..."/"But ..." sentence comes with the one before."""
    text = (
        "The harbour authority approved a plan to dredge the old channel on Monday. "
        "It will cost about four million pounds over two years, the authority said. "
        "Fishing crews welcomed the decision after a decade of silting in the channel. "
        "But environmental groups said the work would disturb the seal colonies nearby. "
        "He said the first dredgers were expected in the autumn. "
        "The channel was last dredged in 1987."
    )
    sentence_starts = [0] + [m.end() for m in re.finditer(r"\. ", text)]
    for k in (None, 1, 2, 3, 4):
        summary = one(engine, text, max_sentences=k)
        assert_well_formed(text, summary)
        chosen = [s.start for s in summary.sentences]
        for s in summary.sentences:
            assert s.start is not None
            assert s.end is not None
            assert_whole_sentence(text, s.start, s.end)
            if needs_antecedent(s.text):
                assert sentence_starts[sentence_starts.index(s.start) - 1] in chosen


@pytest.mark.parametrize(
    "text",
    ["x" * 250_000, "\n".join(str(i * 37 % 1000) for i in range(20_000)), "Advertisement\nMost read"],
    ids=["one-huge-word", "list-of-numbers", "only-furniture"],
)
def test_text_without_sentences_gets_empty_summary_with_reason(engine: SummaryEngineImpl, text: str) -> None:
    """No sentence structure: an empty summary that says why, never the input."""
    summary = one(engine, text)
    assert summary.text == ""
    assert summary.sentences == []
    assert summary.reason


@pytest.mark.parametrize("case", ["upper", "lower"])
def test_unusual_case_text_gets_bounded_summary(engine: SummaryEngineImpl, case: str) -> None:
    """All-capitals wire copy and lower-cased text give a few whole sentences, not the input."""
    story = " ".join(STORY.splitlines()[1::2]) + " " + " ".join(f"Item {i} was approved." for i in range(60))
    text = story.upper() if case == "upper" else story.lower()
    summary = one(engine, text)
    assert 1 <= len(summary.sentences) <= 4
    assert len(summary.text) < len(text) // 4
    assert_well_formed(text, summary)


def test_batch_keeps_order(engine: SummaryEngineImpl) -> None:
    """A batch answers each article with its own summary, in request order."""
    other = "Hospital waiting lists have fallen for the first time in five years. Unions disagreed."
    got = engine.summarize_batch([(other, SummaryOptions()), (STORY, SummaryOptions())])
    assert got[0].sentences[0].text.startswith("Hospital")
    assert_well_formed(other, got[0])
    assert_well_formed(STORY, got[1])


def test_abstractive_without_model_is_invalid_input(engine: SummaryEngineImpl) -> None:
    """method='abstractive' with no abstractive model configured is the caller's error."""
    with pytest.raises(UnsupportedOption):
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


QUOTED = (
    "Residents packed the village hall in Marlow Green on Tuesday evening.\n"
    "“We were promised a new bridge three years ago. Nothing has happened. We are tired of waiting,” "
    "said parish councillor Idris Penhale.\n"
    "The county says the money was moved to road repairs."
)


@pytest.mark.parametrize("max_sentences", [1, 2, 3, 4, 5])
def test_max_sentences_counts_the_sentences_of_a_quotation(
    engine: SummaryEngineImpl, max_sentences: int
) -> None:
    """A three-sentence quotation costs 3 of max_sentences: never returned under 3, never cut."""
    summary = one(engine, QUOTED, max_sentences=max_sentences)
    assert_well_formed(QUOTED, summary)
    quote = [s for s in summary.sentences if "promised" in s.text or "waiting" in s.text]
    counted = sum(3 if "promised" in s.text else 1 for s in summary.sentences)
    assert counted <= max_sentences
    assert all(s.text.startswith("“We were promised") and s.text.endswith("Penhale.") for s in quote)
    if max_sentences < 3:
        assert not quote
        assert len(summary.sentences) == max_sentences
    if max_sentences >= 5:
        assert len(summary.sentences) == 3
