"""Inside Django (run by the bench as `python -m bench.pages OUT.json`): the pages to measure and the
database queries each one makes, through the test client with CaptureQueriesContext.

Counts are taken on the second request (the first one also makes the image renditions), for an anonymous
visitor and for the demo buyer, with the page cache off. For the anonymous visitor it also times the page
in-process (no server, no network): the median of a few requests, and the part of it spent in queries.
"""

import json
import re
import statistics
import sys
import time
from html import unescape
from urllib.parse import urlencode, urlsplit

import django

SEARCH_QUERY = "quinoa"


def pages() -> dict[str, str]:
    """The pages to measure; the directory and the booth as the fair page links to them."""
    from django.test import Client
    from wagtail.models import Site

    from cms.demo import data
    from fair.models import FairPage

    home = Site.objects.get(is_default_site=True).root_page
    fair = FairPage.objects.get(slug=data.LIVE_FAIR.slug, locale=home.locale)
    fair_html = Client(HTTP_HOST="127.0.0.1").get(fair.url).content.decode()
    links = [unescape(link) for link in re.findall(r'(?:href|action)="([^"]+)"', fair_html)]

    def link(containing: str) -> str:
        for found in links:
            if containing in found:
                return urlsplit(found).path
        raise SystemExit(f"the fair page {fair.url} has no link containing {containing!r}")

    return {
        "plain": "/bench/plain",
        "home": home.url,
        "fair": fair.url,
        "directory": f"{link('/exhibitors/')}?{urlencode({'q': SEARCH_QUERY})}",
        # The demo exhibitor's booth: the Premium package, four gallery pictures, five products.
        "booth": link(f"/{data.DEMO_OWNER_COMPANY}/"),
    }


def query_counts(urls: dict[str, str]) -> dict[str, dict[str, float]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from exhibitors.models import User

    buyer = User.objects.get(email="buyer@feria.example")
    counts: dict[str, dict[str, float]] = {}
    for who in ("anonymous", "buyer"):
        client = Client(HTTP_HOST="127.0.0.1")
        if who == "buyer":
            client.force_login(buyer)
        for name, url in urls.items():
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code} to the {who}")
            counts.setdefault(name, {})[who] = len(queries)
            if who == "anonymous":
                durations, in_queries = [], []
                for _ in range(7):
                    timer = QueryTimer()
                    started = time.perf_counter()
                    with connection.execute_wrapper(timer):
                        client.get(url)
                    durations.append(time.perf_counter() - started)
                    in_queries.append(timer.seconds)
                counts[name]["service_ms"] = 1000 * statistics.median(durations)
                counts[name]["query_ms"] = 1000 * statistics.median(in_queries)
    return counts


class QueryTimer:
    """Time spent waiting for the database (Django's own query log rounds to whole milliseconds)."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def main() -> None:
    django.setup()
    urls = pages()
    result = {"urls": urls, "queries": query_counts(urls)}
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(result, out, indent=2)


if __name__ == "__main__":
    main()
