"""Typed settings, read from the environment by :func:`load_settings` (never at import time).

Every field is read from its own ``ANALYZER_*`` variable; the table in the README lists them all.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Literal, get_args, get_type_hints

PREFIX = "ANALYZER_"


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot use."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the service can be told from outside. Field docs double as the README table."""

    host: str = "127.0.0.1"
    """Interface to bind. Use 0.0.0.0 only inside a container."""
    port: int = 8000
    """TCP port to listen on."""
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    """Minimum log level for the service and the libraries it routes through structlog."""
    log_format: Literal["auto", "json", "console"] = "auto"
    """``json`` (one object per line), ``console`` (human-readable), or ``auto``: console on a TTY."""
    workers: int = 1
    """Server processes: 1 only. Scale with replicas (one process per pod or container)."""
    inference_threads: int = 0
    """CPU threads for inference; 0 follows the CPU quota the process really has (cgroup)."""
    encoder_parallelism: Literal["auto", "batches", "operators"] = "auto"
    """How the sentence encoder uses those threads: ``batches`` (that many batches at once, one
    thread each: least CPU per article), ``operators`` (one batch, each operator split over all
    threads), or ``auto``: batches, unless an abstractive model is configured."""
    queue_size: int = 64
    """Requests waiting for inference at most; beyond that the service answers 429."""
    batch_size: int = 8
    """Documents summarised together in one model call at most."""
    batch_wait_ms: float = 5.0
    """How long the batcher waits for more work to fill a batch once it holds one document."""
    request_timeout_s: float = 30.0
    """Per-request deadline, from arrival to answer; past it the client gets 504."""
    max_body_bytes: int = 2_000_000
    """Largest request body accepted; larger bodies get 413."""
    max_text_chars: int = 200_000
    """Longest article (in characters) accepted; longer texts get 422."""
    engines: Literal["real", "fake"] = "real"
    """``fake`` swaps in deterministic engines without model weights (tests, demos)."""
    encoder_dir: str | None = None
    """Local directory of a sentence encoder replacing the embedded all-MiniLM-L6-v2."""
    encoder_dtype: Literal["auto", "float32", "bfloat16", "int8"] = "auto"
    """Encoder precision: ``auto`` is bfloat16 where the CPU has native bf16 (AMX, AVX-512 BF16),
    else int8 dynamic quantisation of the Linear layers (AVX2-only CPUs); or force one."""
    encoder_layers: int = 3
    """Transformer layers of the sentence encoder kept (the first N; the shipped scorer was trained
    on this cut, so change it only together with the scorer)."""
    summary_pool: int = 16
    """Extractive summaries: only the first N candidate sentences are encoded and may be chosen
    (0 = all; the shipped scorer was trained on this pool)."""
    summary_selector: bool = False
    """Extractive summaries with ``max_sentences`` / ``max_words``: rank the units by the learned
    content selector (models/weights/content_selector.json) instead of the sentence scorer. Off by
    default: it gains on the training styles by cross-validation but loses on the CNN/DM-style
    evaluation sets (docs/models.md)."""
    abstractive_dir: str | None = None
    """Local directory of a Hugging Face seq2seq model; enables abstractive summaries."""
    verify_lm_dir: str | None = None
    """Local directory of SmolLM2-135M-Instruct as float32 transformers files (``make checker-lm-model``
    writes one); adds its likelihood features to the summary checker, with heads trained on them.
    Off by default: it raises FRANK's ranking by cross-validation but multiplies the check's cost
    (docs/models.md, "The summary checker")."""
    gen_max_new_tokens: int = 96
    """Abstractive generation: longest summary in tokens."""
    gen_num_beams: int = 2
    """Abstractive generation: beam width (1 = greedy)."""
    llm_url: str | None = None
    """Base URL of an OpenAI-compatible API (vLLM, TGI, Ollama, llama.cpp server), e.g.
    ``http://llm.models.svc:8000/v1``; enables abstractive summaries written by that endpoint's
    ``/chat/completions`` (instead of ``ABSTRACTIVE_DIR``'s local model)."""
    llm_model: str | None = None
    """The model name sent to the endpoint (required with ``LLM_URL``)."""
    llm_api_key: str | None = field(default=None, repr=False)
    """Bearer key for the endpoint (from a Secret); or give ``LLM_API_KEY_FILE``."""
    llm_api_key_file: str | None = None
    """File holding the endpoint's bearer key (a mounted Secret); read once at start."""
    llm_timeout_s: float = 10.0
    """Longest wait for the endpoint's answer; never past the request's own deadline, less the
    time kept for the check and the extractive fallback (``LLM_RESERVE_S``)."""
    llm_reserve_s: float = 3.0
    """Seconds of each request's deadline kept for checking the generated summary and, if it fails,
    the extractive one: the endpoint gets at most the deadline left minus this."""
    llm_max_tokens: int = 200
    """Longest generated summary in tokens (``max_tokens`` of the chat completion)."""
    llm_concurrency: int = 4
    """Endpoint calls in flight at once from this process; more wait their turn (and their deadline)."""
    llm_prompt: str | None = None
    """System prompt for the endpoint; empty: the built-in one (a short, faithful news summary)."""
    abstractive_min_kept: float = 0.5
    """Share of the generated sentences that must pass the check; below it (or with none left) the
    answer is the extractive summary, with ``summary.reason`` saying why."""
    api_token: str | None = field(default=None, repr=False)
    """If set, every /v1 request needs ``Authorization: Bearer <token>``."""
    auth_ops: bool = False
    """Also require the token for /health, /metrics and /schema (the playground page stays open)."""
    playground: bool = True
    """Serve the playground page at /playground."""
    drain_s: float = 5.0
    """On SIGTERM, seconds readiness answers 503 before the server stops accepting connections."""
    shutdown_timeout_s: float = 30.0
    """On SIGTERM, how long accepted requests may take to finish before the process exits."""

    def __post_init__(self) -> None:
        checks = {
            "port": 0 < self.port < 65536,
            "inference_threads": self.inference_threads >= 0,
            "queue_size": self.queue_size >= 1,
            "batch_size": self.batch_size >= 1,
            "batch_wait_ms": self.batch_wait_ms >= 0,
            "request_timeout_s": self.request_timeout_s > 0,
            "max_body_bytes": self.max_body_bytes >= 1024,
            "max_text_chars": 1 <= self.max_text_chars <= 500_000,
            "drain_s": self.drain_s >= 0,
            "encoder_layers": 1 <= self.encoder_layers <= 64,
            "summary_pool": self.summary_pool >= 0,
            "shutdown_timeout_s": self.shutdown_timeout_s > 0,
            "llm_timeout_s": self.llm_timeout_s > 0,
            "llm_reserve_s": self.llm_reserve_s >= 0,
            "llm_max_tokens": self.llm_max_tokens >= 1,
            "llm_concurrency": self.llm_concurrency >= 1,
            "abstractive_min_kept": 0 <= self.abstractive_min_kept <= 1,
        }
        bad = [name for name, ok in checks.items() if not ok]
        if bad:
            raise SettingsError(f"invalid value for {', '.join(PREFIX + b.upper() for b in bad)}")
        if self.workers != 1:
            raise SettingsError(f"{PREFIX}WORKERS must be 1: run more replicas or processes instead")
        if self.api_token is not None and len(self.api_token) < 16:
            raise SettingsError(f"{PREFIX}API_TOKEN must be at least 16 characters")
        self._check_llm()

    def _check_llm(self) -> None:
        if self.llm_url is None:
            return
        if not self.llm_url.startswith(("http://", "https://")):
            raise SettingsError(f"{PREFIX}LLM_URL must be an http:// or https:// URL")
        if not self.llm_model:
            raise SettingsError(f"{PREFIX}LLM_MODEL must name the model when {PREFIX}LLM_URL is set")
        if self.abstractive_dir:
            raise SettingsError(f"set {PREFIX}LLM_URL or {PREFIX}ABSTRACTIVE_DIR, not both")
        if self.llm_api_key and self.llm_api_key_file:
            raise SettingsError(f"set {PREFIX}LLM_API_KEY or {PREFIX}LLM_API_KEY_FILE, not both")

    @property
    def abstractive(self) -> bool:
        """Whether abstractive summaries are served (a local model or an endpoint is configured)."""
        return bool(self.abstractive_dir or self.llm_url)

    def llm_key(self) -> str | None:
        """The endpoint's bearer key: the setting, or the file's content (stripped); read when called."""
        if self.llm_api_key_file:
            try:
                return Path(self.llm_api_key_file).read_text(encoding="utf-8").strip() or None
            except OSError as e:
                raise SettingsError(f"{PREFIX}LLM_API_KEY_FILE cannot be read ({e.strerror})") from None
        return self.llm_api_key

    @property
    def threads(self) -> int:
        """Inference threads: the explicit setting, or the CPUs this process may really use."""
        return self.inference_threads or available_cpus()

    @property
    def encoder_streams(self) -> int:
        """Encoder batches run at once. Measured on 2 cores (docs/performance.md): 2 streams of one
        thread cost ~35% less CPU per article under load than one stream of 2 threads, with the
        same embeddings; an abstractive model's generation is sequential and wants operator
        threads instead, so ``auto`` keeps one stream there."""
        mode = self.encoder_parallelism
        if mode == "auto":
            mode = "operators" if self.abstractive_dir else "batches"
        return self.threads if mode == "batches" else 1

    @property
    def torch_threads(self) -> int:
        """Torch intra-op threads: 1 when the encoder runs several streams, else all threads."""
        return 1 if self.encoder_streams > 1 else self.threads


