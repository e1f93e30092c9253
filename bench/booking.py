"""`make bench`'s booking benchmark (`python -m bench --only booking` runs it alone).

Meeting requests under contention: 200 signed-in buyers request 50 slots of one exhibitor at the same moment
(4 buyers per slot), each with one POST to the real booking page (/<lang>/meetings/fair/<id>/book/<id>/),
against 2 daphne workers with the production settings on a PostgreSQL database of its own. Afterwards the
database must hold exactly 50 bookings that are requested or accepted, one per slot, and no person may hold
two that overlap; every other request must have been told the slot is taken (a 400 page with the form
error), none may fail (5xx or a dropped connection). The p95 of the request times is reported next to the
same burst, from the same buyers, against the plain Django view.

Needs DATABASE_URL pointing at PostgreSQL (a temporary database is made beside it and dropped). Without it
the section says so and nothing is measured.
"""

import asyncio
import json
import os
import secrets
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from bench.load import HTTPError, LoadResult, read_response
from bench.server import Site

ROOT = Path(__file__).resolve().parent.parent
BUYERS = 200
SLOTS = 50
WORKERS = 2
SLOT_MINUTES = 30
SECTION_HEADING = "## Booking under contention"
NEXT_SECTIONS = ("## Chat sockets",)
CSRF_ALPHABET = string.ascii_letters + string.digits


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- seeding (in a subprocess with Django set up: `python -m bench.booking seed OUT`) --------------------


