"""A small HTTP/1.1 load generator on asyncio streams: N keep-alive connections, each sending the next request
as soon as the previous answer is read, for a fixed time (and never more than a fixed number of requests).

Standard library only. One process is enough: the servers, not the generator, are what saturates first, and
the plain view's figure shows the ceiling of the whole set-up (generator included).
"""

import asyncio
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    path: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    body_bytes: int = 0
    statuses: Counter = field(default_factory=Counter)

    def add(self, other: "LoadResult") -> None:
        """Fold another slice of the same page's load into this one."""
        self.requests += other.requests
        self.errors += other.errors
        self.seconds += other.seconds
        self.latencies += other.latencies
        self.body_bytes += other.body_bytes
        self.statuses.update(other.statuses)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]

    @property
    def p50_ms(self) -> float:
        return self.percentile(0.50) * 1000

    @property
    def p95_ms(self) -> float:
        return self.percentile(0.95) * 1000

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.latencies) * 1000 if self.latencies else 0.0


class HTTPError(Exception):
    pass


def request_bytes(host: str, port: int, path: str, method: str = "GET", headers: dict | None = None) -> bytes:
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {host}:{port}",
        "User-Agent: feria-bench",
        "Accept: text/html,*/*",
        "Accept-Language: en",
        "Connection: keep-alive",
    ]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise HTTPError(f"bad status line {status_line!r}")
    headers: dict[str, str] = {}
    for line in header_lines:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        body = b"".join(chunks)
    else:
        body = await reader.read()
        headers["connection"] = "close"
    return int(parts[1]), headers, body


async def _client(
    host: str, port: int, payload: bytes, deadline: float, budget: list[int], result: LoadResult
) -> None:
    reader = writer = None
    try:
        while time.perf_counter() < deadline and budget[0] > 0:
            budget[0] -= 1
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            started = time.perf_counter()
            try:
                writer.write(payload)
                await writer.drain()
                status, headers, body = await read_response(reader)
            except (OSError, asyncio.IncompleteReadError, HTTPError):
                result.errors += 1
                result.statuses["connection error"] += 1
                writer.close()
                reader = writer = None
                continue
            result.latencies.append(time.perf_counter() - started)
            result.requests += 1
            result.body_bytes += len(body)
            result.statuses[status] += 1
            if status != 200:
                result.errors += 1
            if headers.get("connection", "").lower() == "close":
                writer.close()
                reader = writer = None
    finally:
        if writer is not None:
            writer.close()


async def _run(
    host: str, port: int, path: str, concurrency: int, seconds: float, max_requests: int, headers: dict | None
):
    result = LoadResult(path=path)
    payload = request_bytes(host, port, path, headers=headers)
    budget = [max_requests]
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(_client(host, port, payload, deadline, budget, result) for _ in range(concurrency))
    )
    result.seconds = time.perf_counter() - started
    return result


def run_load(
    *,
    host: str,
    port: int,
    path: str,
    concurrency: int,
    seconds: float,
    max_requests: int,
    headers: dict | None = None,
) -> LoadResult:
    """Load one URL with `concurrency` keep-alive clients for `seconds` (at most `max_requests`), each
    request sending `headers` (a session cookie, say)."""
    return asyncio.run(_run(host, port, path, concurrency, seconds, max_requests, headers))
