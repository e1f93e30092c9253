"""`make bench`'s chat benchmark (`python -m bench --only chat` runs it alone).

A fixed workload on loopback: 500 conversations, each with one buyer socket and one staff socket (1,000
sockets, the buyer's on one daphne worker and the staff member's on the other), 2 daphne workers with the
production settings and the 64 KiB frame cap, Redis as the channel layer (RedisPubSubChannelLayer) and cache,
every message saved in PostgreSQL by the real chat socket (/ws/chat/). Buyers send at a steady total rate,
stepped up (50, 100, 200, 300, 500, 800 messages/s, 5 s each); the load generator (bench/chat_load.py) runs
pinned to a CPU of its own and measures, at the staff member's socket, what arrived and how late. The same
steps then run against a bare group-send consumer (bench/chat_consumer.py: no session, no database) on fresh
workers, to show what the channel layer alone costs.

Needs DATABASE_URL (PostgreSQL: a temporary database is made beside it and dropped) and Redis (REDIS_URL,
or 127.0.0.1:6379). Without them the section says so and nothing is measured.
"""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CONVERSATIONS = 500
WORKERS = 2
RATES = (50, 100, 200, 300, 400, 500, 600, 800)
STEP_SECONDS = 5.0
P99_TARGET_MS = 100.0
DRAIN_SECONDS = 15  # bench/chat_load.py waits this long after a step for the last messages
TARGET_RATE = 300
FRAME_CAP = 65536
SECTION_HEADING = "## Chat sockets"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- seeding (in a subprocess with Django set up: `python -m bench.chat seed N OUT`) ---------------------


def seed(count: int, out_path: str) -> None:
    """`count` buyers, companies with one staff member each, their conversations, and a signed-in session
    for every person; writes [{id, buyer_cookie, staff_cookie}, ...] to out_path."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone

    from exhibitors.enums import MembershipRole
    from exhibitors.models import Company, Membership, User
    from fair.chat.models import Conversation

    with transaction.atomic():
        password = make_password(None)
        people = User.objects.bulk_create(
            [
                User(
                    email=f"{role}{n}@bench.example",
                    first_name=role.title(),
                    last_name=str(n),
                    password=password,
                )
                for n in range(count)
                for role in ("buyer", "staff")
            ]
        )
        buyers, staff = people[0::2], people[1::2]
        companies = Company.objects.bulk_create(
            [
                Company(legal_name=f"Bench Company {n}", slug=f"bench-company-{n}", country="PE")
                for n in range(count)
            ]
        )
        Membership.objects.bulk_create(
            [
                Membership(user=person, company=company, role=MembershipRole.OWNER)
                for person, company in zip(staff, companies, strict=True)
            ]
        )
        conversations = Conversation.objects.bulk_create(
            [
                Conversation(buyer=buyer, company=company)
                for buyer, company in zip(buyers, companies, strict=True)
            ]
        )
        store = SessionStore()
        expires = timezone.now() + timezone.timedelta(days=1)
        sessions = {}
        for person in people:
            key = secrets.token_hex(16)
            data = {
                SESSION_KEY: str(person.pk),
                # The backend that signs people in with a password (the first one, axes, only refuses).
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: person.get_session_auth_hash(),
            }
            sessions[person.pk] = Session(
                session_key=key, session_data=store.encode(data), expire_date=expires
            )
        Session.objects.bulk_create(sessions.values())
    pairs = [
        {
            "id": conversation.pk,
            "buyer_cookie": sessions[buyer.pk].session_key,
            "staff_cookie": sessions[person.pk].session_key,
        }
        for conversation, buyer, person in zip(conversations, buyers, staff, strict=True)
    ]
    Path(out_path).write_text(
        json.dumps({"cookie_name": settings.SESSION_COOKIE_NAME, "conversations": pairs})
    )


# --- processes ----------------------------------------------------------------------------------------------


class Workers:
    """WORKERS daphne processes, each on its own loopback port, kept off the load generator's CPU."""

    def __init__(self, *, env: dict[str, str], log_path: Path, cpus: set[int] | None, label: str = "chat"):
        self.label = label
        self.env = env
        self.log_path = log_path
        self.cpus = cpus
        self.processes: list[subprocess.Popen] = []
        self.ports: list[int] = []

    def __enter__(self) -> "Workers":
        cpus = self.cpus

        def pin():
            if cpus and hasattr(os, "sched_setaffinity"):
                os.sched_setaffinity(0, cpus)

        with open(self.log_path, "ab") as log_file:
            for _ in range(WORKERS):
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind(("127.0.0.1", 0))
                sock.listen(1024)
                sock.set_inheritable(True)
                self.ports.append(sock.getsockname()[1])
                fd = sock.fileno()
                profile = []
                if os.environ.get("FERIA_BENCH_PROFILE"):
                    # cProfile each worker (written when it stops) into that directory, for a profile summary.
                    out = (
                        Path(os.environ["FERIA_BENCH_PROFILE"]) / f"{self.label}-worker{len(self.ports)}.prof"
                    )
                    profile = ["-m", "cProfile", "-o", str(out)]
                self.processes.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            *profile,
                            "-m",
                            "daphne",
                            "-v",
                            "0",
                            "--fd",
                            str(fd),
                            "--websocket-max-message-size",
                            str(FRAME_CAP),
                            "bench.chat_consumer:application",
                        ],
                        env=self.env,
                        cwd=ROOT,
                        pass_fds=(fd,),
                        stdout=log_file,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                        preexec_fn=pin,
                    )
                )
                sock.close()
        deadline = time.monotonic() + 90
        for process, port in zip(self.processes, self.ports, strict=True):
            while True:
                if process.poll() is not None:
                    self.__exit__()
                    raise RuntimeError(
                        f"a daphne worker exited with {process.returncode}; see {self.log_path}"
                    )
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                        if response.status == 200:
                            break
                except OSError:
                    if time.monotonic() > deadline:
                        self.__exit__()
                        raise RuntimeError(f"daphne did not start; see {self.log_path}") from None
                    time.sleep(0.2)
        return self

    def __exit__(self, *exc) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)

    @property
    def pids(self) -> list[int]:
        return [process.pid for process in self.processes]


