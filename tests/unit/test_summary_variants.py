"""The cheaper-encoder options and the teacher-label mixing of the scorer's training: the layer cut
keeps the first N layers (and int8 still applies after it), the candidate pool bounds what is
encoded and chosen, and mixed labels interpolate human and teacher labels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.loaders import load_encoder
from service.config import SettingsError, load_settings
from service.engines.summarizer import SummarizerConfig
from service.engines.summarizer.candidates import candidate_sentences
from service.engines.summarizer.extractive import ExtractiveSummarizer
from service.errors import ModelLoadError
from service.schemas import SummaryOptions
from tests.unit.test_summary_tiny_models import CORPUS, save_tiny_bert

ARTICLE = " ".join(
    f"Sentence number {k} of the council report says that {w} matter to the city."
    for k, w in enumerate(["roads", "parks", "schools", "buses", "homes", "rivers", "bridges", "taxes"])
)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_bert(tmp_path_factory.mktemp("enc") / "tiny-bert")


def test_layer_cut_keeps_first_layers_and_their_hidden_state(tiny: Path) -> None:
    """layers=1 leaves one transformer layer; its embeddings are the full model's layer-1 hidden
    state, mean-pooled and unit length."""
    import torch

    full = load_encoder(str(tiny), dtype="float32", max_tokens=32)
    cut = load_encoder(str(tiny), dtype="float32", max_tokens=32, layers=1)
    assert len(full.model.encoder.layer) == 2
    assert len(cut.model.encoder.layer) == 1
    assert cut.model.config.num_hidden_layers == 1
    emb = cut.encode(CORPUS)
    assert emb.shape == (len(CORPUS), 32)
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)
    # The reference is transformers' own BertModel on the same directory (the service builds the
    # encoder in plain torch, models.bert): its first layer's hidden state.
    from transformers import AutoModel, AutoTokenizer

    ids = AutoTokenizer.from_pretrained(str(tiny))(CORPUS[:1], return_tensors="pt")
    reference_model = AutoModel.from_pretrained(str(tiny)).eval()
    with torch.inference_mode():
        hidden = reference_model(**ids, output_hidden_states=True).hidden_states[1]
    ref = torch.nn.functional.normalize(hidden.mean(1), dim=1).numpy()
    np.testing.assert_allclose(emb[:1], ref, atol=1e-5)


def test_layer_cut_is_quantised_after_the_cut(tiny: Path) -> None:
    """int8 applies to the layers that are kept."""
    import torch

    cut = load_encoder(str(tiny), dtype="int8", max_tokens=32, layers=1)
    assert len(cut.model.encoder.layer) == 1
    kinds = {type(m) for m in cut.model.encoder.modules() if "Linear" in type(m).__name__}
    assert kinds
    assert torch.nn.Linear not in kinds
    assert cut.encode(CORPUS[:2]).shape == (2, 32)


def test_layer_cut_beyond_the_model_keeps_all_and_zero_is_refused(tiny: Path) -> None:
    assert len(load_encoder(str(tiny), dtype="float32", layers=6).model.encoder.layer) == 2
    with pytest.raises(ModelLoadError):
        load_encoder(str(tiny), dtype="float32", layers=0)


def test_pool_keeps_the_first_candidates() -> None:
    """pool=N: the first N candidates of the full list, in order; 0 = all."""
    full, _ = candidate_sentences(ARTICLE)
    assert len(full) == 8
    pooled, reason = candidate_sentences(ARTICLE, pool=3)
    assert reason is None
    assert [s.text for s in pooled] == [s.text for s in full[:3]]
    assert candidate_sentences(ARTICLE, pool=0)[0] == full


class CountingEncoder:
    """Stands in for the sentence encoder and records how many sentences it was given."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.info = inner.info  # type: ignore[attr-defined]
        self.seen: list[int] = []

    def encode_documents(self, docs: list[list[str]], batch_size: int = 64) -> np.ndarray:
        self.seen.append(sum(len(d) for d in docs))
        out: np.ndarray = self.inner.encode_documents(docs, batch_size)  # type: ignore[attr-defined]
        return out


def test_engine_pool_bounds_encoded_and_chosen_sentences(tiny: Path) -> None:
    enc = CountingEncoder(load_encoder(str(tiny), dtype="float32"))
    eng = ExtractiveSummarizer(SummarizerConfig(candidate_pool=3), encoder=enc)  # type: ignore[arg-type]
    eng.load()
    summary = eng.summarize_batch([(ARTICLE, SummaryOptions()), (ARTICLE, SummaryOptions())])
    assert enc.seen == [6]
    limit = candidate_sentences(ARTICLE)[0][2].end
    for s in summary:
        assert s.sentences
        assert all((x.end or 0) <= limit for x in s.sentences)


