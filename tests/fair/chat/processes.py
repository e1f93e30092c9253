"""Real processes for the chat tests: daphne workers on loopback, a redis-server of the test's own, and a
WebSocket client that behaves like static/js/chat.js (reconnects, resyncs from its last id, resends what was
not acknowledged, fetches what a heartbeat says it missed).

Used by tests/fair/chat/test_processes.py; nothing here runs on import.
"""

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import websockets
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[3]
FRAME_CAP = 65536
LOG_LINE = re.compile(r"^(?P<time>\d{9,}\.\d+) (?P<level>[A-Z]+) (?P<text>.*)$")
DATABASE_KEYS = ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")


def database_json(settings_dict: dict) -> str:
    """The test process's database connection settings, for the daphne processes to use the same database."""
    return json.dumps({key: settings_dict[key] for key in DATABASE_KEYS if key in settings_dict})


def listening_socket() -> socket.socket:
    """A socket bound to a free loopback port and listening, to hand to daphne with --fd (no port race)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Daphne:
    """One daphne worker with the frame cap production uses, on its own loopback port."""

    def __init__(self, *, env: dict[str, str], log_path: Path, application: str = "cms.asgi:application"):
        self.env = env
        self.log_path = log_path
        self.application = application
        self.process: subprocess.Popen | None = None
        self.port = 0

    def start(self) -> "Daphne":
        sock = listening_socket()
        self.port = sock.getsockname()[1]
        fd = sock.fileno()
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "daphne",
                    "-v",
                    "1",
                    "--fd",
                    str(fd),
                    "--websocket-max-message-size",
                    str(FRAME_CAP),
                    self.application,
                ],
                env=self.env,
                cwd=ROOT,
                pass_fds=(fd,),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        # Only daphne holds the listening socket now: once it dies, connecting is refused at once.
        sock.close()
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.port}/healthz"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"daphne exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"daphne did not answer on {url} within {timeout} s:\n{self.log_tail()}")

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def log_records(self) -> list[tuple[float, str, str]]:
        """(time, level, first line) of each record the worker logged (process_settings' timed format)."""
        records = []
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return records
        for line in text.splitlines():
            match = LOG_LINE.match(line)
            if match:
                records.append((float(match["time"]), match["level"], match["text"]))
        return records

    def kill(self) -> None:
        """kill -9, as a crashed or OOM-killed worker goes."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()


def start_workers(count: int, **kwargs) -> list[Daphne]:
    """Start `count` workers side by side (they import Django in parallel), and wait until all answer."""
    workers = [
        Daphne(**{**kwargs, "log_path": Path(f"{kwargs['log_path']}.{n}")}).start() for n in range(count)
    ]
    try:
        for worker in workers:
            worker.wait_ready()
    except Exception:
        for worker in workers:
            worker.stop()
        raise
    return workers


class RedisServer:
    """A redis-server of the test's own on a spare loopback port, nothing saved to disk."""

    def __init__(self, workdir: Path):
        self.binary = shutil.which("redis-server")
        self.workdir = workdir
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 15) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None


