"""`manage.py run_site` (the last step of `make run`) brings the whole site up and takes it all down again."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

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


def start_site(env: dict, tmp_path: Path, *options: str) -> tuple[subprocess.Popen, int, Path]:
    """run_site on a free port, in a session of its own; returns (process, port, log path)."""
    port = free_port()
    log_path = tmp_path / f"run_site-{port}.log"
    site = subprocess.Popen(
        [sys.executable, "manage.py", "run_site", "--port", str(port), *options],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return site, port, log_path


def wait_until_serving(site: subprocess.Popen, port: int, log_path: Path) -> dict[int, str]:
    """Wait for /healthz and the three children; returns them (pid -> command line)."""
    deadline = time.monotonic() + START_TIMEOUT
    status = None
    descendants: dict[int, str] = {}
    while time.monotonic() < deadline and site.poll() is None:
        try:
            status, _, _ = get(f"http://127.0.0.1:{port}/healthz")
        except OSError:
            status = None
        descendants = children_of(site.pid)
        if status == 200 and len(descendants) >= 3:
            break
        time.sleep(0.5)
    assert status == 200, log_path.read_text()
    return descendants


def pid_of(descendants: dict[int, str], needle: str) -> int:
    return next(pid for pid, command in descendants.items() if needle in command)


def port_is_free(port: int) -> bool:
    """Whether a new server could listen on the port. SO_REUSEADDR as daphne (Twisted) sets it: connections
    of the old server in TIME_WAIT do not hold the port, a listening socket does."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def clean_up(site: subprocess.Popen, *pid_sets: dict[int, str]) -> None:
    """Whatever happened in a test, leave nothing of ours running."""
    if site.poll() is None:
        os.killpg(site.pid, signal.SIGKILL)
        site.wait()
    for pids in pid_sets:
        for pid in pids:
            if is_running(pid):
                os.kill(pid, signal.SIGKILL)


def test_run_site_starts_a_dead_worker_again_and_keeps_serving(site_env, tmp_path):
    site, port, log_path = start_site(site_env, tmp_path)
    first: dict[int, str] = {}
    later: dict[int, str] = {}
    try:
        first = wait_until_serving(site, port, log_path)
        worker = pid_of(first, "db_worker")

        os.kill(worker, signal.SIGKILL)
        deadline = time.monotonic() + START_TIMEOUT
        new_worker = None
        while time.monotonic() < deadline and new_worker is None:
            assert get(f"http://127.0.0.1:{port}/healthz")[0] == 200  # the web server never stops
            later = children_of(site.pid)
            new_worker = next(
                (pid for pid, command in later.items() if "db_worker" in command and pid != worker), None
            )
            time.sleep(0.3)

        assert new_worker is not None, log_path.read_text()
        assert site.poll() is None
        assert pid_of(later, "daphne") == pid_of(first, "daphne")
        assert pid_of(later, "run_periodic") == pid_of(first, "run_periodic")
        assert "worker exited with -9; starting it again in 1 s (restart 1 of 5" in log_path.read_text()

        site.send_signal(signal.SIGINT)
        assert site.wait(timeout=STOP_TIMEOUT) == 0
        assert not any(is_running(pid) for pid in later)
    finally:
        clean_up(site, first, later)


def test_run_site_stops_everything_when_the_worker_dies_past_the_restart_limit(site_env, tmp_path):
    site, port, log_path = start_site(site_env, tmp_path, "--max-restarts", "1")
    first: dict[int, str] = {}
    later: dict[int, str] = {}
    try:
        first = wait_until_serving(site, port, log_path)
        worker = pid_of(first, "db_worker")
        os.kill(worker, signal.SIGKILL)
        deadline = time.monotonic() + START_TIMEOUT
        new_worker = None
        while time.monotonic() < deadline and new_worker is None:
            later = children_of(site.pid)
            new_worker = next(
                (pid for pid, command in later.items() if "db_worker" in command and pid != worker), None
            )
            time.sleep(0.3)
        assert new_worker is not None, log_path.read_text()

        os.kill(new_worker, signal.SIGKILL)
        site.wait(timeout=STOP_TIMEOUT + 10)

        assert site.returncode != 0
        output = log_path.read_text()
        assert "worker exited with -9 again, past the limit of 1 restarts in 10 minutes; stopping." in output
        assert "worker stopped unexpectedly." in output
        assert not any(is_running(pid) for pid in {**first, **later})
    finally:
        clean_up(site, first, later)


