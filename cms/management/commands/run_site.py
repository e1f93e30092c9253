"""Start everything the site needs, in one terminal: the ASGI server, the task worker, the periodic jobs.

Ctrl-C (or SIGTERM) stops all of them. If one dies, the others are stopped too, so nothing runs half-up.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


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

    def handle(self, *args, host, port, **options):
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
                "--proxy-headers",
                "cms.asgi:application",
            ],
            # No autoreloader: on SIGTERM it kills the real worker outright, cutting a running task off;
            # without it the worker finishes the task in hand and stops.
            "worker": [python, manage, "db_worker", "--queue-name", "default", "--no-reload"],
            "periodic": [python, manage, "run_periodic"],
        }
        # Links in e-mails (sent by the web server and the worker alike) point where this site answers,
        # unless the environment already names the public address (production, behind a proxy).
        env = {**os.environ, "FERIA_SITE_URL": os.environ.get("FERIA_SITE_URL") or site_origin(host, port)}
        processes: dict[str, subprocess.Popen] = {}
        for name, command in commands.items():
            # Their own process group: Ctrl-C in the terminal reaches only this command, which then asks each
            # child once, with SIGTERM, to finish what it is doing and stop.
            processes[name] = subprocess.Popen(command, cwd=settings.BASE_DIR, process_group=0, env=env)
        self.stdout.write(f"Feria is serving on http://{host}:{port}/ (Ctrl-C stops everything)")

        stopping = False
        failed: list[str] = []

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(f"{name} exited with {process.returncode}; stopping.")
                        failed.append(name)
                        stopping = True
                time.sleep(0.5)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 10
            for process in processes.values():
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if failed:
            raise CommandError(f"{', '.join(failed)} stopped unexpectedly.")
        self.stdout.write("Stopped.")
