"""Training data for the sentence scorer: the shared summary sets, split into the engine's candidate
sentences, encoded once per encoder variant exactly as the engine encodes them (one article per
``encode_documents`` call; embeddings cached per article under /tmp), with per-sentence ROUGE labels
against every reference of the article (and, as an option, against strong systems' outputs).

Sets (read at run time; no text enters the repository): FRANK validation (``frank-cnndm``,
``frank-xsum``), SummEval (``summeval``, 11 references) and the writers' set (``writers``, 3).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from rouge_score import rouge_scorer  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.engines.summarizer.candidates import candidate_sentences, needs_antecedent  # noqa: E402
from service.engines.summarizer.config import SummarizerConfig  # noqa: E402
from service.engines.summarizer.features import sentence_features  # noqa: E402
from service.engines.text import Sentence  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
SETS = {
    "frank": DATA / "frank" / "validation.jsonl",
    "summeval": DATA / "summaries" / "summeval.jsonl",
    "writers": DATA / "summaries" / "writers.jsonl",
}
#: The sets as the training scripts report them (FRANK is split by its ``dataset`` field).
REPORTED_SETS = ("frank-cnndm", "frank-xsum", "summeval", "writers")
EMB_CACHE = Path("/tmp/sentence_scorer_doc_embeddings.pkl")
#: Strong systems whose outputs may serve as extra (teacher) references when building labels:
#: models trained on the full CNN/DM (or XSum) corpus and GPT-3; lead-3, zero-shot GPT-2, pointer
#: generators and plain seq2seq models are left out as weak.
TEACHERS = {
    "frank-cnndm": ("bart", "bert_sum", "bus"),
    "frank-xsum": ("BERTS2S", "TConvS2S"),
    "summeval": ("M22_bart", "M23_pegasus", "M17_t5", "M12_unified_ext_abs"),
    "writers": ("text_davinci_002",),
}


@dataclass(frozen=True)
class Variant:
    """How the candidate embeddings are computed: encoder layers kept, token cut, and the pool of
    candidates (only the first ``pool`` story sentences are encoded and may be chosen; 0 = all).
    The defaults are the engine's (SummarizerConfig), so the scorer is trained on its embeddings."""

    layers: int = SummarizerConfig.encoder_layers
    max_tokens: int = SummarizerConfig.encoder_max_tokens
    pool: int = SummarizerConfig.candidate_pool
    #: Encoder precision ("auto" = what the engine picks on this host: bf16 or int8).
    dtype: str = SummarizerConfig.encoder_dtype

    def precision(self) -> str:
        """The precision the encoder really runs in on this host."""
        from models.precision import resolve_dtype

        return resolve_dtype(self.dtype)

    def cache(self) -> Path:
        """The embedding cache of this variant's encoder (the pool needs no cache of its own)."""
        name = f"{EMB_CACHE.stem}_L{self.layers}_T{self.max_tokens}_{self.precision()}.pkl"
        return EMB_CACHE.with_name(name)


SC = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
SC12 = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)


@dataclass
class Doc:
    """One prepared article."""

    key: str
    set: str
    group: str
    article: str
    reference: str
    references: list[str]
    sents: list[str]
    spans: list[tuple[int, int]]
    emb: np.ndarray
    feats: np.ndarray
    dependent: list[bool]
    words: list[int]
    #: (sentences, 5): ROUGE-1 P, ROUGE-2 P, ROUGE-1 F, ROUGE-2 F, each averaged over references,
    #: and membership of the greedy oracle summary (:func:`oracle`).
    target: np.ndarray = field(default_factory=lambda: np.zeros((0, 4), dtype=np.float32))
    #: The same five columns against the strong systems' outputs (:data:`TEACHERS`), or a copy of
    #: ``target`` when the article has none.
    teacher: np.ndarray = field(default_factory=lambda: np.zeros((0, 4), dtype=np.float32))


def set_name(path_key: str, dataset: str) -> str:
    """The set an article is reported under."""
    if path_key == "frank":
        return f"frank-{dataset}"
    return path_key


def tokens(text: str) -> list[str]:
    """ROUGE's own tokens (lower-cased, stemmed), as score_summaries.py counts them."""
    out: list[str] = SC._tokenizer.tokenize(text)
    return out


