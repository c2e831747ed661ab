"""A small HTTP/1.1 client on asyncio streams, one connection per request.

The load and shutdown checks need to know exactly how a request ended: refused before a connection
existed, answered completely, or cut off after the connection was accepted (with or without part of
a response). General-purpose clients fold these together and cost too much CPU per request on a
2-core machine shared with the server, so this one is deliberately minimal.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

#: How a request ended, from the client's side.
OK = "ok"  # a complete response (any status)
REFUSED = "refused"  # no connection: the server was not accepting
NO_RESPONSE = "no_response"  # connected and sent, then closed/reset before any response byte
PARTIAL = "partial"  # part of a response, then the connection was closed or reset
TIMEOUT = "timeout"  # no complete response within the client's timeout


@dataclass
class Result:
    """One request's outcome."""

    outcome: str
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    seconds: float = 0.0
    started: float = 0.0

    def json(self) -> Any:
        """The body decoded as JSON."""
        return json.loads(self.body)


async def request(  # noqa: PLR0917 - mirrors an HTTP request line
    host: str,
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30.0,
) -> Result:
    """Send one request on a fresh connection (``Connection: close``) and classify how it ended."""
    started = time.monotonic()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except (ConnectionRefusedError, TimeoutError, OSError):
        return Result(REFUSED, seconds=time.monotonic() - started, started=started)
    got_any = False
    try:
        hdrs = {"host": f"{host}:{port}", "connection": "close", **(headers or {})}
        if body is not None:
            hdrs.setdefault("content-type", "application/json")
            hdrs["content-length"] = str(len(body))
        # An empty value means "send no such header" (e.g. a body without a content type).
        hdrs = {k: v for k, v in hdrs.items() if v}
        head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hdrs.items())
        writer.write(head.encode("latin-1") + b"\r\n" + (body or b""))
        await writer.drain()

        async def read_all() -> Result:
            nonlocal got_any
            raw_head = await reader.readuntil(b"\r\n\r\n")
            got_any = True
            lines = raw_head.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            rh: dict[str, str] = {}
            for line in lines[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    rh[k.strip().lower()] = v.strip()
            if "content-length" in rh:
                data = await reader.readexactly(int(rh["content-length"]))
            elif rh.get("transfer-encoding", "").lower() == "chunked":
                chunks = []
                while True:
                    size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                    if size == 0:
                        await reader.readuntil(b"\r\n")
                        break
                    chunks.append(await reader.readexactly(size))
                    await reader.readexactly(2)
                data = b"".join(chunks)
            else:
                data = await reader.read()
            return Result(OK, status, rh, data, time.monotonic() - started, started)

        return await asyncio.wait_for(read_all(), max(0.001, timeout - (time.monotonic() - started)))
    except TimeoutError:
        return Result(TIMEOUT, seconds=time.monotonic() - started, started=started)
    except (
        asyncio.IncompleteReadError,
        ConnectionError,
        OSError,
        ValueError,
        IndexError,
        asyncio.LimitOverrunError,
    ):
        return Result(
            PARTIAL if got_any else NO_RESPONSE, seconds=time.monotonic() - started, started=started
        )
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError, OSError):
            await writer.wait_closed()


def post_json(
    host: str,
    port: int,
    path: str,
    payload: Any,
    *,
    headers: dict[str, str] | None = None,
    timeout: float = 30.0,
) -> Result:
    """Synchronous convenience: POST a JSON document."""
    body = json.dumps(payload).encode()
    return asyncio.run(request(host, port, "POST", path, body, headers, timeout))


def send(  # noqa: PLR0917 - as request()
    host: str,
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30.0,
) -> Result:
    """Synchronous convenience: one raw request."""
    return asyncio.run(request(host, port, method, path, body, headers, timeout))
