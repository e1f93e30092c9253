"""`make bench`: how fast and how heavy the public pages are, measured on loopback.

A run:
  1. collects the static files (production storage: hashed, pre-compressed) into a temporary directory;
  2. makes a temporary database — a SQLite file, and a PostgreSQL database too when DATABASE_URL is set — and
     runs migrate and seed_demo on it (both prepared side by side, before anything is measured);
  3. times each page's first view after the seed and counts each page's queries, through the test client
     (bench/pages.py);
  4. starts the site (daphne workers sharing one socket, production settings) with the page cache off, then
     on, and loads each page with concurrent keep-alive clients for a fixed time, next to a do-nothing
     Django view served by the same processes (bench/load.py);
  5. downloads each page once with everything it references and counts the bytes (bench/weight.py);
  6. writes bench/results.md and removes the temporary files and database;
  7. runs the chat benchmark (bench/chat.py: 1,000 sockets on 2 workers, Redis, PostgreSQL) and adds its
     section to bench/results.md;
  8. runs the booking benchmark (bench/booking.py: 200 buyers requesting 50 meeting slots at once, 2 workers,
     PostgreSQL) and adds its section;
  9. measures bytes on the wire as Chromium fetches each page, first and repeat visit, normal and lite
     (bench/wire.py; its own SQLite database and seed), and adds its section;
 10. measures the exhibitor directory's search at 100,000 products (bench/search.py): on PostgreSQL (when
     DATABASE_URL is set) and on SQLite, a fresh migrate and seed_demo, then bench/catalogue.py adds 5,000
     live exhibitors with 100,000 products and fills the search index in bulk; ten searches (words, phrases,
     HS prefixes, a misspelling, Spanish and English, with and without filters) are timed as the whole
     directory page (test client) and as the search query alone, p50 and p95 against a 200 ms target, with
     each query's EXPLAIN (ANALYZE on PostgreSQL) plan; and adds its section.
`--only pages`, `--only chat`, `--only booking`, `--only wire` or `--only search` runs one part and keeps the
others' results.
"""

import argparse
import base64
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import booking, chat, search, wire
from bench.load import LoadResult, run_load
from bench.report import Run, write_report
from bench.server import Site
from bench.weight import page_weight

ROOT = Path(__file__).resolve().parent.parent
# Server and command logs of the last run (git-ignored).
LOGS = ROOT / "bench" / "out"
PAGES = ("plain", "home", "fair", "directory_all", "directory", "booth")
# Who loads the pages: a visitor without a session, and the demo buyer signed in (their session cookie).
VISITORS = ("anonymous", "buyer")
# The page cache's lifetime when on: edits purge kept pages at once, so it can be long.
CACHE_SECONDS = 600
# Page weight is measured on the first database only (it does not depend on the database), so the others get
# smaller pictures and seed faster.
OTHER_DATABASE_IMAGE_SCALE = 0.25


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def base_env(tmp: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        FERIA_RECORDS_SIGNING_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        FERIA_BENCH="1",
        FERIA_BENCH_STATIC_ROOT=str(tmp / "static"),
        FERIA_PAGE_CACHE_SECONDS="0",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str, log_path: Path) -> float:
    started = time.monotonic()
    with open(log_path, "ab") as out:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=True,
        )
    return time.monotonic() - started


class Backend:
    def __init__(self, name: str, env: dict[str, str], image_scale: float):
        self.name = name
        # With Redis, each database's site keeps its pages (and sessions' caches) under its own prefix.
        self.env = {**env, "FERIA_BENCH_REDIS_PREFIX": f"feria-bench-{name.lower()}-{secrets.token_hex(4)}"}
        self.image_scale = image_scale
        self.log_path = LOGS / f"{name.lower()}.log"
        self.seconds: dict[str, float] = {}
        self.error: BaseException | None = None

    def prepare(self) -> None:
        try:
            self.seconds["migrate"] = manage(self.env, "migrate", "--noinput", "-v0", log_path=self.log_path)
            self.seconds["seed_demo"] = manage(
                self.env, "seed_demo", f"--image-scale={self.image_scale}", log_path=self.log_path
            )
        except Exception as error:  # reported by the main thread
            self.error = error