def test_settings_carry_layers_and_pool() -> None:
    s = load_settings({"ANALYZER_ENCODER_LAYERS": "4", "ANALYZER_SUMMARY_POOL": "16"})
    assert (s.encoder_layers, s.summary_pool) == (4, 16)
    with pytest.raises(SettingsError):
        load_settings({"ANALYZER_ENCODER_LAYERS": "0"})
    with pytest.raises(SettingsError):
        load_settings({"ANALYZER_SUMMARY_POOL": "-1"})
    with pytest.raises(ValueError, match="candidate_pool"):
        SummarizerConfig(candidate_pool=-1)


def test_mixed_labels_interpolate_human_and_teacher() -> None:
    from bench.summary_data import mixed_labels

    human = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    teacher = np.array([[0.0, 1.0], [1.0, 1.0]], dtype=np.float32)
    np.testing.assert_array_equal(mixed_labels(human, teacher, 0.0), human)
    np.testing.assert_array_equal(mixed_labels(human, teacher, 1.0), teacher)
    np.testing.assert_allclose(mixed_labels(human, teacher, 0.5), [[0.5, 0.5], [0.5, 1.0]])


def test_teacher_references_are_the_strong_systems_only() -> None:
    from bench.summary_data import teacher_refs

    row = {"system_summaries": {"bart": "A.", "pgn": "B.", "bus": " ", "bert_sum": "C."}}
    assert teacher_refs("frank-cnndm", row) == ["A.", "C."]
    assert teacher_refs("frank-cnndm", {}) == []
    assert teacher_refs("elsewhere", row) == []


def test_shipped_scorer_records_the_engine_defaults() -> None:
    """The shipped weights name the encoder settings they were trained on, and they are the
    engine's defaults (so a default engine computes exactly the embeddings the scorer expects)."""
    from models.registry import load_json_weights
    from service.engines.summarizer.scorer import SentenceScorer

    scorer = SentenceScorer.from_dict(load_json_weights())
    cfg = SummarizerConfig()
    assert scorer.encoder == {
        "layers": cfg.encoder_layers,
        "max_tokens": cfg.encoder_max_tokens,
        "pool": cfg.candidate_pool,
    }
    assert SentenceScorer.from_dict(scorer.to_dict()).encoder == scorer.encoder


def test_engine_warns_when_encoder_settings_differ_from_the_scorers(
    tiny: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mismatch is computed from the weights and the config, and load() logs it as a warning.
    The module's logger is replaced by a recorder: structlog caches loggers on first use, so a
    capture set up later in the suite would not see them."""
    from models.registry import RANKER, load_json_weights
    from service.engines.summarizer import extractive
    from service.engines.summarizer.reranker import SummaryRanker
    from service.engines.summarizer.scorer import SentenceScorer

    scorer = SentenceScorer.from_dict(load_json_weights())
    other = SummarizerConfig(encoder_layers=6, candidate_pool=0)
    assert extractive.encoder_mismatch(scorer, SummarizerConfig()) is None
    mismatch = extractive.encoder_mismatch(scorer, other)
    assert mismatch is not None
    assert mismatch["used"] == {"layers": 6, "max_tokens": 128, "pool": 0}
    assert mismatch["trained"] == {"layers": 3, "max_tokens": 128, "pool": 16}
    ranker = SummaryRanker.from_dict(load_json_weights(RANKER))
    assert ranker.encoder == {"layers": 3, "max_tokens": 128, "pool": 16}
    assert SummaryRanker.from_dict(ranker.to_dict()).encoder == ranker.encoder
    assert extractive.encoder_mismatch(ranker, SummarizerConfig()) is None
    assert extractive.encoder_mismatch(ranker, other) == mismatch

    class Recorder:
        def __init__(self) -> None:
            self.warnings: list[str] = []

        def warning(self, event: str, **_: object) -> None:
            self.warnings.append(event)

        def info(self, event: str, **_: object) -> None:
            pass

    for cfg, warned in ((SummarizerConfig(), False), (other, True)):
        recorder = Recorder()
        monkeypatch.setattr(extractive, "log", recorder)
        eng = ExtractiveSummarizer(cfg, encoder=load_encoder(str(tiny), dtype="float32"))
        eng.load()
        assert len(recorder.warnings) == (2 if warned else 0)
