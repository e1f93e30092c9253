"""Bytes on the wire as Chromium fetches a page: a first visit with an empty cache, then a repeat visit.

Debian's Chromium (/usr/bin/chromium) is driven by Playwright; each page and mode gets a fresh browser
context (empty cache, no cookies but the ones given). Every response's `encodedDataLength` (headers and body
as received, compressed when the server compressed it) is summed from the DevTools protocol's
`Network.loadingFinished` events, from the navigation until the page's `load` event and a short quiet time.
Lazy images are not scrolled into view: they count only where Chromium itself fetches them (near the first
screen). The repeat visit is a second navigation to the same address in the same context: the HTML is
revalidated (a 304 for an anonymous page) and the fingerprinted static files come from the browser's cache.

Signed-in pages get the demo buyer's session cookie; lite mode is the `feria_lite` cookie (as the switch in
the footer sets it).
"""

import time
from dataclasses import dataclass, field

from exhibitors.selectors.lite import LITE_COOKIE

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
FIRST_TARGET = {"normal": 150_000, "lite": 50_000}
REPEAT_TARGET = 10_000
SECTION_HEADING = "## Bytes on the wire (Chromium, first and repeat visit)"
QUIET_SECONDS = 0.5


@dataclass
class Visit:
    bytes: int = 0
    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


@dataclass
class WireResult:
    page: str
    path: str
    mode: str
    signed_in: bool
    first: Visit
    repeat: Visit

    @property
    def met(self) -> bool:
        return self.first.bytes <= FIRST_TARGET[self.mode] and self.repeat.bytes <= REPEAT_TARGET


def _visit(page, cdp, url: str) -> Visit:
    visit = Visit()
    statuses: dict[str, int] = {}

    def received(event):
        statuses[event["requestId"]] = event["response"]["status"]

    def finished(event):
        visit.bytes += int(event.get("encodedDataLength") or 0)
        visit.requests += 1
        status = statuses.get(event["requestId"], 0)
        visit.statuses[status] = visit.statuses.get(status, 0) + 1

    cdp.on("Network.responseReceived", received)
    cdp.on("Network.loadingFinished", finished)
    page.goto(url, wait_until="load")
    time.sleep(QUIET_SECONDS)
    page.wait_for_load_state("networkidle")
    cdp.remove_listener("Network.responseReceived", received)
    cdp.remove_listener("Network.loadingFinished", finished)
    return visit


def measure(
    *, base_url: str, pages: dict[str, str], session_cookie: tuple[str, str] | None, signed_in_pages: set[str]
) -> list[WireResult]:
    """First and repeat visit of each page, normal and lite."""
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, path in pages.items():
                for mode in ("normal", "lite"):
                    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en")
                    cookies = []
                    if mode == "lite":
                        cookies.append({"name": LITE_COOKIE, "value": "1", "url": base_url})
                    signed_in = name in signed_in_pages and session_cookie is not None
                    if signed_in:
                        cookies.append(
                            {"name": session_cookie[0], "value": session_cookie[1], "url": base_url}
                        )
                    if cookies:
                        context.add_cookies(cookies)
                    page = context.new_page()
                    cdp = context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    first = _visit(page, cdp, base_url + path)
                    repeat = _visit(page, cdp, base_url + path)
                    results.append(WireResult(name, path, mode, signed_in, first, repeat))
                    context.close()
        finally:
            browser.close()
    return results


def _kb(value: int) -> str:
    return f"{value / 1000:.1f}"


def section(results: list[WireResult], *, note: str = "") -> str:
    lines = [
        SECTION_HEADING,
        "",
        "`python -m bench --only wire` (bench/wire.py), run "
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC: Debian's Chromium through Playwright "
        "(headless, 1280×800, lazy images not scrolled into view), the site on loopback with production "
        "settings (static files hashed and pre-compressed by WhiteNoise, anonymous HTML gzipped by Django), "
        "demo data. Bytes as received (headers included), from the DevTools "
        "protocol. Targets: first visit ≤ 150 KB normal and ≤ 50 KB lite; repeat visit ≤ 10 KB "
        "(1 KB = 1,000 bytes). In brackets: responses, those from the browser's cache included (0 bytes). "
        "A signed-in page (the conversation) is neither compressed nor stored (`private, no-store`, see "
        "docs/deploy.md), so its repeat visit is its whole HTML again.",
        "",
    ]
    if note:
        lines += [note, ""]
    lines += [
        "| page | visitor | mode | first visit KB (requests) | repeat visit KB (requests) | target |",
        "|---|---|---|---:|---:|---|",
    ]
    for result in results:
        lines.append(
            f"| {result.page} (`{result.path}`) | {'buyer' if result.signed_in else 'anonymous'} "
            f"| {result.mode} "
            f"| {_kb(result.first.bytes)} ({result.first.requests}) "
            f"| {_kb(result.repeat.bytes)} ({result.repeat.requests}) | {'met' if result.met else 'missed'} |"
        )
    lines.append("")
    return "\n".join(lines)


def merge(output, text: str, *, before: str) -> None:
    """Put this section into the results page, replacing the previous one, before the heading `before`."""
    previous = output.read_text(encoding="utf-8") if output.exists() else "# Benchmark results\n"
    if f"\n{SECTION_HEADING}\n" in previous:
        head, rest = previous.split(f"\n{SECTION_HEADING}\n", 1)
        tail = rest.split("\n## ", 1)
        previous = head.rstrip("\n") + "\n" + (f"\n## {tail[1]}" if len(tail) == 2 else "")
    if f"\n{before}\n" in previous:
        head, rest = previous.split(f"\n{before}\n", 1)
        output.write_text(f"{head.rstrip()}\n\n{text}\n{before}\n{rest}", encoding="utf-8")
    else:
        output.write_text(f"{previous.rstrip()}\n\n{text}", encoding="utf-8")


def existing_section(output) -> str:
    if not output.exists():
        return ""
    parts = output.read_text(encoding="utf-8").split(f"\n{SECTION_HEADING}\n", 1)
    if len(parts) != 2:
        return ""
    return f"{SECTION_HEADING}\n" + parts[1].split("\n## ", 1)[0].rstrip("\n") + "\n"
