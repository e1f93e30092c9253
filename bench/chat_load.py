"""The chat benchmark's load generator, a process of its own (`python -m bench.chat_load CONFIG OUT`).

It pins itself to one CPU (the runner keeps the daphne workers off it), opens two sockets per conversation
(the buyer's on one worker, the staff member's on the other), then, for each step rate, has the buyers send
at that steady total rate for a fixed time and records, at the staff member's socket, when each message
arrives. Latency is from the moment the frame was written to the moment the other side read it; both ends
are in this process, so one clock. Results go to OUT as JSON.
"""

import asyncio
import json
import os
import sys
import time
from collections import Counter

from websockets.asyncio.client import connect

CONNECT_AT_ONCE = 50
DRAIN_SECONDS = 15
WARMUP_SECONDS = 2.0
HOPELESS_P99 = 2.0  # seconds: stop stepping up once a step is this far behind


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Step:
    def __init__(self, rate: int):
        self.rate = rate
        self.sent_at: dict[str, float] = {}
        self.latencies: list[float] = []
        self.arrived: Counter = Counter()
        self.acked = 0
        self.errors: Counter = Counter()


class Load:
    def __init__(self, config: dict):
        self.config = config
        self.step: Step | None = None
        self.buyers = []
        self.staff = []
        self.readers = []
        self.closed = Counter()

    def url(self, port: int, conversation: int) -> str:
        if self.config["mode"] == "bare":
            return f"ws://127.0.0.1:{port}/ws/bench/?conversation={conversation}"
        return f"ws://127.0.0.1:{port}/ws/chat/"

    async def open(self, port: int, conversation: int, cookie: str, limit: asyncio.Semaphore):
        async with limit:
            ws = await connect(
                self.url(port, conversation),
                origin=f"http://127.0.0.1:{port}",
                additional_headers={"Cookie": f"{self.config['cookie_name']}={cookie}"} if cookie else None,
                open_timeout=60,
                ping_interval=None,
                max_size=None,
            )
            first = json.loads(await asyncio.wait_for(ws.recv(), 60))
            if first.get("type") != "ready":
                raise RuntimeError(f"expected ready, got {first}")
            return ws

    async def read(self, ws, staff: bool):
        try:
            async for raw in ws:
                frame = json.loads(raw)
                kind = frame.get("type")
                step = self.step
                if step is None:
                    continue
                if kind == "message" and staff:
                    client_id = frame["message"]["client_id"]
                    sent = step.sent_at.get(client_id)
                    if sent is not None:
                        step.arrived[client_id] += 1
                        if step.arrived[client_id] == 1:
                            step.latencies.append(time.perf_counter() - sent)
                elif kind == "ack":
                    step.acked += 1
                elif kind == "error":
                    step.errors[frame.get("code")] += 1
        except Exception as error:  # noqa: BLE001 - counted; a closed socket shows as lost messages
            self.closed[type(error).__name__] += 1
        else:
            self.closed[f"closed {ws.close_code}"] += 1

    async def connect_all(self):
        ports = self.config["ports"]
        limit = asyncio.Semaphore(CONNECT_AT_ONCE)
        tasks = []
        for n, pair in enumerate(self.config["conversations"]):
            tasks.append(self.open(ports[n % 2], pair["id"], pair.get("buyer_cookie", ""), limit))
            tasks.append(self.open(ports[(n + 1) % 2], pair["id"], pair.get("staff_cookie", ""), limit))
        sockets = await asyncio.gather(*tasks)
        self.buyers = sockets[0::2]
        self.staff = sockets[1::2]
        for ws in self.buyers:
            self.readers.append(asyncio.create_task(self.read(ws, staff=False)))
        for ws in self.staff:
            self.readers.append(asyncio.create_task(self.read(ws, staff=True)))

    async def run_step(self, rate: int, seconds: float, prefix: str = "r") -> dict:
        step = self.step = Step(rate)
        conversations = self.config["conversations"]
        total = int(rate * seconds)
        started = time.perf_counter()
        for k in range(total):
            due = started + k / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            n = k % len(conversations)
            client_id = f"{prefix}{rate}-{k}"  # unique per step: a repeated id is answered, not sent again
            frame = json.dumps(
                {
                    "type": "send",
                    "conversation": conversations[n]["id"],
                    "client_id": client_id,
                    "body": f"Benchmark message {k} at {rate}/s",
                }
            )
            step.sent_at[client_id] = time.perf_counter()
            try:
                await self.buyers[n].send(frame)
            except Exception:  # noqa: BLE001 - a closed socket: the message counts as lost
                step.errors["send failed"] += 1
        send_seconds = time.perf_counter() - started
        deadline = time.perf_counter() + DRAIN_SECONDS
        while len(step.arrived) < total and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # late duplicates, if any
        self.step = None
        return {
            "rate": rate,
            "seconds": seconds,
            "achieved_rate": total / send_seconds if send_seconds else 0,
            "sent": total,
            "acked": step.acked,
            "delivered": len(step.arrived),
            "duplicates": sum(count - 1 for count in step.arrived.values()),
            "p50_ms": percentile(step.latencies, 0.50) * 1000,
            "p99_ms": percentile(step.latencies, 0.99) * 1000,
            "max_ms": max(step.latencies, default=0) * 1000,
            "errors": dict(step.errors),
        }

    async def main(self) -> dict:
        pids = self.config["pids"]
        rss_before = rss_bytes(pids)
        connect_started = time.perf_counter()
        await self.connect_all()
        connect_seconds = time.perf_counter() - connect_started
        await asyncio.sleep(1)
        rss_after = rss_bytes(pids)
        sockets = len(self.buyers) + len(self.staff)
        # Untimed: the workers' first messages (connections, caches, code paths) at the lowest rate. Counted
        # in the totals (its messages are stored too), left out of the steps' table and the rate held.
        warmup = await self.run_step(self.config["rates"][0], WARMUP_SECONDS, prefix="w")
        warmup["warmup"] = True
        steps = [warmup]
        await asyncio.sleep(self.config["pause"])
        for rate in self.config["rates"]:
            result = await self.run_step(rate, self.config["seconds"])
            steps.append(result)
            print(
                f"[chat {self.config['mode']}] {rate}/s: delivered {result['delivered']}/{result['sent']}, "
                f"p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, errors {result['errors']}",
                flush=True,
            )
            if result["p99_ms"] / 1000 > HOPELESS_P99 or result["delivered"] < result["sent"] * 0.5:
                break
            await asyncio.sleep(self.config["pause"])
        for ws in self.buyers + self.staff:
            await ws.close()
        for reader in self.readers:
            reader.cancel()
        return {
            "mode": self.config["mode"],
            "sockets": sockets,
            "connect_seconds": connect_seconds,
            "rss_before": rss_before,
            "rss_after": rss_after,
            "rss_end": rss_bytes(pids),
            "steps": steps,
            "closed": dict(self.closed),
            "cpu": sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        }


def main(argv: list[str]) -> int:
    config = json.loads(open(argv[0]).read())
    if config.get("cpu") is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {config["cpu"]})
    result = asyncio.run(Load(config).main())
    with open(argv[1], "w") as out:
        json.dump(result, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