def seed(out_path: str) -> None:
    """A live fair with one exhibitor's live booth and SLOTS free slots, BUYERS buyers each with a signed-in
    session; writes what the load generator needs to out_path."""
    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone

    from cms.models import HomePage
    from exhibitors.enums import ApplicationStatus, MembershipRole
    from exhibitors.models import Booth, BoothApplication, Company, Membership, User
    from fair.meetings.models import MeetingSlot
    from fair.models import BoothPackage, FairPage, Hall

    now = timezone.now()
    with transaction.atomic():
        home = HomePage.objects.get(depth=2)
        fair = FairPage(
            title="Bench Fair",
            slug="bench-fair",
            time_zone="UTC",
            applications_open_at=now - timedelta(days=30),
            applications_close_at=now + timedelta(days=5),
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=7),
        )
        home.add_child(instance=fair)
        fair.save_revision().publish()
        hall = Hall.objects.create(fair=fair, name="Hall A")
        package = BoothPackage.objects.create(fair=fair, name="Standard", price_amount=0, currency="USD")
        company = Company.objects.create(legal_name="Bench Exhibitor", slug="bench-exhibitor", country="PE")
        password = make_password(None)
        owner = User.objects.create(email="owner@bench.example", first_name="Owner", password=password)
        Membership.objects.create(user=owner, company=company, role=MembershipRole.OWNER)
        booth = Booth.objects.create(company=company, fair=fair, hall=hall, package=package)
        BoothApplication.objects.create(booth=booth, status=ApplicationStatus.APPROVED)
        # One after the other from tomorrow on, "anyone from the company": a slot never overlaps another.
        first = (now + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
        slots = MeetingSlot.objects.bulk_create(
            [
                MeetingSlot(
                    fair=fair,
                    company=company,
                    starts_at=first + timedelta(minutes=SLOT_MINUTES * n),
                    ends_at=first + timedelta(minutes=SLOT_MINUTES * (n + 1)),
                    created_by=owner,
                )
                for n in range(SLOTS)
            ]
        )
        buyers = User.objects.bulk_create(
            [
                User(email=f"buyer{n}@bench.example", first_name="Buyer", last_name=str(n), password=password)
                for n in range(BUYERS)
            ]
        )
        store = SessionStore()
        expires = now + timedelta(days=1)
        sessions = []
        for buyer in buyers:
            data = {
                SESSION_KEY: str(buyer.pk),
                # The backend that signs people in (the first one, django-axes', only refuses sign-ins).
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: buyer.get_session_auth_hash(),
            }
            sessions.append(
                Session(
                    session_key=secrets.token_hex(16), session_data=store.encode(data), expire_date=expires
                )
            )
        Session.objects.bulk_create(sessions)
    Path(out_path).write_text(
        json.dumps(
            {
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
                "fair": fair.pk,
                "company": company.pk,
                "slots": [slot.pk for slot in slots],
                "sessions": [session.session_key for session in sessions],
            }
        )
    )


# --- the burst ---


def _request(method: str, path: str, port: int, cookies: dict, body: bytes = b"") -> bytes:
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "User-Agent: feria-bench",
        "Accept: text/html,*/*",
        "Accept-Language: en",
        "Connection: close",
        "Cookie: " + "; ".join(f"{name}={value}" for name, value in cookies.items()),
    ]
    if method == "POST":
        lines += [
            f"Origin: http://127.0.0.1:{port}",
            "Content-Type: application/x-www-form-urlencoded",
            f"Content-Length: {len(body)}",
        ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def _one(port: int, payload: bytes, start: asyncio.Event, result: LoadResult, statuses: list) -> None:
    """Connect first, then wait with everyone else and send at the same moment."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        result.errors += 1
        result.statuses["connection error"] += 1
        statuses.append("connection error")
        return
    await start.wait()
    started = time.perf_counter()
    try:
        writer.write(payload)
        await writer.drain()
        status, _headers, _body = await asyncio.wait_for(read_response(reader), timeout=300)
    except (OSError, asyncio.IncompleteReadError, HTTPError, TimeoutError):
        result.errors += 1
        result.statuses["connection error"] += 1
        statuses.append("connection error")
        return
    finally:
        writer.close()
    result.latencies.append(time.perf_counter() - started)
    result.requests += 1
    result.statuses[status] += 1
    statuses.append(status)
    if status >= 500:
        result.errors += 1


async def _burst(port: int, payloads: list[bytes]) -> tuple[LoadResult, list]:
    result = LoadResult(path="")
    statuses: list = []
    start = asyncio.Event()
    tasks = [asyncio.create_task(_one(port, payload, start, result, statuses)) for payload in payloads]
    await asyncio.sleep(1.0)  # every connection is open and waiting
    began = time.perf_counter()
    start.set()
    await asyncio.gather(*tasks)
    result.seconds = time.perf_counter() - began
    return result, statuses


def burst(port: int, payloads: list[bytes]) -> tuple[LoadResult, list]:
    return asyncio.run(_burst(port, payloads))


# --- the run ---


def check(url: str) -> dict:
    """What the database holds after the burst (the invariants the section reports)."""
    import psycopg

    holding = ("requested", "accepted", "held", "no_show")
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT status, count(*) FROM meetings_meeting GROUP BY status ORDER BY status"
        ).fetchall()
        per_slot = connection.execute(
            "SELECT coalesce(max(n), 0), count(*) FROM (SELECT slot_id, count(*) AS n FROM meetings_meeting "
            "WHERE status = ANY(%s) GROUP BY slot_id) AS s",
            [list(holding)],
        ).fetchone()
        overlaps = connection.execute(
            "SELECT count(*) FROM meetings_meeting a JOIN meetings_meeting b ON a.id < b.id "
            "AND a.status = ANY(%s) AND b.status = ANY(%s) AND a.starts_at < b.ends_at "
            "AND b.starts_at < a.ends_at AND (a.buyer_id = b.buyer_id OR a.slot_id = b.slot_id)",
            [list(holding), list(holding)],
        ).fetchone()[0]
    statuses = dict(rows)
    return {
        "statuses": statuses,
        "booked": sum(count for status, count in statuses.items() if status in ("requested", "accepted")),
        "max_per_slot": per_slot[0],
        "slots_booked": per_slot[1],
        "overlaps": overlaps,
    }


def run(*, env: dict[str, str], logs: Path) -> dict:
    """Measure; returns what the report needs (or {"skipped": reason})."""
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        return {"skipped": "needs DATABASE_URL pointing at PostgreSQL"}
    import psycopg

    started = time.monotonic()
    name = f"feria_bench_booking_{os.getpid()}"
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(database_url)._replace(path=f"/{name}"))
    log_path = logs / "booking.log"
    result: dict = {"buyers": BUYERS, "slots": SLOTS, "workers": WORKERS, "cpus": os.cpu_count()}
    try:
        with tempfile.TemporaryDirectory(prefix="feria-bench-booking-") as tmp_name:
            tmp = Path(tmp_name)
            booking_env = {
                **{key: value for key, value in env.items() if key != "REDIS_URL"},
                "DJANGO_SETTINGS_MODULE": "bench.settings",
                "DJANGO_SECRET_KEY": env.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(64),
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "FERIA_BENCH": "1",
                # The booking page is rendered with the production static storage: collected afresh here.
                "FERIA_BENCH_STATIC_ROOT": str(tmp / "static"),
                "FERIA_MEDIA_ROOT": str(tmp / "media"),
                "FERIA_PAGE_CACHE_SECONDS": "0",
                "DATABASE_URL": url,
                # E-mails about the requests are written to memory: there is no mail server on loopback.
                "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
                "PYTHONUNBUFFERED": "1",
            }
            with open(log_path, "ab") as out:
                log(f"booking: collecting static files, migrating a PostgreSQL database of its own ({name})")
                for command in (
                    [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                    [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
                    [sys.executable, "-m", "bench.booking", "seed", str(tmp / "seed.json")],
                ):
                    subprocess.run(
                        command, env=booking_env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, check=True
                    )
            seeded = json.loads((tmp / "seed.json").read_text())
            with Site(env=booking_env, workers=WORKERS, log_path=log_path, cwd=ROOT) as site:
                port = site.port
                path = f"/en/meetings/fair/{seeded['fair']}/book/{seeded['company']}/"
                csrf = "".join(secrets.choice(CSRF_ALPHABET) for _ in range(32))
                cookies = [
                    {seeded["session_cookie"]: key, seeded["csrf_cookie"]: csrf} for key in seeded["sessions"]
                ]
                # Untimed: both workers have answered a page with a session before the burst.
                burst(port, [_request("GET", "/bench/plain", port, c) for c in cookies[:20]])
                log(f"booking: {BUYERS} buyers request {SLOTS} slots at once, {WORKERS} daphne workers")
                posts = [
                    _request(
                        "POST",
                        path,
                        port,
                        cookie,
                        urlencode(
                            {
                                "csrfmiddlewaretoken": csrf,
                                "slot": seeded["slots"][n % SLOTS],
                                "agenda": "Green coffee, two containers a quarter.",
                                "volumes": "",
                            }
                        ).encode(),
                    )
                    for n, cookie in enumerate(cookies)
                ]
                booking, statuses = burst(port, posts)
                log(
                    f"booking: {booking.requests} answered in {booking.seconds:.1f} s, p95 "
                    f"{booking.p95_ms:.0f} ms, {dict(booking.statuses)}"
                )
                plain, _ = burst(port, [_request("GET", "/bench/plain", port, c) for c in cookies])
                log(f"booking: plain view, same burst: p95 {plain.p95_ms:.0f} ms, {dict(plain.statuses)}")
            result["booking"] = _figures(booking)
            result["plain"] = _figures(plain)
            result["responses"] = {str(key): value for key, value in booking.statuses.items()}
            result["database"] = check(url)
    finally:
        with psycopg.connect(database_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    result["seconds"] = time.monotonic() - started
    (logs / "booking.json").write_text(json.dumps(result, indent=1))
    return result


def _figures(load: LoadResult) -> dict:
    return {
        "requests": load.requests,
        "errors": load.errors,
        "seconds": load.seconds,
        "p50_ms": load.p50_ms,
        "p95_ms": load.p95_ms,
        "max_ms": max(load.latencies) * 1000 if load.latencies else 0.0,
    }


# --- report ---


def section(result: dict) -> str:
    lines = [SECTION_HEADING, ""]
    if "skipped" in result:
        return "\n".join(
            [*lines, f"Not measured in this run: the booking benchmark {result['skipped']}.", ""]
        )
    database = result["database"]
    responses = result["responses"]
    lines += [
        f"`python -m bench --only booking` (bench/booking.py), run "
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC on the machine above "
        f"({result['cpus']} logical CPUs), {result['seconds']:.0f} s.",
        "",
        f"- Workload: {result['buyers']} signed-in buyers each POST one meeting request to the booking page "
        f"of one exhibitor with {result['slots']} free slots "
        f"({result['buyers'] // result['slots']} buyers per slot), all connections opened first and the "
        "requests written at the same moment.",
        f"- Server: {result['workers']} daphne workers (production settings) on one loopback socket, "
        "PostgreSQL (a database of the run's own); each request locks its slot's row and relies on the "
        "partial unique index and the exclusion constraints.",
        "- Plain view: the same buyers, the same burst, against the do-nothing Django view.",
        "",
        "| burst | requests | p50 ms | p95 ms | max ms | whole burst s | server errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key, label in (("booking", "meeting requests"), ("plain", "plain Django view")):
        figures = result[key]
        lines.append(
            f"| {label} | {figures['requests']} | {figures['p50_ms']:.0f} | {figures['p95_ms']:.0f} "
            f"| {figures['max_ms']:.0f} | {figures['seconds']:.1f} | {figures['errors']} |"
        )
    booking = result["booking"]
    plain = result["plain"]
    plain_each = plain["seconds"] * result["workers"] / plain["requests"] * 1000 if plain["requests"] else 0
    per_request = (
        booking["seconds"] * result["workers"] / booking["requests"] * 1000 if booking["requests"] else 0
    )
    lines += [
        "",
        "Why the p95 is about the whole burst: each daphne worker runs Django's synchronous views one at "
        "a time, so 200 requests arriving at once queue behind each other. The workers spent about "
        f"{per_request:.0f} ms per meeting request (session, CSRF, locking the slot's row, the checks and "
        "the insert, what is queued after commit, and the answer page), against "
        f"{plain_each:.0f} ms per plain view.",
    ]
    answered = ", ".join(f"{status}: {count}" for status, count in sorted(responses.items()))
    stored = ", ".join(f"{status} {count}" for status, count in database["statuses"].items()) or "none"
    exact = database["booked"] == result["slots"] and database["slots_booked"] == result["slots"]
    clean = database["max_per_slot"] <= 1 and database["overlaps"] == 0
    lines += [
        "",
        f'Answers: {answered} (302: the request was taken; 400: the page again with "slot taken").',
        f"Stored meetings: {stored}.",
        "",
        "Targets:",
        "",
        f"- Exactly {result['slots']} requested-or-accepted bookings: "
        + ("met" if exact else "missed")
        + f" ({database['booked']} bookings on {database['slots_booked']} slots).",
        "- No double booking (at most one booking per slot, no two overlapping for one buyer or slot): "
        + ("met" if clean else "missed")
        + f" (at most {database['max_per_slot']} per slot, {database['overlaps']} overlapping pairs).",
        f"- No request failed: {'met' if not result['booking']['errors'] else 'missed'} "
        f"({result['booking']['errors']} server errors or dropped connections).",
        "",
    ]
    return "\n".join(lines)


def existing_section(output: Path) -> str:
    """The booking section of the results page as it is ("" if none), to keep when it is not run."""
    if not output.exists():
        return ""
    text = output.read_text(encoding="utf-8")
    start = text.find(f"\n{SECTION_HEADING}\n")
    if start == -1:
        return ""
    body = text[start + 1 :]
    end = len(body)
    for heading in NEXT_SECTIONS:
        found = body.find(f"\n{heading}\n")
        if found != -1:
            end = min(end, found + 1)
    return body[:end].rstrip("\n") + "\n"


def merge(output: Path, text: str) -> None:
    """Put the booking section in the results page, replacing the previous one, before the chat section."""
    previous = output.read_text(encoding="utf-8") if output.exists() else "# Benchmark results\n"
    old = existing_section(output)
    if old:
        previous = previous.replace(old, "", 1)
    text = text.rstrip("\n") + "\n"
    for heading in NEXT_SECTIONS:
        marker = f"\n{heading}\n"
        if marker in previous:
            head, tail = previous.split(marker, 1)
            output.write_text(f"{head.rstrip()}\n\n{text}\n{heading}\n{tail}", encoding="utf-8")
            return
    output.write_text(f"{previous.rstrip()}\n\n{text}", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:2] == ["seed"]:
        seed(sys.argv[2])
    else:
        raise SystemExit(
            "usage: python -m bench.booking seed OUT (the benchmark: python -m bench --only booking)"
        )
