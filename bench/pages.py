"""Inside Django (run by the bench as `python -m bench.pages OUT.json`): the pages to measure and the
database queries each one makes, through the test client with CaptureQueriesContext.

It runs right after a fresh migrate and seed_demo, so it first times each page's first view (`first_views`):
the first request after the seed against the next few, and how many image renditions the views made (none:
seed_demo and the task worker make them, never a page view).

Counts are taken on the second request, for an anonymous visitor and for the demo buyer, with the page
cache off. For the anonymous visitor it also times the page in-process (no server, no network): the median
of a few requests, and the part of it spent in queries.
"""

import json
import re
import statistics
import sys
import time
from html import unescape
from pathlib import Path
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
        "directory_all": link("/exhibitors/"),
        "directory": f"{link('/exhibitors/')}?{urlencode({'q': SEARCH_QUERY})}",
        # The demo exhibitor's booth: the Premium package, four gallery pictures, five products.
        "booth": link(f"/{data.DEMO_OWNER_COMPANY}/"),
    }


# (page, who, language): the booth page three ways (its first views were the slow ones: 2.2 s signed in, up
# to 6.9 s in Spanish, while a rendition was made per picture), then the other pages.
FIRST_VIEWS = (
    ("booth", "anonymous", "en"),
    ("booth", "buyer", "en"),
    ("booth", "anonymous", "es"),
    ("home", "anonymous", "en"),
    ("fair", "anonymous", "en"),
    ("directory", "anonymous", "en"),
)
LATER_VIEWS = 3


def first_view_urls() -> dict[str, str]:
    """The pages, found without viewing any of them (a view would no longer be a first one)."""
    from django.urls import reverse
    from django.utils import translation
    from wagtail.models import Site

    from cms.demo import data
    from fair.models import FairPage

    home = Site.objects.get(is_default_site=True).root_page
    fair = FairPage.objects.get(slug=data.LIVE_FAIR.slug, locale=home.locale)
    urls = {"home": home.url, "fair": fair.url}
    for language in ("en", "es"):
        with translation.override(language):
            urls[f"booth/{language}"] = reverse(
                "fair:booth", kwargs={"fair_slug": fair.slug, "company_slug": data.DEMO_OWNER_COMPANY}
            )
    urls["directory"] = f"{fair.url}exhibitors/?{urlencode({'q': SEARCH_QUERY})}"
    return urls


def first_views() -> list[dict]:
    """Each page's first view after the seed, then the median of the next LATER_VIEWS, in ms, and the
    renditions made meanwhile. The process first serves the plain view and a 404 page, so settings, URLs,
    middleware and the base template are loaded before the first page is timed."""
    from django.test import Client
    from wagtail.images import get_image_model

    from exhibitors.models import User

    renditions = get_image_model().get_rendition_model().objects
    urls = first_view_urls()
    clients = {"anonymous": Client(HTTP_HOST="127.0.0.1"), "buyer": Client(HTTP_HOST="127.0.0.1")}
    clients["buyer"].force_login(User.objects.get(email="buyer@feria.example"))
    for client in clients.values():
        client.get("/bench/plain")
        client.get("/en/no-such-page/")
    rows = []
    for page, who, language in FIRST_VIEWS:
        url = urls[f"booth/{language}"] if page == "booth" else urls[page]
        client = clients[who]
        before = renditions.count()
        timings = []
        for _ in range(1 + LATER_VIEWS):
            started = time.perf_counter()
            response = client.get(url)
            timings.append(1000 * (time.perf_counter() - started))
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code} to the {who}")
        rows.append(
            {
                "page": page,
                "who": who,
                "language": language,
                "url": url,
                "first_ms": timings[0],
                "later_ms": statistics.median(timings[1:]),
                "renditions_made": renditions.count() - before,
            }
        )
    return rows


