"""Start everything the site needs, in one terminal: the ASGI server, the task worker, the periodic jobs.

Ctrl-C (or SIGTERM) stops all of them. A task worker or periodic runner that dies is started again, up to
--max-restarts times in RESTART_WINDOW seconds, each time with a line saying so; the web server keeps serving
meanwhile. If the web server dies, or a process keeps dying, everything is stopped, so nothing runs half-up.
If this command itself is killed outright, each child ends too (cms/child_guard.py).
"""

import os
import signal
import subprocess
import sys
import time
from collections import deque

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# Processes that hold no connection of their own and can be started again without anyone noticing.
RESTARTABLE = {"worker", "periodic"}
MAX_RESTARTS = 5  # the default of --max-restarts
RESTART_WINDOW = 600
# The pause before a restart grows with each recent one: 1, 2, 4, 8, 16 s.
RESTART_DELAY = 1.0


def site_origin(host: str, port: str | int) -> str:
    """The http:// origin a browser on this machine reaches the server at (a wildcard address becomes
    the loopback one)."""
    if host in {"0.0.0.0", ""}:
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


class Command(BaseCommand):
    help = "Run daphne (HTTP + WebSocket), the background task worker and the periodic jobs together."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("FERIA_HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("FERIA_PORT", "8000"))
        parser.add_argument(
            "--max-restarts",
            type=int,
            default=MAX_RESTARTS,
            help=f"How often the worker or periodic runner may be started again in {RESTART_WINDOW // 60} "
            "minutes before everything is stopped.",
        )

    def handle(self, *args, host, port, max_restarts, **options):
        python = sys.executable
        manage = str(settings.BASE_DIR / "manage.py")
        commands = {
            "web": [
                python,
                "-m",
                "daphne",
                "-b",
                host,
                "-p",
                str(port),
                "--websocket-max-message-size",
                "65536",
                # No --proxy-headers: daphne would believe X-Forwarded-For from anyone. The application
                # believes it from FERIA_TRUSTED_PROXIES only (cms/proxy.py).
                "cms.asgi:application",
            ],
            # No autoreloader: on SIGTERM it kills the real worker outright, cutting a running task off;
            # without it the worker finishes the task in hand and stops.
            "worker": [python, manage, "db_worker", "--queue-name", "default", "--no-reload"],
            "periodic": [python, manage, "run_periodic"],
        }
        guard = [python, "-m", "cms.child_guard", str(os.getpid())]
        if not sys.platform.startswith("linux"):
            guard.append("--watch")

        # Links in e-mails (sent by the web server and the worker alike) point where this site answers,
        # unless the environment already names the public address (production, behind a proxy).
        env = {**os.environ, "FERIA_SITE_URL": os.environ.get("FERIA_SITE_URL") or site_origin(host, port)}

        def start(name: str) -> subprocess.Popen:
            # Their own process group: Ctrl-C in the terminal reaches only this command, which then asks each
            # child once, with SIGTERM, to finish what it is doing and stop. The guard ends the child if this
            # command dies without doing so.
            return subprocess.Popen(
                [*guard, "--", *commands[name]], cwd=settings.BASE_DIR, process_group=0, env=env
            )

        processes: dict[str, subprocess.Popen] = {name: start(name) for name in commands}
        self.stdout.write(f"Feria is serving on http://{host}:{port}/ (Ctrl-C stops everything)")

        stopping = False
        failed: list[str] = []
        recent_restarts: dict[str, deque] = {name: deque() for name in RESTARTABLE}
        restart_at: dict[str, float] = {}

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                now = time.monotonic()
                for name, process in processes.items():
                    if name in restart_at:
                        if now >= restart_at[name]:
                            del restart_at[name]
                            processes[name] = start(name)
                        continue
                    if process.poll() is None:
                        continue
                    if name not in RESTARTABLE:
                        self.stderr.write(f"{name} exited with {process.returncode}; stopping.")
                        failed.append(name)
                        stopping = True
                        break
                    restarts = recent_restarts[name]
                    while restarts and now - restarts[0] > RESTART_WINDOW:
                        restarts.popleft()
                    if len(restarts) >= max_restarts:
                        self.stderr.write(
                            f"{name} exited with {process.returncode} again, past the limit of "
                            f"{max_restarts} restarts in {RESTART_WINDOW // 60} minutes; stopping."
                        )
                        failed.append(name)
                        stopping = True
                        break
                    delay = RESTART_DELAY * 2 ** len(restarts)
                    restarts.append(now)
                    restart_at[name] = now + delay
                    self.stderr.write(
                        f"{name} exited with {process.returncode}; starting it again in {delay:g} s (restart "
                        f"{len(restarts)} of {max_restarts} allowed in {RESTART_WINDOW // 60} minutes)."
                    )
                time.sleep(0.5)
        finally:
            for name, process in processes.items():
                if name not in restart_at and process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 10
            for name, process in processes.items():
                if name in restart_at:
                    continue
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if failed:
            raise CommandError(f"{', '.join(failed)} stopped unexpectedly.")
        self.stdout.write("Stopped.")
