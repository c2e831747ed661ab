"""The OpenAI-compatible generator: abstractive summaries from a chat-completions endpoint (vLLM,
TGI, Ollama, llama.cpp server, ``transformers serve``), the one platform teams already run.

:class:`ChatGenerator` makes one ``POST {url}/chat/completions`` per article, synchronously (run it
off the event loop) and bounded by the request's deadline. Every way the call can fail (no
connection, a timeout, a non-200 status, a body that is not JSON or not a chat completion, an empty
answer) raises :class:`GeneratorError` with a ``kind`` and a message that names no article text;
the caller then answers with the extractive summary. Nothing here imports the HTTP layer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import httpx
import msgspec
import structlog

from models.types import ModelInfo
from service.engines.text import split_sentences
from service.schemas import SummaryOptions

log = structlog.get_logger(__name__)

#: Sentences asked for (and kept of the answer) when the caller gives no ``max_sentences``.
DEFAULT_SENTENCES = 3
#: Longest article text sent, in characters (~3,000 tokens: within every small model's window);
#: a longer article is cut at the last sentence end before it.
MAX_ARTICLE_CHARS = 12_000
#: Below this many seconds left there is no point in calling the endpoint.
MIN_CALL_S = 0.2

DEFAULT_PROMPT = (
    "You write short summaries of news articles. Summarise the article the user sends in at most "
    "{sentences} sentences{words}. Use only facts the article states: no names, numbers, dates, "
    "places or quotations that it does not contain, and nothing from outside it. Answer with the "
    "summary only, as plain sentences."
)

#: Why a generator call failed (the ``reason`` label of the failure metric).
FAILURE_KINDS = ("timeout", "unreachable", "http_status", "bad_response", "empty", "error")


class GeneratorError(Exception):
    """The generator gave no usable text; ``kind`` is one of :data:`FAILURE_KINDS`."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class ChatEndpoint:
    """Where and how to call an OpenAI-compatible chat-completions API."""

    url: str
    """Base URL, e.g. ``http://llm:8000/v1`` (``/chat/completions`` is appended)."""
    model: str
    api_key: str | None = field(default=None, repr=False)
    timeout_s: float = 10.0
    max_tokens: int = 200
    prompt: str | None = None
    """System prompt; ``{sentences}`` and ``{words}`` are filled in. None: :data:`DEFAULT_PROMPT`."""


# The part of a chat completion that is used; anything else in the body is ignored.
class _Message(msgspec.Struct):
    content: str | None = None


class _Choice(msgspec.Struct):
    message: _Message


class _Completion(msgspec.Struct):
    choices: list[_Choice]


_decode = msgspec.json.Decoder(_Completion).decode


class ChatGenerator:
    """Summaries written by a chat-completions endpoint. Thread-safe (one pooled HTTP client)."""

    name = "openai-chat"

    def __init__(self, endpoint: ChatEndpoint, *, client: httpx.Client | None = None) -> None:
        self.endpoint = endpoint
        headers = {"Authorization": f"Bearer {endpoint.api_key}"} if endpoint.api_key else {}
        # The environment's proxy and CA settings apply (HTTPS_PROXY, NO_PROXY, SSL_CERT_FILE).
        self._client = client or httpx.Client(headers=headers, follow_redirects=False)
        self._url = endpoint.url.rstrip("/") + "/chat/completions"

    @property
    def model(self) -> str:
        """The model name the endpoint is asked for."""
        return self.endpoint.model

    def models(self) -> list[ModelInfo]:
        """The endpoint's model, as /v1/models lists it (no weights here: the source is the URL)."""
        return [ModelInfo(id=self.endpoint.model, task="summarization", source=self._url, loaded=True)]

    def close(self) -> None:
        """Close the pooled connections."""
        self._client.close()

    def messages(self, text: str, options: SummaryOptions) -> list[dict[str, str]]:
        """The system prompt (with the caller's length limits) and the article as the user turn."""
        sentences = options.max_sentences or DEFAULT_SENTENCES
        words = f" and {options.max_words} words" if options.max_words else ""
        prompt = (self.endpoint.prompt or DEFAULT_PROMPT).format(sentences=sentences, words=words)
        return [{"role": "system", "content": prompt}, {"role": "user", "content": clip_article(text)}]

    def generate(self, text: str, options: SummaryOptions, deadline: float) -> str:
        """The endpoint's summary of ``text``, whitespace-normalised; raises :class:`GeneratorError`.

        ``deadline`` is a ``time.monotonic()`` instant: the call gets the time left until then, at
        most the endpoint's ``timeout_s``."""
        timeout = min(self.endpoint.timeout_s, deadline - time.monotonic())
        if timeout < MIN_CALL_S:
            raise GeneratorError("timeout", "no time was left of the request's deadline to call it")
        body = {
            "model": self.endpoint.model,
            "messages": self.messages(text, options),
            "max_tokens": self.endpoint.max_tokens,
            "temperature": 0,
            "stream": False,
        }
        try:
            response = self._client.post(self._url, json=body, timeout=timeout)
        except httpx.TimeoutException:
            raise GeneratorError("timeout", f"it did not answer within {timeout:.1f} s") from None
        except httpx.HTTPError as e:
            raise GeneratorError("unreachable", f"it could not be reached ({type(e).__name__})") from None
        if response.status_code != 200:
            raise GeneratorError("http_status", f"it answered HTTP {response.status_code}")
        try:
            completion = _decode(response.content)
        except msgspec.DecodeError:
            raise GeneratorError("bad_response", "its answer is not a chat completion") from None
        content = completion.choices[0].message.content if completion.choices else None
        summary = " ".join((content or "").split())
        if not summary:
            raise GeneratorError("empty", "its answer holds no text")
        return summary


def clip_article(text: str, limit: int = MAX_ARTICLE_CHARS) -> str:
    """``text`` whole when it fits ``limit``, else cut after the last sentence that ends within it."""
    if len(text) <= limit:
        return text
    ends = [e for _, e in split_sentences(text[:limit])]
    cut = ends[-2] if len(ends) > 1 else limit  # the last span may be a sentence cut in half
    return text[:cut]