def query_counts(urls: dict[str, str]) -> dict[str, dict[str, float]]:
    """Per page: queries of the second request for an anonymous visitor and for the demo buyer, page cache
    off, and for the buyer with the page cache on (the shared part kept, only the holes filled); the
    in-process time of the anonymous visitor's page, and of the buyer's page with the cache off and on."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from exhibitors.models import User

    buyer = User.objects.get(email="buyer@feria.example")
    counts: dict[str, dict[str, float]] = {}
    for who in ("anonymous", "buyer", "buyer_kept"):
        with override_settings(FERIA_PAGE_CACHE_SECONDS=600 if who == "buyer_kept" else 0):
            client = Client(HTTP_HOST="127.0.0.1")
            if who != "anonymous":
                client.force_login(buyer)
            for name, url in urls.items():
                client.get(url)
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"{url} answered {response.status_code} to the {who}")
                counts.setdefault(name, {})[who] = len(queries)
                durations, in_queries = [], []
                for _ in range(7):
                    timer = QueryTimer()
                    started = time.perf_counter()
                    with connection.execute_wrapper(timer):
                        client.get(url)
                    durations.append(time.perf_counter() - started)
                    in_queries.append(timer.seconds)
                suffix = "" if who == "anonymous" else f"_{who}"
                counts[name][f"service_ms{suffix}"] = 1000 * statistics.median(durations)
                counts[name][f"query_ms{suffix}"] = 1000 * statistics.median(in_queries)
    return counts


# Where a page's Python time goes, by the module each function is in (its own time, callees excluded).
PROFILE_AREAS = (
    ("django/template", "templates"),
    ("wagtail/templatetags", "templates"),
    ("django/db/models", "ORM: building and compiling queries"),
    ("django/db/backends", "database driver and waiting"),
    ("psycopg", "database driver and waiting"),
    ("sqlite3", "database driver and waiting"),
    ("wagtail", "Wagtail (routing, sites, locales, images)"),
    ("django/middleware", "middleware"),
    ("django/contrib", "middleware"),
    ("allauth", "middleware"),
    ("django_otp", "middleware"),
    ("axes", "middleware"),
    ("csp", "middleware"),
    ("django/utils/translation", "translations"),
    ("/redis/", "cache (Redis client)"),
    ("django/core/cache", "cache (Redis client)"),
    ("django/urls", "URL resolving"),
    ("django/core/handlers", "Django's request handling"),
    ("django/http", "Django's request handling"),
    ("django/test", "test client (not in a real server)"),
    ("django/utils/functional", "lazy objects (settings, user, translations)"),
    ("asgiref", "lazy objects (settings, user, translations)"),
    ("django/conf", "lazy objects (settings, user, translations)"),
)
PROJECT_DIRS = ("/cms/", "/exhibitors/", "/fair/", "/payments/", "/complaints/", "/quotes/", "/results/")


def _area(filename: str) -> str:
    for fragment, area in PROFILE_AREAS:
        if fragment in filename:
            return area
    if "site-packages" not in filename and any(part in filename for part in PROJECT_DIRS):
        return "Feria's own code"
    return "other Python"


def profiles(urls: dict[str, str], rounds: int = 10) -> dict[str, dict]:
    """cProfile (CPU time) of each page for the buyer, page cache off and on: CPU ms per request and the
    share of it by area, and the functions with the most time of their own."""
    import cProfile
    import pstats

    from django.test import Client, override_settings

    from exhibitors.models import User

    buyer = User.objects.get(email="buyer@feria.example")
    result: dict[str, dict] = {}
    for mode, seconds in (("rendered", 0), ("kept", 600)):
        with override_settings(FERIA_PAGE_CACHE_SECONDS=seconds):
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(buyer)
            for name, url in urls.items():
                if name == "plain":
                    continue
                client.get(url)
                client.get(url)
                started = time.process_time()
                for _ in range(rounds):
                    client.get(url)
                cpu_ms = 1000 * (time.process_time() - started) / rounds
                profiler = cProfile.Profile(time.process_time)
                profiler.enable()
                for _ in range(rounds):
                    client.get(url)
                profiler.disable()
                stats = pstats.Stats(profiler).stats
                # A built-in (isinstance, getattr, dict.get ...) has no module: its time goes to the function
                # that called it, so each area and function carries the built-ins it spends its time in.
                own: dict[tuple, float] = {}
                for function, (_cc, _nc, tottime, _cumulative, callers) in stats.items():
                    if function[0] == "~":
                        for caller, caller_stats in callers.items():
                            own[caller] = own.get(caller, 0.0) + caller_stats[2]
                    else:
                        own[function] = own.get(function, 0.0) + tottime
                total = sum(own.values()) or 1.0
                areas: dict[str, float] = {}
                for (filename, _line, _function), seconds in own.items():
                    areas[_area(filename)] = areas.get(_area(filename), 0.0) + seconds
                top = sorted(own.items(), key=lambda item: item[1], reverse=True)[:5]
                result.setdefault(name, {})[mode] = {
                    "cpu_ms": cpu_ms,
                    "areas": {
                        area: spent / total for area, spent in sorted(areas.items(), key=lambda a: -a[1])
                    },
                    "top": [
                        {
                            "function": f"{Path(filename).parent.name}/{Path(filename).name}:{function}",
                            "share": seconds / total,
                        }
                        for (filename, _line, function), seconds in top
                    ],
                }
    return result


def buyer_session() -> list[str]:
    """A session cookie of the demo buyer, for the load generator: (cookie name, value)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from exhibitors.models import User

    buyer = User.objects.get(email="buyer@feria.example")
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(buyer.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = buyer.get_session_auth_hash()
    store.save()
    return [settings.SESSION_COOKIE_NAME, store.session_key]


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
    first = first_views()  # before anything else views a page
    urls = pages()
    result = {
        "urls": urls,
        "queries": query_counts(urls),
        "first_views": first,
        "profiles": profiles(urls),
        "session": buyer_session(),
    }
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(result, out, indent=2)


if __name__ == "__main__":
    main()
