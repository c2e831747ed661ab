"""``make reliability``: run every reliability check, print a table, write out/reliability.json.

    python -m reliability.run [--quick] [--engines auto|real|fake] [--only NAME ...]

Full mode takes about 20 minutes (the soak alone is 10); ``--quick`` about 4. Exit status 1 when
any check fails; SKIP rows (e.g. no container image, real engines not importable) do not fail.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

from reliability import checks
from reliability.checks import Check, Context
from reliability.server import REPO


def _table(rows: list[Check]) -> str:
    w1 = max(len(r.name) for r in rows)
    w3 = max(len(r.figure) for r in rows)
    lines = [f"{'check':<{w1}}  result  {'figure':<{w3}}  seconds", "-" * (w1 + w3 + 19)]
    lines += [f"{r.name:<{w1}}  {r.result:<6}  {r.figure:<{w3}}  {r.seconds:>7.1f}" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the checks and report."""
    p = argparse.ArgumentParser(
        prog="reliability", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--quick", action="store_true", help="shorter load, soak and fuzzing (CI)")
    p.add_argument(
        "--engines",
        choices=("auto", "real", "fake"),
        default="auto",
        help="engines for load, soak and shutdown (auto: real when importable)",
    )
    p.add_argument("--only", nargs="*", help="run only checks whose function name contains one of these")
    p.add_argument("--out", default=str(REPO / "out"), help="folder for reliability.json and the server log")
    args = p.parse_args(argv)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    python = checks.python_of_repo()
    ctx = Context(out=out, python=python, engines="fake", quick=args.quick)
    ctx.log_path.unlink(missing_ok=True)
    why_not_real = checks._real_available(ctx)
    ctx.engines = args.engines if args.engines != "auto" else ("real" if why_not_real is None else "fake")
    print(
        f"engines: {ctx.engines}" + (f" (real not importable: {why_not_real})" if why_not_real else ""),
        flush=True,
    )

    plan = [
        checks.check_pins,
        checks.check_container,
        checks.check_bad_inputs,
        checks.check_fuzz,
        checks.check_pathological,
        checks.check_auth,
        checks.check_deadline,
        checks.check_model_faults,
        checks.check_load,
        checks.check_soak,
        checks.check_shutdown,
    ]
    if args.only:
        plan = [f for f in plan if any(o in f.__name__ for o in args.only)]
    rows: list[Check] = []
    started = time.monotonic()
    for fn in plan:
        print(f"… {fn.__name__.removeprefix('check_')}", flush=True)
        result = checks.run_with_server_guard(fn, ctx)
        new = list(result) if isinstance(result, tuple) else [result]
        rows.extend(new)
        for r in new:
            print(f"  {r.result} {r.name}: {r.figure}", flush=True)
        if fn is checks.check_pathological and ctx.engines == "real":
            slow = set(new[0].details.get("slow", {}))
            fast = [
                c
                for c in new[0].details.get("timings_s", {}).get("quotes", {})
                if not any(k.endswith(f"/ {c}") for k in slow)
            ]
            limit = 2 * max(new[0].details.get("limits_s", {}).values(), default=checks.PATHOLOGICAL_LIMIT_S)
            rows.append(checks.run_with_server_guard(checks.check_pathological_http, ctx, fast, limit))  # type: ignore[arg-type]
    # The scan runs last so that it covers every line every server wrote during the run.
    rows.append(checks.run_with_server_guard(checks.check_log_leak, ctx))  # type: ignore[arg-type]
    total = time.monotonic() - started

    print()
    print(_table(rows))
    failed = [r.name for r in rows if r.result == "FAIL"]
    print(
        f"\n{len(rows)} checks: {len(rows) - len(failed)} not failed, {len(failed)} failed "
        f"in {total / 60:.1f} min (engines={ctx.engines}, {'quick' if args.quick else 'full'})"
    )
    report = {
        "engines": ctx.engines,
        "mode": "quick" if args.quick else "full",
        "seconds": round(total, 1),
        "checks": [asdict(r) for r in rows],
    }
    (out / "reliability.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"wrote {out / 'reliability.json'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
