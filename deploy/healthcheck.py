"""Container HEALTHCHECK: exit 0 when the service answers 200 on its readiness endpoint.

Standard library only, so the runtime image needs no curl or wget. It reads the same ANALYZER_*
variables as the service, so it follows a changed port, and it sends the bearer token when
ANALYZER_AUTH_OPS puts the health endpoints behind it.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    host = os.environ.get("ANALYZER_HOST", "127.0.0.1").strip() or "127.0.0.1"
    # A wildcard bind is reachable on loopback; a specific address has to be dialled as given.
    if host in {"0.0.0.0", "::", "[::]"}:  # noqa: S104 - mapping a bind address, not binding
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    port = os.environ.get("ANALYZER_PORT", "8000").strip() or "8000"
    path = sys.argv[1] if len(sys.argv) > 1 else "/health/ready"
    request = urllib.request.Request(f"http://{host}:{port}{path}")
    token = os.environ.get("ANALYZER_API_TOKEN", "").strip()
    if token and os.environ.get("ANALYZER_AUTH_OPS", "").strip().lower() in {"1", "true", "yes", "on"}:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=2.5) as response:  # noqa: S310 - http to our own port
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"healthcheck: {path} not healthy: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