class ChatClient:
    """One browser tab: a socket carrying the person's conversations, driven the way chat.js drives it.

    - It keeps, per conversation, the id up to which it has *everything*: moved only by "messages" replies
      (complete ranges), never by a live message or an ack, which can arrive across a gap whose broadcast
      was lost (a Redis outage, a killed worker). Live messages and acks are shown at once all the same.
    - After every (re)connect it syncs each conversation from that id, and resends every message not yet
      acknowledged, under the same client_id.
    - A heartbeat whose latest id is above that id makes it sync the conversation.
    - A dropped socket is reconnected after a short pause, trying the given ports in turn (a worker that is
      gone refuses the connection, so the next port is tried).
    - Messages are kept by id (one that arrives live and in a sync reply is shown once, as chat.js does);
      `live` counts the "message" frames per id, for tests that expect each exactly once.
    """

    def __init__(self, *, name: str, ports: list[int], cookie: str, conversations: list[int]):
        from django.conf import settings

        self.name = name
        self.ports = list(ports)
        self.port_index = 0
        self.headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
        self.synced = dict.fromkeys(conversations, 0)
        self.messages: dict[int, dict] = {}
        self.live: Counter = Counter()
        self.pending: dict[str, tuple[int, str]] = {}
        self.acked: dict[str, int] = {}
        self.errors: list[dict] = []
        self.closes: list[int | None] = []
        self.connects = 0
        self.ready = asyncio.Event()
        self.ws = None
        self._task: asyncio.Task | None = None
        self._stopping = False

    # -- lifecycle --
    def start(self) -> "ChatClient":
        self._task = asyncio.create_task(self._run(), name=f"chat client {self.name}")
        return self

    async def stop(self) -> None:
        self._stopping = True
        if self.ws is not None:
            await self.ws.close()
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass

    async def _run(self) -> None:
        while not self._stopping:
            port = self.ports[self.port_index % len(self.ports)]
            try:
                async with connect(
                    f"ws://127.0.0.1:{port}/ws/chat/",
                    origin=f"http://127.0.0.1:{port}",
                    additional_headers=self.headers,
                    open_timeout=10,
                    max_size=None,
                    ping_interval=None,
                ) as ws:
                    self.ws = ws
                    self.connects += 1
                    async for raw in ws:
                        await self._handle(json.loads(raw))
                    self.closes.append(ws.close_code)
            except websockets.ConnectionClosed as closed:
                self.closes.append(closed.rcvd.code if closed.rcvd else None)
            except (TimeoutError, OSError, websockets.InvalidHandshake):
                # Refused (worker gone) or the handshake failed: try the next worker.
                self.port_index += 1
            finally:
                self.ws = None
                self.ready.clear()
            if not self._stopping:
                await asyncio.sleep(0.3)

    async def _send_frame(self, frame: dict) -> None:
        ws = self.ws
        if ws is None:
            return
        try:
            await ws.send(json.dumps(frame))
        except websockets.ConnectionClosed:
            pass  # the reader notices and reconnects; pending messages are resent then

    # -- what a page does --
    async def send(self, conversation: int, body: str) -> str:
        client_id = uuid.uuid4().hex
        self.pending[client_id] = (conversation, body)
        if self.ready.is_set():
            await self._send_frame(
                {"type": "send", "conversation": conversation, "client_id": client_id, "body": body}
            )
        return client_id

    async def sync(self, conversation: int) -> None:
        await self._send_frame(
            {"type": "sync", "conversation": conversation, "after": self.synced[conversation]}
        )

    # -- frames from the server --
    def _keep(self, message: dict) -> None:
        self.messages[message["id"]] = message

    async def _handle(self, frame: dict) -> None:
        kind = frame.get("type")
        if kind == "ready":
            self.ready.set()
            for conversation in self.synced:
                await self.sync(conversation)
            for client_id, (conversation, body) in list(self.pending.items()):
                await self._send_frame(
                    {"type": "send", "conversation": conversation, "client_id": client_id, "body": body}
                )
        elif kind == "ack":
            self.pending.pop(frame["client_id"], None)
            self.acked[frame["client_id"]] = frame["message"]["id"]
            self._keep(frame["message"])
        elif kind == "message":
            self.live[frame["message"]["id"]] += 1
            self._keep(frame["message"])
        elif kind == "messages":
            for message in frame["messages"]:
                self._keep(message)
            conversation = frame["conversation"]
            if frame["messages"] and conversation in self.synced:
                self.synced[conversation] = max(self.synced[conversation], frame["messages"][-1]["id"])
            if frame.get("more"):
                await self.sync(frame["conversation"])
        elif kind == "heartbeat":
            for conversation, latest in (frame.get("latest") or {}).items():
                conversation = int(conversation)
                if conversation in self.synced and latest > self.synced[conversation]:
                    await self.sync(conversation)
        elif kind == "error":
            self.errors.append(frame)
            if frame.get("code") == "rate_limited" and frame.get("client_id") in self.pending:
                asyncio.get_running_loop().call_later(
                    float(frame.get("retry_after") or 1), self._resend_soon, frame["client_id"]
                )

    def _resend_soon(self, client_id: str) -> None:
        if client_id in self.pending and self.ready.is_set():
            conversation, body = self.pending[client_id]
            asyncio.create_task(
                self._send_frame(
                    {"type": "send", "conversation": conversation, "client_id": client_id, "body": body}
                )
            )

    def received_ids(self, conversation: int) -> set[int]:
        return {m["id"] for m in self.messages.values() if m["conversation"] == conversation}


async def wait_for(predicate, *, timeout: float, interval: float = 0.05, what: str = "condition") -> None:
    """Wait until `predicate()` is true; generous timeouts, never an assertion about speed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        await asyncio.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what() if callable(what) else what}")