def test_run_site_stops_everything_when_the_web_server_dies(site_env, tmp_path):
    site, port, log_path = start_site(site_env, tmp_path)
    descendants: dict[int, str] = {}
    try:
        descendants = wait_until_serving(site, port, log_path)

        os.kill(pid_of(descendants, "daphne"), signal.SIGKILL)
        site.wait(timeout=STOP_TIMEOUT + 10)

        assert site.returncode != 0
        assert "web exited" in log_path.read_text()
        deadline = time.monotonic() + STOP_TIMEOUT
        while time.monotonic() < deadline and any(is_running(pid) for pid in descendants):
            time.sleep(0.2)
        assert not any(is_running(pid) for pid in descendants)
    finally:
        clean_up(site, descendants)


def test_run_site_killed_outright_leaves_no_process_and_frees_the_port(site_env, tmp_path):
    site, port, log_path = start_site(site_env, tmp_path)
    descendants: dict[int, str] = {}
    try:
        descendants = wait_until_serving(site, port, log_path)
        assert not port_is_free(port)

        os.kill(site.pid, signal.SIGKILL)  # run_site alone: its children are in process groups of their own
        site.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and (
            any(is_running(pid) for pid in descendants) or not port_is_free(port)
        ):
            time.sleep(0.1)

        assert {pid: command for pid, command in descendants.items() if is_running(pid)} == {}
        assert port_is_free(port)
    finally:
        clean_up(site, descendants)


def test_run_site_believes_no_forwarded_address_without_trusted_proxies(site_env, tmp_path):
    """Rotating X-Forwarded-For straight at the server does not escape the per-address sign-in limit."""
    site, port, log_path = start_site(site_env, tmp_path)
    descendants: dict[int, str] = {}
    try:
        descendants = wait_until_serving(site, port, log_path)
        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = opener.open(f"{base}/en/accounts/login/", timeout=10).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

        statuses = []
        for n in range(12):
            request = urllib.request.Request(
                f"{base}/en/accounts/login/",
                data=urlencode(
                    {"csrfmiddlewaretoken": token, "login": "owner@feria.example", "password": n}
                ).encode(),
                headers={"X-Forwarded-For": f"198.51.100.{n}"},
            )
            try:
                statuses.append(opener.open(request, timeout=10).status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)

        limit = settings.AXES_FAILURE_LIMIT
        assert statuses == [200] * (limit - 1) + [429] * (13 - limit), log_path.read_text()
    finally:
        clean_up(site, descendants)


def test_child_guard_watch_stops_the_program_when_its_parent_is_killed(tmp_path):
    """Where Linux's parent-death signal is not offered, a watcher process does the same job."""
    ready = tmp_path / "program.pid"
    program_code = f"import os, time; open({str(ready)!r}, 'w').write(str(os.getpid())); time.sleep(120)"
    parent_script = tmp_path / "parent.py"
    parent_script.write_text(
        "import os, subprocess, sys, time\n"
        "guard = [sys.executable, '-m', 'cms.child_guard', str(os.getpid()), '--watch', '--']\n"
        f"subprocess.Popen([*guard, sys.executable, '-c', {program_code!r}], process_group=0)\n"
        "time.sleep(120)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, str(parent_script)], cwd=settings.BASE_DIR, start_new_session=True
    )
    program = None
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (ready.exists() and ready.read_text()):
            time.sleep(0.1)
        program = int(ready.read_text())
        assert is_running(program)

        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and is_running(program):
            time.sleep(0.1)

        assert not is_running(program)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if program and is_running(program):
            os.kill(program, signal.SIGKILL)