def ngram_prf(cand: list[str], ref: Counter[tuple[str, ...]], n: int) -> tuple[float, float]:
    """(precision, F) of the candidate's n-grams against a reference n-gram multiset."""
    c = Counter(tuple(cand[i : i + n]) for i in range(len(cand) - n + 1))
    overlap = sum(min(v, ref[g]) for g, v in c.items())
    total_c, total_r = sum(c.values()), sum(ref.values())
    if not overlap:
        return 0.0, 0.0
    p, r = overlap / total_c, overlap / total_r
    return p, 2 * p * r / (p + r)


def labels(sents: list[str], refs: list[str]) -> np.ndarray:
    """Per-sentence ROUGE-1/2 precision and F, averaged over the references."""
    grams = []
    for ref in refs:
        t = tokens(ref)
        grams.append([Counter(tuple(t[i : i + n]) for i in range(len(t) - n + 1)) for n in (1, 2)])
    out = np.zeros((len(sents), 4), dtype=np.float32)
    for i, s in enumerate(sents):
        t = tokens(s)
        rows = []
        for g1, g2 in grams:
            p1, f1 = ngram_prf(t, g1, 1)
            p2, f2 = ngram_prf(t, g2, 2)
            rows.append((p1, p2, f1, f2))
        out[i] = np.mean(np.asarray(rows, dtype=np.float32), axis=0)
    return out


def oracle(sents: list[str], refs: list[str], k: int = 3) -> np.ndarray:
    """1.0 for the sentences a greedy oracle picks (mean over references of ROUGE-1 + ROUGE-2 F of
    the growing summary, at most ``k`` sentences, stopping when no sentence adds), else 0.0."""
    ref_grams = []
    for ref in refs:
        t = tokens(ref)
        ref_grams.append([Counter(tuple(t[i : i + n]) for i in range(len(t) - n + 1)) for n in (1, 2)])
    toks = [tokens(s) for s in sents]
    chosen: list[int] = []
    best = 0.0
    for _ in range(k):
        step, step_value = -1, best
        for i in range(len(sents)):
            if i in chosen:
                continue
            cand = [w for j in sorted([*chosen, i]) for w in toks[j]]
            value = float(
                np.mean([ngram_prf(cand, g1, 1)[1] + ngram_prf(cand, g2, 2)[1] for g1, g2 in ref_grams])
            )
            if value > step_value:
                step, step_value = i, value
        if step < 0:
            break
        chosen.append(step)
        best = step_value
    out = np.zeros(len(sents), dtype=np.float32)
    out[chosen] = 1.0
    return out


def load_rows() -> list[tuple[str, dict[str, Any]]]:
    """Every article of every set, with the set it is reported under."""
    rows = []
    for key, path in SETS.items():
        if not path.exists():
            sys.exit(f"no data at {path}")
        with open(path, encoding="utf8") as fh:
            for line in fh:
                d = json.loads(line)
                rows.append((set_name(key, d["dataset"]), d))
    return rows


def _group(article: str) -> str:
    """Articles that occur in two sets share a group (so CV never splits them)."""
    norm = re.sub(r"\W+", "", article.lower())[:400]
    return hashlib.sha1(norm.encode()).hexdigest()[:16]


def doc_key(texts: list[str]) -> str:
    """Cache key of one article's candidate list: its embeddings depend on the whole list (the
    encoder's batches never mix articles, and int8 scales are taken per batch)."""
    return hashlib.sha1("\n".join(texts).encode()).hexdigest()


def _encode_missing(docs: list[list[str]], cache: dict[str, np.ndarray], variant: Variant) -> None:
    """Encode every article not in the cache exactly as the engine does: one article at a time
    through ``encode_documents`` with the engine's batch size, layer cut and token cut."""
    missing = {doc_key(d): d for d in docs if d and doc_key(d) not in cache}
    if not missing:
        return
    from models.loaders import load_encoder

    cfg = SummarizerConfig()
    enc = load_encoder(dtype=variant.precision(), max_tokens=variant.max_tokens, layers=variant.layers)
    t0 = time.time()
    for n, (key, texts) in enumerate(sorted(missing.items()), 1):
        cache[key] = enc.encode_documents([texts], batch_size=cfg.encode_batch_size)
        if n % 100 == 0 or n == len(missing):
            print(f"  encoded {n}/{len(missing)} articles ({time.time() - t0:.0f}s)", flush=True)
    variant.cache().write_bytes(pickle.dumps(cache))


