"""A tiny OpenAI-compatible chat-completions server on 127.0.0.1 for unit tests, with every way an
endpoint can misbehave (``mode``), and a word-overlap summary checker."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from models.types import ModelInfo
from service.engines.verify.types import Problem, SentenceCheck, Span, Verdict

MODES = ("ok", "status_500", "not_json", "wrong_shape", "empty", "slow")


@dataclass
class FakeLLM:
    """What the server answers (``mode``, ``content``) and what it was sent (``requests``)."""

    content: str = "The council approved the plan."
    mode: str = "ok"
    slow_s: float = 3.0
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    def answer(self) -> tuple[int, bytes]:
        """Status and body for the current mode."""
        completion = {
            "id": "c1",
            "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": self.content}}],
        }
        if self.mode == "status_500":
            return 500, b'{"error": "boom"}'
        if self.mode == "not_json":
            return 200, b"<html>gateway says hello</html>"
        if self.mode == "wrong_shape":
            return 200, b'{"choices": [{"text": "a completion, not a chat message"}], "x": 1}'
        if self.mode == "empty":
            completion["choices"][0]["message"]["content"] = "   "  # type: ignore[index]
        if self.mode == "slow":
            time.sleep(self.slow_s)
        return 200, json.dumps(completion).encode()


@contextmanager
def serve_fake_llm(llm: FakeLLM | None = None) -> Iterator[FakeLLM]:
    """Run a FakeLLM on 127.0.0.1 (a free port) for the block; ``llm.url`` is its ``/v1`` base."""
    fake = llm or FakeLLM()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            fake.requests.append(json.loads(self.rfile.read(length)))
            fake.headers.append({k.lower(): v for k, v in self.headers.items()})
            status, body = fake.answer()
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client gave up (a timeout test)
                pass

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


_WORD = re.compile(r"\w+")


class WordChecker:
    """Supported when the article has every word of the sentence; evidence: where the article has
    the sentence's first word. Counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def load(self) -> None:
        """Nothing to load."""

    def models(self) -> list[ModelInfo]:
        """A model-free stand-in."""
        return [ModelInfo(id="word-checker", task="summary-verification", source="tests")]

    def verify(self, article: str, summary: str) -> Verdict:
        """One check per sentence of ``summary`` (split after . ! ?)."""
        self.calls += 1
        known = {w.lower() for w in _WORD.findall(article)}
        checks = []
        for m in re.finditer(r"\S.*?(?:[.!?](?=\s|$)|$)", summary.strip()):
            sent = m.group(0)
            words = [w.lower() for w in _WORD.findall(sent)]
            share = sum(w in known for w in words) / max(1, len(words))
            at = article.lower().find(words[0]) if words else -1
            evidence = [Span(at, at + len(words[0]))] if at >= 0 else []
            problems = [] if share == 1 else [Problem("claim", sent, m.start(), m.end(), "unknown words")]
            checks.append(SentenceCheck(sent, m.start(), m.end(), share == 1, share, evidence, problems))
        return Verdict(
            supported=all(c.supported for c in checks),
            score=min((c.score for c in checks), default=0.0),
            sentences=checks,
        )