def postgres_database(url: str) -> tuple[str, str]:
    """Create an empty database beside the one DATABASE_URL names; (its URL, its name)."""
    import psycopg

    name = f"feria_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}")), name


def drop_postgres_database(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def warm(port: int, urls: dict[str, str], cookie: str = "") -> dict[str, str]:
    """Request each page until it answers 200.

    Returns what the page cache said about each page on the last request.
    """
    cache_state = {}
    for name, url in urls.items():
        for attempt in range(5):
            request = urllib.request.Request(f"http://127.0.0.1:{port}{url}")
            if cookie:
                request.add_header("Cookie", cookie)
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()
                if attempt >= 1 and response.status == 200:
                    cache_state[name] = response.headers.get("X-Feria-Cache", "")
                    break
    return cache_state


def measure(backend: Backend, pages: dict, args, run: Run, weigh: bool) -> None:
    """Load every page with the page cache off, then on, each time as an anonymous visitor and as the demo
    buyer signed in.

    The pages take turns in short slices (plain, home, fair, ..., plain, home, ...), so a burst of other work
    on the machine weighs on every page alike and the ratios to the plain view stay fair.
    """
    urls = pages["urls"]
    cookie_name, cookie_value = pages["session"]
    headers = {"anonymous": None, "buyer": {"Cookie": f"{cookie_name}={cookie_value}"}}
    for mode, seconds in (("uncached", 0), ("cached", args.cache_seconds)):
        env = {**backend.env, "FERIA_PAGE_CACHE_SECONDS": str(seconds)}
        log(
            f"{backend.name}: starting {args.workers} daphne workers, page cache {'on' if seconds else 'off'}"
        )
        with Site(env=env, workers=args.workers, log_path=backend.log_path, cwd=ROOT) as site:
            for visitor in VISITORS:
                cookie = (headers[visitor] or {}).get("Cookie", "")
                run.cache_state[(backend.name, mode, visitor)] = warm(site.port, urls, cookie)

            def load(name: str, visitor: str, seconds: float, max_requests: int):
                return run_load(
                    host="127.0.0.1",
                    port=site.port,
                    path=urls[name],
                    concurrency=args.concurrency,
                    seconds=seconds,
                    max_requests=max_requests,
                    headers=headers[visitor],
                )

            turns = [(name, visitor) for visitor in VISITORS for name in PAGES]
            for name, visitor in turns:
                # Untimed: every worker gets its connections and cached pages.
                load(name, visitor, 1, 2000)
            results = {turn: LoadResult(path=urls[turn[0]]) for turn in turns}
            for _ in range(args.rounds):
                for name, visitor in turns:
                    results[(name, visitor)].add(
                        load(name, visitor, args.seconds / args.rounds, args.max_requests // args.rounds)
                    )
            for (name, visitor), result in results.items():
                run.load[(backend.name, mode, visitor, name)] = result
                log(
                    f"{backend.name} {mode:8} {visitor:9} {name:13} {result.per_second:7.0f} req/s  "
                    f"p95 {result.p95_ms:6.1f} ms  errors {result.errors}"
                    + (f" {dict(result.statuses)}" if result.errors else "")
                )
            if weigh and mode == "uncached":
                # The directory without a search is weighed in Chromium by the wire part (lazy logos
                # below the fold are not fetched there); this download counts every picture it names.
                for name in PAGES[1:]:
                    if name != "directory_all":
                        run.weight[name] = page_weight(host="127.0.0.1", port=site.port, path=urls[name])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="measured time per page and mode")
    parser.add_argument("--rounds", type=int, default=4, help="turns the pages take within that time")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent keep-alive clients")
    parser.add_argument("--max-requests", type=int, default=50_000, help="cap per page and mode")
    parser.add_argument("--workers", type=int, default=max(1, os.cpu_count() or 1), help="daphne processes")
    parser.add_argument("--image-scale", type=float, default=1.0, help="seed_demo picture size")
    parser.add_argument(
        "--cache-seconds", type=int, default=CACHE_SECONDS, help="page cache lifetime when on"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.md")
    parser.add_argument(
        "--only",
        choices=("pages", "chat", "booking", "wire", "search"),
        help="run only one part of the benchmark",
    )
    args = parser.parse_args(argv)

    LOGS.mkdir(exist_ok=True)
    if args.only in (None, "pages"):
        chat_results = chat.existing_section(args.output)
        booking_results = booking.existing_section(args.output)
        wire_results = wire.existing_section(args.output)
        search_results = search.existing_section(args.output)
        run_pages(args)
        if booking_results:
            booking.merge(args.output, booking_results)
        if chat_results:
            chat.merge(args.output, chat_results)
        if search_results:
            search.merge(args.output, search_results)
        # Last: it goes before the chat section, which must be back in the file first.
        if wire_results:
            wire.merge(args.output, wire_results, before=chat.SECTION_HEADING)
    if args.only in (None, "wire"):
        run_wire(args)
    if args.only in (None, "chat"):
        with tempfile.TemporaryDirectory(prefix="feria-bench-") as tmp_name:
            result = chat.run(env=base_env(Path(tmp_name)), logs=LOGS)
        if "skipped" in result:
            log(f"chat benchmark skipped: it {result['skipped']}")
        chat.merge(args.output, chat.section(result))
        log(f"wrote the chat section of {args.output}")
    if args.only in (None, "booking"):
        with tempfile.TemporaryDirectory(prefix="feria-bench-") as tmp_name:
            result = booking.run(env=base_env(Path(tmp_name)), logs=LOGS)
        if "skipped" in result:
            log(f"booking benchmark skipped: it {result['skipped']}")
        booking.merge(args.output, booking.section(result))
        log(f"wrote the booking section of {args.output}")
    if args.only in (None, "search"):
        with tempfile.TemporaryDirectory(prefix="feria-bench-") as tmp_name:
            result = search.run(
                env=base_env(Path(tmp_name)),
                logs=LOGS,
                database_url=os.environ.get("DATABASE_URL", ""),
                backends=("PostgreSQL", "SQLite"),
            )
        search.merge(args.output, search.section(result))
        log(f"wrote the search section of {args.output}")
    return 0


def run_pages(args) -> None:

    started = time.monotonic()
    run = Run(args=args, load_average=os.getloadavg())
    database_url = os.environ.get("DATABASE_URL", "")
    LOGS.mkdir(exist_ok=True)
    for old in LOGS.glob("*.log"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="feria-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = base_env(tmp)
        log(f"collecting static files into {tmp / 'static'} (logs in {LOGS})")
        run.setup_seconds["collectstatic"] = manage(
            env, "collectstatic", "--noinput", "-v0", log_path=LOGS / "collectstatic.log"
        )
        sqlite_env = {
            **env,
            "FERIA_SQLITE_PATH": str(tmp / "bench.sqlite3"),
            "FERIA_MEDIA_ROOT": str(tmp / "media-sqlite"),
        }
        backends = [Backend("SQLite", sqlite_env, args.image_scale)]
        pg_name = ""
        if database_url:
            pg_url, pg_name = postgres_database(database_url)
            pg_env = {**env, "DATABASE_URL": pg_url, "FERIA_MEDIA_ROOT": str(tmp / "media-pg")}
            backends.append(Backend("PostgreSQL", pg_env, min(args.image_scale, OTHER_DATABASE_IMAGE_SCALE)))
        run.image_scales = {backend.name: backend.image_scale for backend in backends}
        try:
            log("migrating and seeding: " + ", ".join(backend.name for backend in backends))
            threads = [threading.Thread(target=backend.prepare) for backend in backends]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            for backend in backends:
                if backend.error is not None:
                    print(backend.log_path.read_text(errors="replace")[-4000:], file=sys.stderr)
                    raise SystemExit(f"{backend.name}: preparing the database failed: {backend.error}")
                run.backends.append(backend.name)
                run.setup_seconds.update({f"{backend.name} {step}": s for step, s in backend.seconds.items()})
                seconds = backend.seconds
                log(f"{backend.name}: migrate {seconds['migrate']:.0f} s, seed {seconds['seed_demo']:.0f} s")
            for number, backend in enumerate(backends):
                out = tmp / f"{backend.name}-pages.json"
                with open(backend.log_path, "ab") as log_file:
                    subprocess.run(
                        [sys.executable, "-m", "bench.pages", str(out)],
                        env=backend.env,
                        cwd=ROOT,
                        stdout=log_file,
                        stderr=subprocess.STDOUT,
                        check=True,
                    )
                pages = json.loads(out.read_text())
                run.urls = pages["urls"]
                run.queries[backend.name] = pages["queries"]
                run.first_views[backend.name] = pages["first_views"]
                run.profiles[backend.name] = pages["profiles"]
                measure(backend, pages, args, run, weigh=number == 0)
        finally:
            if pg_name:
                drop_postgres_database(database_url, pg_name)
    run.total_seconds = time.monotonic() - started
    write_report(run, args.output)
    log(f"wrote {args.output} in {run.total_seconds:.0f} s")


def run_wire(args) -> None:
    """Bytes on the wire in Chromium (bench/wire.py) on a freshly seeded SQLite database."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="feria-bench-wire-") as tmp_name:
        tmp = Path(tmp_name)
        env = {
            **base_env(tmp),
            "FERIA_SQLITE_PATH": str(tmp / "wire.sqlite3"),
            "FERIA_MEDIA_ROOT": str(tmp / "media"),
        }
        log_path = LOGS / "wire.log"
        log("wire: collecting static files, migrating and seeding SQLite")
        manage(env, "collectstatic", "--noinput", "-v0", log_path=log_path)
        manage(env, "migrate", "--noinput", "-v0", log_path=log_path)
        manage(env, "seed_demo", f"--image-scale={args.image_scale}", log_path=log_path)
        out = tmp / "wire-pages.json"
        with open(log_path, "ab") as log_file:
            subprocess.run(
                [sys.executable, "-m", "bench.wire_pages", str(out)],
                env=env,
                cwd=ROOT,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                check=True,
            )
        found = json.loads(out.read_text())
        log(f"wire: starting the site, measuring {len(found['urls'])} pages in Chromium")
        with Site(env=env, workers=args.workers, log_path=log_path, cwd=ROOT) as site:
            base_url = f"http://127.0.0.1:{site.port}"
            warm(site.port, {name: url for name, url in found["urls"].items() if name != "conversation"})
            results = wire.measure(
                base_url=base_url,
                pages=found["urls"],
                session_cookie=tuple(found["session"]) if found["session"] else None,
                signed_in_pages=set(found["signed_in"]),
            )
    for result in results:
        log(
            f"wire {result.page:16} {result.mode:6} first {result.first.bytes / 1000:6.1f} KB "
            f"repeat {result.repeat.bytes / 1000:5.1f} KB {'met' if result.met else 'MISSED'}"
        )
    note = f"Whole part: {time.monotonic() - started:.0f} s (collectstatic, migrate, seed_demo, the visits)."
    wire.merge(args.output, wire.section(results, note=note), before=chat.SECTION_HEADING)
    log(f"wrote the wire section of {args.output}")


if __name__ == "__main__":
    sys.exit(main())