def mixed_labels(human: np.ndarray, teacher: np.ndarray, lam: float) -> np.ndarray:
    """Label columns from the human references mixed with those from the strong systems."""
    out: np.ndarray = (1.0 - lam) * human + lam * teacher
    return out


def teacher_refs(name: str, d: dict[str, Any]) -> list[str]:
    """The strong systems' outputs for an article (empty when it has none)."""
    systems = d.get("system_summaries") or {}
    return [
        systems[k] for k in TEACHERS.get(name, ()) if isinstance(systems.get(k), str) and systems[k].strip()
    ]


def prepare(variant: Variant = Variant(), *, teachers: bool = False) -> list[Doc]:
    """Every article with candidates, embeddings, features and labels (and, with ``teachers``,
    labels against the strong systems' outputs)."""
    rows = load_rows()
    split = [(name, d, candidate_sentences(d["article"], pool=variant.pool)[0]) for name, d in rows]
    path = variant.cache()
    cache: dict[str, np.ndarray] = pickle.loads(path.read_bytes()) if path.exists() else {}
    _encode_missing([[s.text for s in sents] for _, _, sents in split], cache, variant)
    docs = []
    for name, d, sents in split:
        if not sents:
            continue
        texts = [s.text for s in sents]
        emb = cache[doc_key(texts)].astype(np.float32)
        refs = list(d.get("references") or [d["reference"]])
        target = np.hstack([labels(texts, refs), oracle(texts, refs)[:, None]])
        sys_refs = teacher_refs(name, d) if teachers else []
        teacher = (
            np.hstack([labels(texts, sys_refs), oracle(texts, sys_refs)[:, None]]) if sys_refs else target
        )
        docs.append(doc_of(name, d, sents, emb, refs, target=target, teacher=teacher))
    return docs


def doc_of(
    name: str,
    d: dict[str, Any],
    sents: list[Sentence],
    emb: np.ndarray,
    refs: list[str],
    **labels: np.ndarray,
) -> Doc:
    """One article of set ``name`` as a :class:`Doc`: its candidate sentences ``sents`` (the
    engine's, with offsets), their embeddings, features and sizes, and ``labels`` (``target``,
    ``teacher``) when the caller has them."""
    texts = [s.text for s in sents]
    return Doc(
        key=f"{name}:{d['hash']}",
        set=name,
        group=_group(d["article"]),
        article=d["article"],
        reference=d["reference"],
        references=refs,
        sents=texts,
        spans=[(s.start, s.end) for s in sents],
        emb=emb,
        feats=sentence_features(sents, emb, d["article"]),
        dependent=[needs_antecedent(t) for t in texts],
        words=[len(t.split()) for t in texts],
        **labels,
    )


def rouge(ref: str, hyp: str, *, lcs: bool = True) -> tuple[float, float, float]:
    """ROUGE-1/2/L F in percent, as score_summaries.py computes them (RL 0.0 without ``lcs``,
    which is three times faster: settings are compared on R1 and R2)."""
    s = (SC if lcs else SC12).score(ref, hyp)
    rl = 100 * s["rougeL"].fmeasure if lcs else 0.0
    return 100 * s["rouge1"].fmeasure, 100 * s["rouge2"].fmeasure, rl


def lead3(article: str) -> str:
    """LEAD-3 exactly as ../shared/eval/score_summaries.py builds it."""
    sys.path.insert(0, str(ROOT.parent / "shared" / "eval"))
    from score_summaries import lead  # type: ignore[import-not-found]

    out: str = lead(article, 3)
    return out


def make_folds(docs: list[Doc], k: int, seed: int) -> list[int]:
    """Fold of every article: groups (an article in two sets is one group) dealt out per set."""
    fold_of_group: dict[str, int] = {}
    for name in REPORTED_SETS:
        groups = sorted({d.group for d in docs if d.set == name} - set(fold_of_group))
        random.Random(seed).shuffle(groups)
        for i, g in enumerate(groups):
            fold_of_group[g] = i % k
    return [fold_of_group[d.group] for d in docs]
