"""``python -m service serve`` starts the server; ``python -m service analyze PATH...`` runs the
engines over files without one."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from service.config import SettingsError, load_settings


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m service`` and the ``newsroom-analyzer`` console script."""
    parser = argparse.ArgumentParser(prog="newsroom-analyzer", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_serve = sub.add_parser("serve", help="start the HTTP service (settings from ANALYZER_* variables)")
    p_serve.add_argument("--host", help="override ANALYZER_HOST")
    p_serve.add_argument("--port", type=int, help="override ANALYZER_PORT")
    from service.cli import add_analyze_parser

    add_analyze_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "serve":
        overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
        try:
            settings = load_settings(**overrides)
        except SettingsError as e:
            print(f"newsroom-analyzer: {e}", file=sys.stderr)
            return 2
        from service.server import serve

        serve(settings)
        return 0
    from service.cli import run_analyze

    return run_analyze(args)


if __name__ == "__main__":
    sys.exit(main())
