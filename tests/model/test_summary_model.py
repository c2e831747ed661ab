"""The summary engine with the real all-MiniLM-L6-v2 weights and the shipped scorer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.engines.summarizer import SummarizerConfig, SummaryEngineImpl, create_summary_engine
from service.schemas import SummaryOptions
from tests.fuzz_text import doubling_ratio
from tests.summary_rules import assert_case_rules, assert_whole_sentence, load_cases

pytestmark = pytest.mark.model

SEED = Path(__file__).resolve().parents[3] / "shared" / "data" / "seed"


@pytest.fixture(scope="module")
def engine() -> SummaryEngineImpl:
    eng = create_summary_engine(SummarizerConfig())
    eng.load()
    eng.warmup()
    return eng


def test_real_models_are_pinned(engine: SummaryEngineImpl) -> None:
    """The default encoder is the registered MiniLM with its pinned weight digest."""
    enc = engine.models()[0]
    assert enc.id == "sentence-transformers/all-MiniLM-L6-v2"
    assert enc.sha256 == "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    assert enc.licence == "Apache-2.0"


def test_summary_cases_with_real_weights(engine: SummaryEngineImpl) -> None:
    """All hard cases pass the score_summary_cases.py rules with the production models."""
    cases = load_cases()
    summaries = engine.summarize_batch([(c["text"], SummaryOptions()) for c in cases])
    for case, summary in zip(cases, summaries, strict=True):
        assert_case_rules(case, summary)


@pytest.mark.skipif(not (SEED / "expected.json").exists(), reason="seed article not available")
@pytest.mark.parametrize("count", [None, 3])
def test_seed_article(engine: SummaryEngineImpl, count: int | None) -> None:
    """The seed article: whole sentences, verbatim, none of its listed noise lines; the default
    length is the ranker's (1 to 4 sentences), ``max_sentences`` an exact count."""
    text = (SEED / "article.txt").read_text(encoding="utf-8")
    noise = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))["noise_lines"]
    summary = engine.summarize_batch([(text, SummaryOptions(max_sentences=count))])[0]
    if count is None:
        assert 1 <= len(summary.sentences) <= 4
    else:
        assert len(summary.sentences) == count
    assert not summary.trimmed
    for s in summary.sentences:
        assert s.start is not None
        assert s.end is not None
        assert text[s.start : s.end] == s.text
        assert_whole_sentence(text, s.start, s.end)
    for line in noise:
        assert line[:30] not in summary.text


def test_story_lead_is_preferred_over_side_detail(engine: SummaryEngineImpl) -> None:
    """On a plain news story the summary opens with the story's lead sentence."""
    text = (
        "The city council approved a new cycling network on Tuesday, adding 40 kilometres of "
        "protected lanes over the next three years. The plan, which will cost an estimated 25 "
        "million euro, was passed by 31 votes to 12 after a four-hour debate. Supporters said the "
        "lanes would cut traffic deaths. Opponents warned that businesses would lose parking. "
        "One councillor brought a bicycle into the chamber. Work on the first section, along the "
        "river quays, is due to begin in the spring."
    )
    summary = engine.summarize_batch([(text, SummaryOptions())])[0]
    assert summary.sentences[0].start == 0


@pytest.mark.parametrize(
    ("unit", "count"),
    [("“", 20_000), ("‘", 20_000), ("It rained. ", 2_000), ("x", 50_000)],
    ids=["curly-double-marks", "curly-single-marks", "many-sentences", "one-huge-word"],
)
def test_adversarial_texts_summarise_in_linear_work(engine: SummaryEngineImpl, unit: str, count: int) -> None:
    """40k-100k-character adversarial inputs cost linear work (the encoder sees at most
    MAX_SENTENCES sentences): twice the text, about twice the CPU time, never four times."""
    text = unit * 2 * count
    summary = engine.summarize_batch([(text, SummaryOptions())])[0]
    for s in summary.sentences:
        assert s.start is not None
        assert text[s.start : s.end] == s.text

    def run(t: str) -> object:
        return engine.summarize_batch([(t, SummaryOptions())])

    assert doubling_ratio(lambda n: unit * n, run, count, repeats=2) < 3.0


QUOTED_STORY = (
    "Residents packed the village hall in Marlow Green on Tuesday evening to oppose the quarry.\n\n"
    "“We were promised a new bridge three years ago. Nothing has happened. We are tired of waiting,” "
    "said parish councillor Idris Penhale.\n\n"
    "The county council says the money was moved to road repairs after the floods.\n\n"
    "A decision on the quarry is due in the spring, officials said."
)


@pytest.mark.parametrize("count", [1, 2, 3])
def test_content_selector_gives_exact_counts_of_whole_units(count: int) -> None:
    """With the content selector enabled, max_sentences=N gives N verbatim units and never a piece
    of the three-sentence quotation."""
    eng = create_summary_engine(SummarizerConfig(content_selector=True))
    eng.load()
    assert "newsroom/content-selector" in [m.id for m in eng.models()]
    (summary,) = eng.summarize_batch([(QUOTED_STORY, SummaryOptions(max_sentences=count))])
    assert len(summary.sentences) == count
    for s in summary.sentences:
        assert QUOTED_STORY[s.start : s.end] == s.text
        assert s.text not in ("Nothing has happened.", "We are tired of waiting,”")
        assert not s.text.startswith(("Nothing", "We are tired"))
