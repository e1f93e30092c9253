"""What a first visit to a page downloads: the HTML, then every stylesheet, script and image it references
(and what the stylesheets reference), each fetched once, as a browser with an empty cache would.

Bytes are counted as they come over the wire, asking for gzip like a browser does (static files are
pre-compressed by the production storage; Django does not compress HTML itself, a proxy usually does, so the
gzipped size of the HTML is reported beside it).
"""

import gzip
import http.client
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


@dataclass
class Asset:
    url: str
    kind: str
    status: int
    wire_bytes: int
    raw_bytes: int


@dataclass
class PageWeight:
    path: str
    html_wire: int = 0
    html_raw: int = 0
    html_gzip: int = 0
    assets: list[Asset] = field(default_factory=list)

    def total(self, kind: str | None = None) -> int:
        return sum(asset.wire_bytes for asset in self.assets if kind is None or asset.kind == kind)

    @property
    def first_load(self) -> int:
        return self.html_wire + self.total()

    @property
    def first_load_gzipped_html(self) -> int:
        return self.html_gzip + self.total()

    @property
    def broken(self) -> list[Asset]:
        return [asset for asset in self.assets if asset.status != 200]


class _References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").split() and attributes.get("href"):
            self.found.append(("css", attributes["href"]))
        elif tag == "link" and "icon" in (attributes.get("rel") or "").split() and attributes.get("href"):
            self.found.append(("image", attributes["href"]))
        elif tag == "script" and attributes.get("src"):
            self.found.append(("js", attributes["src"]))
        elif tag == "img" and attributes.get("src"):
            self.found.append(("image", attributes["src"]))
        elif tag == "source" and attributes.get("srcset"):
            # A <picture> source: the browser takes one candidate; count the first.
            self.found.append(("image", attributes["srcset"].split(",")[0].split()[0]))


def _fetch(host: str, port: int, path: str) -> tuple[int, int, bytes]:
    """(status, bytes on the wire, decoded body)."""
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip", "Accept-Language": "en"})
        response = connection.getresponse()
        body = response.read()
        wire = len(body)
        if response.getheader("Content-Encoding", "") == "gzip":
            body = gzip.decompress(body)
        return response.status, wire, body
    finally:
        connection.close()


def page_weight(*, host: str, port: int, path: str) -> PageWeight:
    """Fetch a page and everything it references once; count the bytes."""
    weight = PageWeight(path=path)
    status, wire, html = _fetch(host, port, path)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    weight.html_wire, weight.html_raw = wire, len(html)
    weight.html_gzip = len(gzip.compress(html, compresslevel=6))
    parser = _References()
    parser.feed(html.decode("utf-8", "replace"))
    queue = [(kind, urljoin(path, ref)) for kind, ref in parser.found]
    seen: set[str] = set()
    while queue:
        kind, url = queue.pop(0)
        parts = urlsplit(url)
        if parts.scheme and parts.netloc and parts.netloc != f"{host}:{port}":
            # Nothing may come from elsewhere (CSP); count it as broken so it shows up.
            weight.assets.append(Asset(url, kind, 0, 0, 0))
            continue
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        if local in seen or local.startswith("data:"):
            continue
        seen.add(local)
        status, wire, body = _fetch(host, port, local)
        weight.assets.append(Asset(local, kind, status, wire, len(body)))
        if kind == "css" and status == 200:
            for ref in CSS_URL.findall(body.decode("utf-8", "replace")):
                if not ref.startswith("data:"):
                    queue.append(
                        ("image" if not ref.endswith((".woff", ".woff2")) else "font", urljoin(local, ref))
                    )
    return weight
