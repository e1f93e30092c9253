"""`manage.py run_site` (the last step of `make run`) brings the whole site up and takes it all down again."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

START_TIMEOUT = 90
STOP_TIMEOUT = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def children_of(pid: int) -> dict[int, str]:
    """Every live descendant of a process: pid -> command line."""
    parents: dict[int, int] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        # The command name in brackets may hold spaces: the fields after it are fixed.
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] == "Z":
            continue
        parents[int(entry.name)] = int(fields[1])
        commands[int(entry.name)] = command
    found: dict[int, str] = {}
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for child, its_parent in parents.items():
            if its_parent == parent and child not in found:
                found[child] = commands[child]
                frontier.append(child)
    return found


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2 :].split()[0] != "Z"


@pytest.fixture(scope="module")
def site_env(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("run_site")
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs Linux /proc to follow the child processes")
    unset = {"DATABASE_URL", "REDIS_URL", "FERIA_SITE_URL"}
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        FERIA_SQLITE_PATH=str(tmp_path / "site.sqlite3"),
        FERIA_MEDIA_ROOT=str(tmp_path / "media"),
        PYTHONUNBUFFERED="1",
    )
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert migrate.returncode == 0, migrate.stderr
    return env


def test_run_site_serves_runs_worker_and_periodic_and_stops_everything_on_ctrl_c(site_env, tmp_path):
    port = free_port()
    log = open(tmp_path / "run_site.log", "w+")
    site = subprocess.Popen(
        [sys.executable, "manage.py", "run_site", "--port", str(port)],
        env=site_env,
        cwd=settings.BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    descendants: dict[int, str] = {}
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT
        status = None
        while time.monotonic() < deadline and site.poll() is None:
            try:
                status, body, _ = get(f"{base}/healthz")
            except OSError:
                status = None
            if status == 200:
                break
            time.sleep(0.5)
        log.seek(0)
        assert status == 200, log.read()
        assert b'"ok"' in body

        status, css, headers = get(f"{base}/static/css/feria.css")
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        assert css == (Path(settings.BASE_DIR) / "static" / "css" / "feria.css").read_bytes()

        status, home, headers = get(f"{base}/en/")
        assert status == 200
        assert headers["Content-Security-Policy"].startswith("default-src 'self'")

        descendants = children_of(site.pid)
        commands = list(descendants.values())
        assert any("daphne" in command and f"-p {port}" in command for command in commands), commands
        assert any("db_worker" in command for command in commands), commands
        assert any("run_periodic" in command for command in commands), commands
        # Each child links its e-mails to where this site answers (the host and port given), not port 8000.
        for pid in descendants:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            assert f"FERIA_SITE_URL=http://127.0.0.1:{port}".encode() in environ
        # Nothing is left over from the previous check: the same three, still up a moment later.
        time.sleep(1)
        assert all(is_running(pid) for pid in descendants)

        site.send_signal(signal.SIGINT)
        site.wait(timeout=STOP_TIMEOUT)
        deadline = time.monotonic() + STOP_TIMEOUT
        while time.monotonic() < deadline and any(is_running(pid) for pid in descendants):
            time.sleep(0.2)
        still_running = {pid: command for pid, command in descendants.items() if is_running(pid)}
        assert still_running == {}
        assert site.returncode == 0
        log.seek(0)
        output = log.read()
        assert "Traceback" not in output, output
    finally:
        # Whatever happened above, leave nothing of ours running.
        if site.poll() is None:
            os.killpg(site.pid, signal.SIGKILL)
            site.wait()
        for pid in descendants:
            if is_running(pid):
                os.kill(pid, signal.SIGKILL)
        log.close()


def test_run_site_stops_everything_when_one_process_dies(site_env, tmp_path):
    port = free_port()
    site = subprocess.Popen(
        [sys.executable, "manage.py", "run_site", "--port", str(port)],
        env=site_env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    descendants: dict[int, str] = {}
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and len(descendants) < 3:
            descendants = children_of(site.pid)
            time.sleep(0.3)
        worker = next(pid for pid, command in descendants.items() if "db_worker" in command)
        os.kill(worker, signal.SIGKILL)
        output, _ = site.communicate(timeout=STOP_TIMEOUT + 10)
        assert site.returncode != 0
        assert "worker exited" in output
        assert not any(is_running(pid) for pid in descendants)
    finally:
        if site.poll() is None:
            os.killpg(site.pid, signal.SIGKILL)
            site.wait()
        for pid in descendants:
            if is_running(pid):
                os.kill(pid, signal.SIGKILL)
