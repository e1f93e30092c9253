"""Start the site for the benchmark: several daphne workers sharing one listening socket on loopback."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


class Site:
    """`workers` daphne processes accepting on the same socket (the kernel spreads the connections)."""

    def __init__(self, *, env: dict[str, str], workers: int, log_path: Path, cwd: Path):
        self.env = env
        self.workers = workers
        self.log_path = log_path
        self.cwd = cwd
        self.processes: list[subprocess.Popen] = []
        self.sock: socket.socket | None = None
        self.port = 0

    def __enter__(self) -> "Site":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1024)
        self.sock.set_inheritable(True)
        self.port = self.sock.getsockname()[1]
        fd = self.sock.fileno()
        with open(self.log_path, "ab") as log:
            for _ in range(self.workers):
                self.processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "daphne", "-v", "0", "--fd", str(fd), "cms.asgi:application"],
                        env=self.env,
                        cwd=self.cwd,
                        pass_fds=(fd,),
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.port}/healthz"
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(
                        f"a daphne worker exited with {process.returncode}; see {self.log_path}"
                    )
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        # Every worker imports Django lazily on its first request: give them all one.
                        for _ in range(self.workers * 4):
                            urllib.request.urlopen(url, timeout=10).read()
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the site did not answer on {url} within {timeout} s; see {self.log_path}")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        self.processes = []
        if self.sock is not None:
            self.sock.close()
            self.sock = None
