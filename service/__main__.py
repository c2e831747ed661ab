"""newsroom-analyzer serve starts the HTTP service; newsroom-analyzer analyze PATH... runs the
engines over files without one; newsroom-analyzer verify PATH... checks summaries against their
articles. Settings come from ANALYZER_* environment variables."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from service import __version__
from service.config import SettingsError, load_settings


class Parser(argparse.ArgumentParser):
    """argparse with usage errors in one line (status 2), pointing at --help instead of the usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> Parser:
    """The whole command line: ``serve`` and ``analyze``."""
    parser = Parser(prog="newsroom-analyzer", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p_serve = sub.add_parser("serve", help="start the HTTP service (settings from ANALYZER_* variables)")
    p_serve.add_argument("--host", help="override ANALYZER_HOST")
    p_serve.add_argument("--port", type=int, help="override ANALYZER_PORT (and $PORT)")
    from service.cli import add_analyze_parser
    from service.cli_verify import add_verify_parser

    add_analyze_parser(sub)
    add_verify_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m service`` and the ``newsroom-analyzer`` console script."""
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
        try:
            settings = load_settings(**overrides)
        except SettingsError as e:
            print(f"newsroom-analyzer serve: error: {e}", file=sys.stderr)
            return 2
        from service.server import serve

        serve(settings)
        return 0
    if args.command == "verify":
        from service.cli_verify import run_verify

        return run_verify(args)
    from service.cli import run_analyze

    return run_analyze(args)


if __name__ == "__main__":
    sys.exit(main())
