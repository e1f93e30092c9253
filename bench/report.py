"""bench/results.md: the tables, the machine, the targets met or missed and the likely cause."""

import os
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import django
import wagtail

from bench.load import LoadResult
from bench.pages import LATER_VIEWS
from bench.weight import PageWeight

CHANGES = Path(__file__).resolve().parent / "changes.md"
CACHED_TARGET = 0.8
SIGNED_IN_TARGET = 0.3
SIGNED_IN_P95_MS = 150
WEIGHT_TARGET = 150_000
LABELS = {
    "plain": "plain Django view",
    "home": "home",
    "fair": "fair page",
    "directory_all": "directory",
    "directory": "directory search",
    "booth": "booth page",
}
VISITOR_LABELS = {"anonymous": "anonymous", "buyer": "buyer signed in"}


@dataclass
class Run:
    args: object
    load_average: tuple[float, float, float]
    backends: list[str] = field(default_factory=list)
    urls: dict[str, str] = field(default_factory=dict)
    queries: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    first_views: dict[str, list[dict]] = field(default_factory=dict)
    load: dict[tuple[str, str, str], LoadResult] = field(default_factory=dict)
    weight: dict[str, PageWeight] = field(default_factory=dict)
    image_scales: dict[str, float] = field(default_factory=dict)
    cache_state: dict[tuple[str, str, str], dict[str, str]] = field(default_factory=dict)
    profiles: dict[str, dict[str, dict]] = field(default_factory=dict)
    setup_seconds: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0

    def ratio(self, backend: str, mode: str, visitor: str, page: str) -> float:
        """Requests/s against the plain view's for the same visitor (the buyer's plain view reads their
        session and user too), with the page cache in the same state."""
        plain = self.load[(backend, mode, visitor, "plain")].per_second
        return self.load[(backend, mode, visitor, page)].per_second / plain if plain else 0.0