def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if url:
        return url
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return "redis://127.0.0.1:6379/0"
    except OSError:
        return ""


def cpu_layout() -> tuple[int | None, set[int] | None]:
    """(the load generator's CPU, the workers' CPUs or None for all). The generator gets the last CPU; the
    workers are kept off it only when that leaves them two or more (on a 2-CPU machine one CPU for both
    workers, PostgreSQL and Redis would measure the pinning, not the chat)."""
    if not hasattr(os, "sched_getaffinity"):
        return None, None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None, None
    return cpus[-1], set(cpus[:-1]) if len(cpus) >= 3 else None


def run(*, env: dict[str, str], logs: Path) -> dict:
    """Measure; returns what the report needs (or {"skipped": reason})."""
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        return {"skipped": "needs DATABASE_URL pointing at PostgreSQL (every message is saved there)"}
    redis = redis_url()
    if not redis:
        return {"skipped": "needs Redis (REDIS_URL, or a server on 127.0.0.1:6379)"}
    import psycopg

    started = time.monotonic()
    name = f"feria_bench_chat_{os.getpid()}"
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(database_url)._replace(path=f"/{name}"))
    log_path = logs / "chat.log"
    generator_cpu, server_cpus = cpu_layout()
    result: dict = {
        "conversations": CONVERSATIONS,
        "workers": WORKERS,
        "generator_cpu": generator_cpu,
        "server_cpus": sorted(server_cpus) if server_cpus else None,
        "cpus": os.cpu_count(),
    }
    try:
        with tempfile.TemporaryDirectory(prefix="feria-bench-chat-") as tmp_name:
            tmp = Path(tmp_name)
            chat_env = {
                **env,
                "DJANGO_SETTINGS_MODULE": "bench.settings",
                "DJANGO_SECRET_KEY": env.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(64),
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "FERIA_BENCH": "1",
                "FERIA_BENCH_STATIC_ROOT": env.get("FERIA_BENCH_STATIC_ROOT") or str(tmp / "static"),
                "FERIA_MEDIA_ROOT": str(tmp / "media"),
                "DATABASE_URL": url,
                "REDIS_URL": redis,
                "FERIA_BENCH_REDIS_PREFIX": f"feria-bench-{secrets.token_hex(6)}",
                "PYTHONUNBUFFERED": "1",
            }
            with open(log_path, "ab") as out:
                log(f"chat: migrating a PostgreSQL database of its own ({name})")
                subprocess.run(
                    [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
                    env=chat_env,
                    cwd=ROOT,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    check=True,
                )
                log(f"chat: {CONVERSATIONS} conversations, {2 * CONVERSATIONS} people with sessions")
                subprocess.run(
                    [sys.executable, "-m", "bench.chat", "seed", str(CONVERSATIONS), str(tmp / "seed.json")],
                    env=chat_env,
                    cwd=ROOT,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    check=True,
                )
            seeded = json.loads((tmp / "seed.json").read_text())
            # FERIA_BENCH_CHAT_MODES=chat measures the chat socket alone (while profiling it, say).
            for mode in os.environ.get("FERIA_BENCH_CHAT_MODES", "chat,bare").split(","):
                with Workers(env=chat_env, log_path=log_path, cpus=server_cpus, label=mode) as workers:
                    log(
                        f"chat: {mode} consumer, {WORKERS} daphne workers (CPUs {result['server_cpus']}), "
                        f"load generator on CPU {generator_cpu}"
                    )
                    config = {
                        "mode": mode,
                        "ports": workers.ports,
                        "pids": workers.pids,
                        "cookie_name": seeded["cookie_name"],
                        "conversations": seeded["conversations"]
                        if mode == "chat"
                        else [{"id": pair["id"]} for pair in seeded["conversations"]],
                        "rates": list(RATES),
                        "seconds": STEP_SECONDS,
                        "pause": 2.0,
                        "cpu": generator_cpu,
                    }
                    (tmp / f"{mode}.json").write_text(json.dumps(config))
                    subprocess.run(
                        [
                            sys.executable,
                            "-m",
                            "bench.chat_load",
                            str(tmp / f"{mode}.json"),
                            str(tmp / "out.json"),
                        ],
                        env=chat_env,
                        cwd=ROOT,
                        check=True,
                    )
                    result[mode] = json.loads((tmp / "out.json").read_text())
            with psycopg.connect(url) as connection:
                result["stored"] = connection.execute("SELECT count(*) FROM chat_message").fetchone()[0]
    finally:
        with psycopg.connect(database_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    result["seconds"] = time.monotonic() - started
    (logs / "chat.json").write_text(json.dumps(result, indent=1))
    return result


# --- report -------------------------------------------------------------------------------------------------


def held(steps: list[dict]) -> int:
    """The highest step rate up to which every step held: nothing lost and p99 within the target (0 if the
    first one did not). A step that fails stops the count, even if a faster one then held."""
    best = 0
    measured = sorted((step for step in steps if not step.get("warmup")), key=lambda step: step["rate"])
    for step in measured:
        if step["delivered"] != step["sent"] or step["p99_ms"] > P99_TARGET_MS:
            break
        best = step["rate"]
    return best


def section(result: dict) -> str:
    lines = [SECTION_HEADING, ""]
    if "skipped" in result:
        lines += [f"Not measured in this run: the chat benchmark {result['skipped']}.", ""]
        return "\n".join(lines)
    lines += [
        f"`python -m bench --only chat` (bench/chat.py), run "
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC on the machine above "
        f"({result['cpus']} logical CPUs), {result['seconds']:.0f} s.",
        "",
        f"- Workload: {result['conversations']} conversations, one buyer socket and one staff socket each "
        f"({2 * result['conversations']} sockets; each conversation's two sockets on different workers); "
        f"buyers send at a steady total rate, {STEP_SECONDS:.0f} s per step, after an untimed 2 s "
        "warm-up at the lowest rate (its messages are in the totals below).",
        f"- Server: {result['workers']} daphne workers (production settings, `--websocket-max-message-size "
        f"{FRAME_CAP}`), RedisPubSubChannelLayer and cache on the machine's Redis, every chat message saved "
        "in PostgreSQL before it is acknowledged and broadcast.",
        f"- Load generator: one asyncio process (websockets), pinned to CPU {result['generator_cpu']}; "
        + (
            f"the workers pinned to CPUs {result['server_cpus']}"
            if result["server_cpus"]
            else "the workers not pinned (two CPUs: they share the generator's)"
        )
        + "; PostgreSQL and Redis unpinned. Latency: from "
        "writing the buyer's frame to reading the message at the staff socket (one clock).",
        "- Bare consumer: bench/chat_consumer.py, the same steps on fresh workers: acknowledges and "
        "group-sends, no session, database or cache.",
        "",
        "| consumer | rate (msg/s) | achieved | delivered / sent | duplicates | p50 ms | p99 ms | max ms "
        "| errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    modes = [
        (m, label) for m, label in (("chat", "chat (/ws/chat/)"), ("bare", "bare group send")) if m in result
    ]
    for mode, label in modes:
        for step in (step for step in result[mode]["steps"] if not step.get("warmup")):
            errors = ", ".join(f"{code} {count}" for code, count in step["errors"].items()) or "–"
            lines.append(
                f"| {label} | {step['rate']} | {step['achieved_rate']:.0f} "
                f"| {step['delivered']} / {step['sent']} | {step['duplicates']} | {step['p50_ms']:.1f} "
                f"| {step['p99_ms']:.1f} | {step['max_ms']:.0f} | {errors} |"
            )
    lines += [
        "",
        "| consumer | highest rate held (nothing lost, p99 ≤ 100 ms, at it and every slower step) "
        "| RSS per socket "
        "| connecting 1,000 sockets |",
        "|---|---:|---:|---:|",
    ]
    for mode, label in modes:
        data = result[mode]
        per_socket = (data["rss_after"] - data["rss_before"]) / data["sockets"]
        rate = held(data["steps"])
        lines.append(
            f"| {label} | {f'{rate} msg/s' if rate else 'none of the steps'} | {per_socket / 1024:.1f} KiB "
            f"| {data['connect_seconds']:.1f} s |"
        )
    chat = result["chat"]
    acked = sum(step["acked"] for step in chat["steps"])
    sent = sum(step["sent"] for step in chat["steps"])
    delivered = sum(step["delivered"] for step in chat["steps"])
    lines += [
        "",
        f"RSS per socket: the workers' resident memory after connecting the sockets minus before, divided by "
        f"the sockets ({chat['rss_before'] / 2**20:.0f} → {chat['rss_after'] / 2**20:.0f} MiB for the chat "
        f"socket, {chat['rss_end'] / 2**20:.0f} MiB after the last step). Chat messages: {sent} sent, "
        f"{acked} acknowledged, {delivered} delivered, {result['stored']} rows in PostgreSQL.",
        "",
        "Targets:",
        "",
    ]
    at_target = next((step for step in chat["steps"] if step["rate"] == TARGET_RATE), None)
    lost = [step for step in chat["steps"] if step["delivered"] < step["sent"]]
    if lost:
        lines.append(
            "- Nothing lost: missed at "
            + ", ".join(
                f"{step['rate']}/s ({step['sent'] - step['delivered']} not delivered within "
                f"{DRAIN_SECONDS} s of the step's end: the workers had fallen behind)"
                for step in lost
            )
            + f"; every acknowledged message is in PostgreSQL ({result['stored']} rows)."
        )
    else:
        lines.append("- Nothing lost: met (every message sent was delivered, at every step).")
    if at_target is None:
        last = chat["steps"][-1]
        lines.append(
            f"- p99 ≤ {P99_TARGET_MS:.0f} ms at {TARGET_RATE} msg/s: missed; the steps stopped at "
            f"{last['rate']} msg/s, where p99 was already {last['p99_ms']:.0f} ms. The chat socket saves "
            "each message in a PostgreSQL transaction of several queries, run on each worker's database "
            "threads, and the bare consumer on the same workers and Redis stays far below it: "
            "the time goes into the per-message work of the chat socket, not the channel layer."
        )
    elif at_target["p99_ms"] <= P99_TARGET_MS and at_target["delivered"] == at_target["sent"]:
        lines.append(
            f"- p99 ≤ {P99_TARGET_MS:.0f} ms at {TARGET_RATE} msg/s: met ({at_target['p99_ms']:.1f} ms)."
        )
    else:
        lines.append(
            f"- p99 ≤ {P99_TARGET_MS:.0f} ms at {TARGET_RATE} msg/s: missed ({at_target['p99_ms']:.1f} ms). "
            "Each chat message is a PostgreSQL transaction and several queries run on the worker's "
            "database threads; compare the bare consumer's figures for what the channel layer alone costs."
        )
    if "bare" in result:
        chat_held, bare_held = held(chat["steps"]), held(result["bare"]["steps"])
        ratio = chat_held / bare_held if bare_held else 0
        lines.append(
            f"- Highest rate held ≥ {TARGET_RATE} msg/s and ≥ 0.5 × the bare consumer's in the same run: "
            + ("met" if chat_held >= TARGET_RATE and ratio >= 0.5 else "missed")
            + f" (chat {chat_held} msg/s, bare {bare_held} msg/s, {ratio:.2f} ×)."
        )
        lines.append(
            f"- Connecting {result['bare']['sockets']:,} sockets: chat {chat['connect_seconds']:.1f} s, "
            f"bare {result['bare']['connect_seconds']:.1f} s."
        )
    lines.append("")
    return "\n".join(lines)


def merge(output: Path, text: str) -> None:
    """Put the chat section at the end of the results page, replacing the previous one, keeping the rest."""
    previous = output.read_text(encoding="utf-8") if output.exists() else "# Benchmark results\n"
    head = previous.split(f"\n{SECTION_HEADING}\n", 1)[0].rstrip("\n")
    output.write_text(f"{head}\n\n{text}", encoding="utf-8")


def existing_section(output: Path) -> str:
    """The chat section of the results page as it is ("" if none), to keep when only the pages are run."""
    if not output.exists():
        return ""
    parts = output.read_text(encoding="utf-8").split(f"\n{SECTION_HEADING}\n", 1)
    return f"{SECTION_HEADING}\n{parts[1]}" if len(parts) == 2 else ""


if __name__ == "__main__":
    if sys.argv[1:2] == ["seed"]:
        seed(int(sys.argv[2]), sys.argv[3])
    else:
        raise SystemExit(
            "usage: python -m bench.chat seed COUNT OUT (the benchmark itself: python -m bench --only chat)"
        )