def _parse(name: str, raw: str, default: object, annotation: str) -> object:
    raw = raw.strip()
    if "Literal" in annotation:
        allowed = _literal_values(name)
        if raw.lower() not in allowed:
            raise SettingsError(f"{PREFIX}{name.upper()} must be one of {', '.join(allowed)}")
        return raw.lower()
    if isinstance(default, bool):
        if raw.lower() in {"1", "true", "yes", "on"}:
            return True
        if raw.lower() in {"0", "false", "no", "off"}:
            return False
        raise SettingsError(f"{PREFIX}{name.upper()} must be true or false")
    try:
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError:
        raise SettingsError(f"{PREFIX}{name.upper()} must be a number, got {raw!r}") from None
    return raw or None


def _literal_values(name: str) -> tuple[str, ...]:
    return tuple(str(v) for v in get_args(get_type_hints(Settings)[name]))


def load_settings(environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from ``environ`` (default ``os.environ``), then explicit ``overrides``."""
    env = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for f in fields(Settings):
        key = PREFIX + f.name.upper()
        if key in env:
            values[f.name] = _parse(f.name, env[key], f.default, str(f.type))
    if "port" not in values and "PORT" in env:  # the platform convention (Cloud Run, Heroku, …)
        values["port"] = _parse("port", env["PORT"], 0, "int")
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def available_cpus() -> int:
    """CPUs this process may use: the cgroup quota when one is set, else the affinity mask."""
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        count = os.cpu_count() or 1
    quota = _cgroup_quota()
    if quota is not None:
        count = min(count, max(1, math.ceil(quota)))
    return max(1, count)


def _cgroup_quota(root: Path = Path("/sys/fs/cgroup")) -> float | None:
    """CPU quota in cores from cgroup v2 (``cpu.max``) or v1 (``cpu.cfs_quota_us``), if any."""
    try:
        text = (root / "cpu.max").read_text().split()
        if text and text[0] != "max":
            return int(text[0]) / int(text[1])
        return None
    except (OSError, ValueError, IndexError):
        pass
    try:
        quota = int((root / "cpu" / "cpu.cfs_quota_us").read_text())
        period = int((root / "cpu" / "cpu.cfs_period_us").read_text())
        return quota / period if quota > 0 and period > 0 else None
    except (OSError, ValueError):
        return None
