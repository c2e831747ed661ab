"""The playground's Content-Security-Policy pins its inline <style> and <script> by SHA-256.

Run ``python -m tests.browser.csp`` after editing either block to write the new hashes into the
page; the API test ``test_csp_hashes_match_the_inline_blocks`` fails until then.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

PAGE = Path(__file__).resolve().parents[2] / "service" / "static" / "playground.html"

_BLOCK = {kind: re.compile(rf"<{kind}>(.*?)</{kind}>", re.S) for kind in ("style", "script")}
_POLICY = {
    kind: re.compile(rf"{kind}-src 'sha256-([A-Za-z0-9+/=]+|[A-Z_]+)'") for kind in ("style", "script")
}


def block_hashes(html: str) -> dict[str, str]:
    """Base64 SHA-256 of the one inline block of each kind, as CSP computes it (exact text)."""
    out = {}
    for kind, pattern in _BLOCK.items():
        blocks = pattern.findall(html)
        assert len(blocks) == 1, f"the page must have exactly one inline <{kind}> block"
        out[kind] = base64.b64encode(hashlib.sha256(blocks[0].encode()).digest()).decode()
    return out


def policy_hashes(html: str) -> dict[str, str]:
    """The hashes the page's CSP meta tag currently names."""
    out = {}
    for kind, pattern in _POLICY.items():
        m = pattern.search(html)
        assert m, f"the CSP names no {kind}-src hash"
        out[kind] = m.group(1)
    return out


def update(path: Path = PAGE) -> bool:
    """Rewrite the CSP hashes in place; True when anything changed."""
    html = path.read_text(encoding="utf-8")
    new = html
    for kind, digest in block_hashes(html).items():
        new = _POLICY[kind].sub(f"{kind}-src 'sha256-{digest}'", new, count=1)
    if new != html:
        path.write_text(new, encoding="utf-8")
    return new != html


if __name__ == "__main__":
    print("updated" if update() else "already current")
