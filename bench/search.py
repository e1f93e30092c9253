"""`make bench`'s directory search benchmark (`python -m bench --only search` runs it alone).

For each database (PostgreSQL when DATABASE_URL is set, and SQLite), in a temporary database of its own:
migrate, seed_demo, then bench/catalogue.py adds 100,000 products over 5,000 live exhibitors of the demo's
live fair and fills the search index in bulk. Then, inside Django (`python -m bench.search measure OUT`),
ten directory searches (single words, two-word phrases, HS prefixes and a misspelling, in Spanish and in
English, some with the hall, country or certification filter) are each run RUNS times, taking turns:

- the full directory page through Django's test client (anonymous visitor, page cache off), and
- the search query alone: the one SQL statement that fetches the first page of booths with the total.

It reports p50 and p95 of each (target: p95 ≤ 200 ms), the number of booths found, the page's query count,
and the EXPLAIN plan of each search query (EXPLAIN ANALYZE on PostgreSQL), so index use can be checked.
The tables are ANALYZEd after the generation, as autovacuum would do on PostgreSQL.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SECTION_HEADING = "## Directory search at 100,000 products"
# The sections this one goes before, whichever is there first (the others' readers stop at the next "## ").
BEFORE_SECTIONS = (
    "## Bytes on the wire (Chromium, first and repeat visit)",
    "## Booking under contention",
    "## Chat sockets",
)
TARGET_MS = 200.0
RUNS = 25
PRODUCTS = 100_000
EXHIBITORS = 5_000

# (label, directory parameters); hall and certification name a sector slug and a certification slug, turned
# into ids once the data is there.
QUERIES: tuple[tuple[str, dict[str, str]], ...] = (
    ("one word, English", {"q": "coffee"}),
    ("one word, Spanish", {"q": "quinua"}),
    ("two words, English", {"q": "alpaca yarn"}),
    ("two words, Spanish", {"q": "paneles solares"}),
    ("HS prefix (heading)", {"hs": "0901"}),
    ("HS prefix and country", {"hs": "6110", "country": "PE"}),
    ("misspelt word", {"q": "avocdos"}),
    ("Spanish word and country", {"q": "café", "country": "CO"}),
    ("English word and certification", {"q": "organic", "certification": "fairtrade"}),
    ("Spanish words and hall", {"q": "miel orgánica", "hall": "agrifood"}),
)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


# --- inside Django: `python -m bench.search measure OUT.json` --------------------------------------------


def _resolve(params: dict[str, str]) -> dict[str, str]:
    from exhibitors.models import Certification
    from fair.models import Hall

    resolved = dict(params)
    if "hall" in params:
        hall = Hall.objects.filter(sector__slug=params["hall"]).order_by("pk").first()
        resolved["hall"] = str(hall.pk)
    if "certification" in params:
        resolved["certification"] = str(Certification.objects.get(slug=params["certification"]).pk)
    return resolved


def _search_queryset(fair, params: dict[str, str]):
    """The queryset the directory view pages through for these parameters (as the view's form cleans them)."""
    from django.db.models import Count, Window

    from fair.selectors.directory import DIRECTORY_PER_PAGE, directory_booths

    booths = directory_booths(
        fair=fair,
        query=params.get("q", ""),
        hall_id=int(params["hall"]) if "hall" in params else None,
        country=params.get("country", ""),
        certification_id=int(params["certification"]) if "certification" in params else None,
        hs_prefix=params.get("hs", ""),
    )
    return booths.annotate(total_count=Window(Count("pk")))[:DIRECTORY_PER_PAGE]


def _explain(queryset, vendor: str) -> str:
    if vendor == "postgresql":
        return queryset.explain(analyze=True, buffers=True)
    return queryset.explain()


def measure(out_path: str) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.catalogue import catalogue_generate
    from cms.demo import data
    from fair.models import FairPage

    products = int(os.environ.get("FERIA_BENCH_SEARCH_PRODUCTS", PRODUCTS))
    exhibitors = int(os.environ.get("FERIA_BENCH_SEARCH_EXHIBITORS", EXHIBITORS))
    runs = int(os.environ.get("FERIA_BENCH_SEARCH_RUNS", RUNS))
    started = time.monotonic()
    report = catalogue_generate(products=products, exhibitors=exhibitors, log=log)
    generation_seconds = time.monotonic() - started
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    analyze_seconds = time.monotonic() - started

    fair = FairPage.objects.filter(slug=data.LIVE_FAIR.slug).order_by("pk").first()
    client = Client(HTTP_HOST="127.0.0.1")
    base_url = f"{fair.url}exhibitors/"
    queries = []
    for label, params in QUERIES:
        resolved = _resolve(params)
        url = f"{base_url}?{urlencode(resolved)}"
        queryset = _search_queryset(fair, resolved)
        sql, sql_params = queryset.query.sql_with_params()
        # Warm: the page once (templates, caches), the statement once.
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        rows = list(_search_queryset(fair, resolved))
        queries.append(
            {
                "label": label,
                "params": params,
                "url": url,
                "sql": sql,
                "sql_params": sql_params,
                "found": rows[0].total_count if rows else 0,
                "first": [booth.company.legal_name for booth in rows[:3]],
                "page_queries": len(captured.captured_queries),
                "page_ms": [],
                "query_ms": [],
            }
        )
    for _ in range(runs):
        for entry in queries:
            started = time.perf_counter()
            response = client.get(entry["url"])
            entry["page_ms"].append(1000 * (time.perf_counter() - started))
            with connection.cursor() as cursor:
                started = time.perf_counter()
                cursor.execute(entry["sql"], entry["sql_params"])
                cursor.fetchall()
                entry["query_ms"].append(1000 * (time.perf_counter() - started))
    for entry, (_label, params) in zip(queries, QUERIES, strict=True):
        entry["plan"] = _explain(_search_queryset(fair, _resolve(params)), connection.vendor)
        del entry["sql_params"]
    result = {
        "vendor": connection.vendor,
        "products": report.products,
        "companies": report.companies,
        "shown": report.shown,
        "generation_seconds": generation_seconds,
        "generation_steps": report.seconds,
        "analyze_seconds": analyze_seconds,
        "runs": runs,
        "queries": queries,
    }
    Path(out_path).write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")


# --- the runner (outside Django) --------------------------------------------------------------------------


def run(*, env: dict[str, str], logs: Path, database_url: str, backends: tuple[str, ...]) -> dict:
    """Prepare a database per backend, generate the catalogue and measure; returns what section() reads."""
    from bench.__main__ import drop_postgres_database, manage, postgres_database

    started = time.monotonic()
    results: dict = {"backends": {}, "skipped": {}}
    # The pages are rendered with the production settings: hashed static files, collected once.
    manage(env, "collectstatic", "--noinput", "-v0", log_path=logs / "search-collectstatic.log")
    for backend in backends:
        if backend == "PostgreSQL" and not database_url:
            results["skipped"][backend] = "needs DATABASE_URL pointing at PostgreSQL"
            continue
        log_path = logs / f"search-{backend.lower()}.log"
        log_path.unlink(missing_ok=True)
        with tempfile.TemporaryDirectory(prefix="feria-bench-search-") as tmp_name:
            tmp = Path(tmp_name)
            backend_env = {**env, "FERIA_MEDIA_ROOT": str(tmp / "media")}
            pg_name = ""
            if backend == "PostgreSQL":
                pg_url, pg_name = postgres_database(database_url)
                backend_env["DATABASE_URL"] = pg_url
            else:
                backend_env["FERIA_SQLITE_PATH"] = str(tmp / "search.sqlite3")
            try:
                log(f"search, {backend}: migrate and seed_demo (log in {log_path})")
                seconds = {
                    "migrate": manage(backend_env, "migrate", "--noinput", "-v0", log_path=log_path),
                    "seed_demo": manage(backend_env, "seed_demo", "--image-scale=0.1", log_path=log_path),
                }
                log(f"search, {backend}: generating the catalogue and measuring")
                out = tmp / "search.json"
                with open(log_path, "ab") as log_file:
                    subprocess.run(
                        [sys.executable, "-m", "bench.search", "measure", str(out)],
                        env=backend_env,
                        cwd=ROOT,
                        stdout=log_file,
                        stderr=subprocess.STDOUT,
                        check=True,
                    )
                result = json.loads(out.read_text(encoding="utf-8"))
                result["setup_seconds"] = seconds
                results["backends"][backend] = result
                for entry in result["queries"]:
                    log(
                        f"search, {backend}: {entry['label']:32} found {entry['found']:5} "
                        f"page p95 {percentile(entry['page_ms'], 0.95):6.1f} ms, "
                        f"query p95 {percentile(entry['query_ms'], 0.95):6.1f} ms"
                    )
            finally:
                if pg_name:
                    drop_postgres_database(database_url, pg_name)
    results["seconds"] = time.monotonic() - started
    results["cpus"] = os.cpu_count()
    results["load_average"] = os.getloadavg()
    return results


def _params_text(params: dict[str, str]) -> str:
    return ", ".join(f"{key}={value}" for key, value in params.items())


def section(results: dict) -> str:
    lines = [
        SECTION_HEADING,
        "",
        f"`python -m bench --only search` (bench/search.py, data from bench/catalogue.py), run "
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC on the machine above ({results['cpus']} "
        f"logical CPUs, load average {' / '.join(f'{v:.2f}' for v in results['load_average'])} at the end), "
        f"{results['seconds']:.0f} s.",
        "",
        "- Data: seed_demo, then 5,000 more live exhibitors of the live fair with 100,000 products (Spanish "
        "and English names from a fixed vocabulary, fixed random seed, real HS 2022 codes), the search "
        "index filled in bulk with the backend's add_items; then ANALYZE.",
        f"- Each search is run {RUNS} times (taking turns with the others): the whole directory page through "
        "Django's test client (anonymous, page cache off), and the search query alone (the one statement "
        "that fetches the first page of booths and the total). Target: p95 ≤ 200 ms.",
        "",
    ]
    misses = []
    for backend, reason in results["skipped"].items():
        lines += [f"{backend}: not measured in this run, it {reason}.", ""]
    for backend, result in results["backends"].items():
        steps = result["generation_steps"]
        lines += [
            f"### {backend}",
            "",
            f"Generation: {result['generation_seconds']:.0f} s for {result['companies']:,} companies and "
            f"{result['products']:,} products ({result['shown']:,} shown in booths): rows "
            f"{steps.get('rows', 0):.0f} s, search index {steps.get('index', 0):.0f} s; ANALYZE "
            f"{result['analyze_seconds']:.1f} s (migrate {result['setup_seconds']['migrate']:.0f} s and "
            f"seed_demo {result['setup_seconds']['seed_demo']:.0f} s before it).",
            "",
            "| search | parameters | booths found | page queries | page p50 ms | page p95 ms "
            "| query p50 ms | query p95 ms | p95 ≤ 200 ms |",
            "|---|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        for entry in result["queries"]:
            page95 = percentile(entry["page_ms"], 0.95)
            query95 = percentile(entry["query_ms"], 0.95)
            met = page95 <= TARGET_MS and query95 <= TARGET_MS
            lines.append(
                f"| {entry['label']} | {_params_text(entry['params'])} | {entry['found']:,} "
                f"| {entry['page_queries']} | {statistics.median(entry['page_ms']):.1f} | {page95:.1f} "
                f"| {statistics.median(entry['query_ms']):.1f} | {query95:.1f} "
                f"| {'met' if met else 'missed'} |"
            )
            if not met:
                misses.append(
                    f"- {backend}, {entry['label']}: page p95 {page95:.0f} ms, query p95 {query95:.0f} ms."
                )
        lines += [
            "",
            f"Plans ({'EXPLAIN ANALYZE' if result['vendor'] == 'postgresql' else 'EXPLAIN QUERY PLAN'}):",
            "",
        ]
        for entry in result["queries"]:
            lines += [
                "<details>",
                f"<summary>{entry['label']} ({_params_text(entry['params'])})</summary>",
                "",
                "```",
                entry["plan"].rstrip(),
                "```",
                "",
                "</details>",
                "",
            ]
    lines += ["Targets: " + ("every search met p95 ≤ 200 ms." if not misses else "missed:"), *misses, ""]
    return "\n".join(lines)


def existing_section(output: Path) -> str:
    """This section of the results page as it is ("" if none), to keep when it is not run."""
    if not output.exists():
        return ""
    parts = output.read_text(encoding="utf-8").split(f"\n{SECTION_HEADING}\n", 1)
    if len(parts) != 2:
        return ""
    return f"{SECTION_HEADING}\n" + parts[1].split("\n## ", 1)[0].rstrip("\n") + "\n"


def merge(output: Path, text: str) -> None:
    """Put this section in the results page, replacing the previous one, before the sections that follow."""
    previous = output.read_text(encoding="utf-8") if output.exists() else "# Benchmark results\n"
    if f"\n{SECTION_HEADING}\n" in previous:
        head, rest = previous.split(f"\n{SECTION_HEADING}\n", 1)
        tail = rest.split("\n## ", 1)
        previous = head.rstrip("\n") + "\n" + (f"\n## {tail[1]}" if len(tail) == 2 else "")
    text = text.rstrip("\n") + "\n"
    for heading in BEFORE_SECTIONS:
        if f"\n{heading}\n" in previous:
            head, rest = previous.split(f"\n{heading}\n", 1)
            output.write_text(f"{head.rstrip()}\n\n{text}\n{heading}\n{rest}", encoding="utf-8")
            return
    output.write_text(f"{previous.rstrip()}\n\n{text}", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:2] == ["measure"]:
        measure(sys.argv[2])
    else:
        raise SystemExit(
            "usage: python -m bench.search measure OUT (the benchmark: python -m bench --only search)"
        )