def _kb(size: int) -> str:
    return f"{size / 1000:.1f}"


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        with open("/proc/meminfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("MemTotal"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _throughput_cause(run: Run, backend: str, mode: str, visitor: str, page: str) -> str:
    figures = run.queries[backend][page]
    result = run.load[(backend, mode, visitor, page)]
    state = run.cache_state.get((backend, mode, visitor), {}).get(page, "")
    if mode == "cached" and state != "hit":
        return "the page was not served from the cache (it sets a cookie, or its view did not mark it shared)"
    if mode == "cached" and visitor == "anonymous":
        size = result.body_bytes / max(result.requests, 1) / 1000
        return (
            f"a cache hit still runs the outer middleware and sends a {size:.0f} KB page through the ASGI "
            "server, against 2 bytes for the plain view"
        )
    profile = run.profiles.get(backend, {}).get(page, {}).get("kept" if mode == "cached" else "rendered")
    where = ""
    if profile:
        areas = ", ".join(f"{area} {share:.0%}" for area, share in list(profile["areas"].items())[:3])
        where = f"; of its {profile['cpu_ms']:.1f} ms of CPU per request: {areas}"
    suffix = "_buyer_kept" if mode == "cached" else ("_buyer" if visitor == "buyer" else "")
    return (
        f"the page takes {figures[f'service_ms{suffix}']:.1f} ms in-process ("
        f"{figures[f'query_ms{suffix}']:.1f} ms of it waiting for the database){where}"
    )


def _profile_lines(run: Run) -> list[str]:
    lines = [
        "## Where the time goes (profile)",
        "",
        "cProfile of each page for the signed-in buyer, through the test client, CPU time (its own overhead "
        "inflates the shares of small functions): CPU ms per request without the profiler, and the share of "
        "the profiled time by area, for the page rendered whole (page cache off) and for the kept page with "
        "its holes filled (page cache on).",
        "",
    ]
    for backend, pages in run.profiles.items():
        lines += [
            f"{backend}:",
            "",
            "| page | CPU ms, rendered | where, rendered | CPU ms, kept | where, kept |",
            "|---|---:|---|---:|---|",
        ]
        for page, modes in pages.items():
            cells = []
            for mode in ("rendered", "kept"):
                profile = modes[mode]
                areas = ", ".join(f"{area} {share:.0%}" for area, share in list(profile["areas"].items())[:4])
                cells += [f"{profile['cpu_ms']:.1f}", areas]
            lines.append(f"| {LABELS[page]} | " + " | ".join(cells) + " |")
        lines += ["", "Functions with the most time of their own, page rendered whole:", ""]
        for page, modes in pages.items():
            top = ", ".join(f"`{item['function']}` {item['share']:.0%}" for item in modes["rendered"]["top"])
            lines.append(f"- {LABELS[page]}: {top}")
        lines.append("")
    return lines


def _weight_cause(weight: PageWeight) -> str:
    images = [asset for asset in weight.assets if asset.kind == "image"]
    image_bytes = sum(asset.wire_bytes for asset in images)
    if image_bytes >= weight.first_load / 2:
        largest = max(images, key=lambda asset: asset.wire_bytes)
        return (
            f"{len(images)} pictures make {_kb(image_bytes)} KB of it (largest {_kb(largest.wire_bytes)} KB, "
            f"{Path(largest.url).name}); they are fetched at once, none is lazy or smaller on phones"
        )
    return (
        f"the HTML is {_kb(weight.html_wire)} KB uncompressed ({_kb(weight.html_gzip)} KB gzipped by a proxy)"
    )


def _first_view_lines(run: Run, misses: list[str]) -> list[str]:
    lines = [
        "## First view after a fresh seed",
        "",
        "Right after migrate and seed_demo, in one process that has served only the plain view and a 404 "
        f"page (test client, page cache off): the first request of each page, the median of the next "
        f"{LATER_VIEWS}, and the image renditions made during those requests (target: none; seed_demo and "
        "the task worker make them).",
        "",
    ]
    for backend in run.backends:
        lines += [
            f"{backend}:",
            "",
            "| page | visitor | language | first view ms | later views ms | renditions made |",
            "|---|---|---|---:|---:|---:|",
        ]
        for row in run.first_views.get(backend, []):
            lines.append(
                f"| {LABELS[row['page']]} | {row['who']} | {row['language']} | {row['first_ms']:.0f} "
                f"| {row['later_ms']:.0f} | {row['renditions_made']} |"
            )
            if row["renditions_made"]:
                misses.append(
                    f"- {backend}, {LABELS[row['page']]} ({row['who']}, {row['language']}): its first views "
                    f"made {row['renditions_made']} image renditions; pages must only show existing ones."
                )
        lines.append("")
    return lines


def write_report(run: Run, output: Path) -> None:
    args = run.args
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m bench`, see bench/__main__.py). Re-run it to refresh this file.",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {_cpu()}, {os.cpu_count()} logical CPUs, {_memory()} RAM; {platform.platform()}",
        f"- Software: Python {platform.python_version()}, Django {django.get_version()}, "
        f"Wagtail {wagtail.__version__}, daphne (ASGI), production settings (bench/settings.py)",
        f"- Load average when the run started: {' / '.join(f'{value:.2f}' for value in run.load_average)}"
        + (
            " (other work was running on the machine: figures are noisier)"
            if run.load_average[0] > 0.5
            else ""
        ),
        f"- Site: {args.workers} daphne worker processes on one loopback socket; page cache "
        f"{'Redis' if os.environ.get('REDIS_URL') else 'in-process memory'} when on",
        f"- Load: {args.concurrency} concurrent keep-alive clients (asyncio, same machine), "
        f"{args.seconds:g} s per page after 1 s of warm-up, at most {args.max_requests} requests",
        "- Data: `seed_demo` (24 exhibitors); databases, with the scale of the seeded pictures: "
        + ", ".join(f"{name} ({run.image_scales.get(name, 1):g})" for name in run.backends),
        f"- Whole run: {run.total_seconds:.0f} s ("
        + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in run.setup_seconds.items())
        + ")",
        "",
        "Pages:",
        "",
    ]
    for name, url in run.urls.items():
        lines.append(f"- {LABELS[name]}: `{url}`")
    lines += [
        "",
        f"Targets: signed in as a buyer (whom the anonymous page cache cannot serve), each page ≥ "
        f"{SIGNED_IN_TARGET}× the plain view's requests/s and p95 ≤ {SIGNED_IN_P95_MS} ms; anonymous pages "
        f"with the page cache on ≥ {CACHED_TARGET}×; first load (HTML + CSS + JS + every image) ≤ 150 KB "
        "(1 KB = 1,000 bytes). With the page cache on, a signed-in person's page is the shared part kept "
        "(cms/member_cache.py) with its personal parts filled for them (exhibitors/holes.py); with it off, "
        "every page is rendered whole for everyone.",
        "",
    ]
    # What was changed for speed and what each change bought, written from the runs (bench/changes.md).
    if CHANGES.exists():
        lines += [CHANGES.read_text(encoding="utf-8").rstrip("\n"), ""]
    misses: list[str] = []
    for backend in run.backends:
        lines += [
            f"## {backend}",
            "",
            "| page | queries: anonymous / buyer / buyer, page kept "
            "| in-process ms (waiting for the database): anonymous / buyer / buyer, page kept |",
            "|---|---:|---:|",
        ]
        for page in LABELS:
            figures = run.queries[backend][page]
            lines.append(
                f"| {LABELS[page]} | {figures['anonymous']:.0f} / {figures['buyer']:.0f} / "
                f"{figures['buyer_kept']:.0f} | {figures['service_ms']:.1f} ({figures['query_ms']:.1f}) / "
                f"{figures['service_ms_buyer']:.1f} ({figures['query_ms_buyer']:.1f}) / "
                f"{figures['service_ms_buyer_kept']:.1f} ({figures['query_ms_buyer_kept']:.1f}) |"
            )
        lines += [
            "",
            "| page | page cache | visitor | req/s | × plain | p95 ms |",
            "|---|---|---|---:|---:|---:|",
        ]
        for page in LABELS:
            for mode in ("uncached", "cached"):
                for visitor in VISITOR_LABELS:
                    result = run.load[(backend, mode, visitor, page)]
                    lines.append(
                        f"| {LABELS[page]} | {'on' if mode == 'cached' else 'off'} "
                        f"| {VISITOR_LABELS[visitor]} "
                        f"| {result.per_second:.0f} | {run.ratio(backend, mode, visitor, page):.2f} "
                        f"| {result.p95_ms:.1f} |" + (f" {result.errors} errors" if result.errors else "")
                    )
                    if result.errors:
                        statuses = ", ".join(
                            f"{status}: {count}" for status, count in result.statuses.items()
                        )
                        misses.append(
                            f"- {backend}, {LABELS[page]}, page cache {mode}, {visitor}: "
                            f"{result.errors} failed requests ({statuses}); "
                            f"see bench/out/{backend.lower()}.log."
                        )
            if page == "plain":
                continue
            checks = (
                ("cached", "anonymous", CACHED_TARGET, None),
                ("cached", "buyer", SIGNED_IN_TARGET, SIGNED_IN_P95_MS),
            )
            for mode, visitor, target, p95_target in checks:
                ratio = run.ratio(backend, mode, visitor, page)
                p95 = run.load[(backend, mode, visitor, page)].p95_ms
                if ratio < target or (p95_target and p95 > p95_target):
                    misses.append(
                        f"- {backend}, {LABELS[page]}, {VISITOR_LABELS[visitor]}: {ratio:.2f}× plain "
                        f"(target {target}×)"
                        + (f", p95 {p95:.0f} ms (target {p95_target} ms)" if p95_target else "")
                        + f". Likely cause: {_throughput_cause(run, backend, mode, visitor, page)}."
                    )
        lines.append("")
    lines += _profile_lines(run)
    lines += _first_view_lines(run, misses)
    first = run.backends[0]
    lines += [
        f"## First load ({first} site, page cache off; KB on the wire)",
        "",
        "| page | HTML | HTML if gzipped | CSS | JS | images (count) | total | total, HTML gzipped "
        "| ≤ 150 KB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page in (page for page in list(LABELS)[1:] if page in run.weight):
        weight = run.weight[page]
        images = [asset for asset in weight.assets if asset.kind == "image"]
        met = weight.first_load <= WEIGHT_TARGET
        lines.append(
            f"| {LABELS[page]} | {_kb(weight.html_wire)} | {_kb(weight.html_gzip)} "
            f"| {_kb(weight.total('css'))} | {_kb(weight.total('js'))} "
            f"| {_kb(weight.total('image'))} ({len(images)}) | {_kb(weight.first_load)} "
            f"| {_kb(weight.first_load_gzipped_html)} | {'met' if met else 'missed'} |"
        )
        for asset in weight.broken:
            misses.append(f"- {LABELS[page]}: `{asset.url}` answered {asset.status}.")
        if not met:
            misses.append(
                f"- {LABELS[page]}: first load {_kb(weight.first_load)} KB (target 150 KB). "
                f"Likely cause: {_weight_cause(weight)}."
            )
    lines.append("")
    lines += ["## Targets", ""]
    lines += misses or ["Every target was met."]
    lines += [
        "",
        "Notes: requests/s are for this machine with the load generator on it too, so compare the ratios, "
        "not the absolute numbers. Query counts and in-process times are from the second and later requests "
        "of each page through Django's test client. "
        "An anonymous visitor's cached page is the whole page, answered before the inner half of the "
        "middleware stack and the URL resolver run, which is why it can outrun the plain view. A signed-in "
        "person's kept page still goes through sessions, authentication and the filling of its holes (the "
        "unread badge, the saved states of the Save buttons, the booth's chat box). Kept pages are dropped "
        "the moment something they show is edited (exhibitors/cache_tags.py), so the cache's lifetime "
        f"(FERIA_PAGE_CACHE_SECONDS, {args.cache_seconds} s in this run) only bounds memory.",
        "",
    ]
    output.write_text("\n".join(lines), encoding="utf-8")


def refresh_changes(output: Path) -> None:
    """Put bench/changes.md into an existing results file in place of its previous copy (its first line is
    the section's heading), without measuring anything again: `python -m bench.report`."""
    changes = CHANGES.read_text(encoding="utf-8").rstrip("\n")
    heading = changes.splitlines()[0]
    text = output.read_text(encoding="utf-8")
    if f"\n{heading}\n" in text:
        head, rest = text.split(f"\n{heading}\n", 1)
        tail = rest.split("\n## ", 1)[1] if "\n## " in rest else ""
        text = f"{head}\n{changes}\n\n## {tail}" if tail else f"{head}\n{changes}\n"
    else:
        head, tail = text.split("\n## ", 1)
        text = f"{head}\n{changes}\n\n## {tail}"
    output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    refresh_changes(Path(__file__).resolve().parent / "results.md")
