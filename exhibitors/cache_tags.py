"""What an anonymous visitor's cached page depends on ("dependency tags"), and purging by tag.

While cms.cache.PageCacheMiddleware renders a page it may keep, the code that loads something for display
names it with `depends_on("booth:12", ...)`. The stored page keeps the tags and the moment its rendering
started. A write names the same tags with `purge(...)`, which, once the transaction commits, stamps each tag
with the time of the change. On a cache hit the middleware reads the tags' stamps in one `get_many`: a page
whose rendering started before any of its tags was stamped (or whose tag stamp is gone from the cache) is
stale and rendered again. Reading the data after the page's start and stamping after the commit means a page
can never keep data older than its tags say, whatever the order of the two.

The tags (`tag_*` below):
  - `site`: everything on every page (the chamber's settings, reference names, the page tree's shape);
    every stored page carries it;
  - `page:<translation key>`: one Wagtail page's own content, in every language (a language without its
    own copy shows the original page at the same path);
  - `fairs`: the list of fairs on the home page;
  - `fair:<translation key>`: which booths a fair shows and what their cards say (fair page, directory):
    any change of a booth, company or product of the fair;
  - `booth:<id>`, `company:<id>`: one booth page's booth, and its company with products and certificates;
  - `presence:<company id>`: the booth page's "online now" line;
  - `image:<id>`: an image shown (exhibitors' {% feria_image %}), also while only its original is shown
    because a rendition is still being made.

Besides tags, a page can say until when it is right (`fresh_until`, e.g. the next phase change of a fair,
the next opening of a booth): the middleware keeps it no longer. A page nothing declared anything for
(`declared` stays False) is kept for at most UNDECLARED_SECONDS, as before purging existed.

Outside a request the middleware records (signed-in people, POSTs, the cache off) `depends_on` and
`fresh_until` cost one context-variable read. With the cache off, purges do nothing at all.

Writes: cms/cache_purge.py connects the model signals to `purge` and to `purge_booths`, `purge_companies`,
`purge_products` and `purge_fair_ids` below, which work out the fairs concerned by a query after the commit;
services that write without signals (bulk_update, QuerySet.update) call them, or `purge_rows`, themselves.
"""

import contextvars
import datetime
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction

TAG_PREFIX = "feria:tag:"
SITE = "site"
FAIRS = "fairs"
# A page that named nothing it depends on may show anything, so it is kept only this long (seconds).
UNDECLARED_SECONDS = 60


@dataclass
class Dependencies:
    """What one page being rendered for the cache depends on."""

    started: float
    tags: set[str] = field(default_factory=lambda: {SITE})
    declared: bool = False
    until: float | None = None


_current: contextvars.ContextVar[Dependencies | None] = contextvars.ContextVar(
    "feria_page_dependencies", default=None
)


def recording_start() -> tuple[Dependencies, contextvars.Token]:
    deps = Dependencies(started=time.time())
    return deps, _current.set(deps)


def recording_stop(token: contextvars.Token) -> None:
    _current.reset(token)


def recording() -> Dependencies | None:
    return _current.get()


def depends_on(*tags: str) -> None:
    """The page being rendered shows what these tags name (nothing happens outside a recorded render)."""
    deps = _current.get()
    if deps is not None:
        deps.tags.update(tags)
        deps.declared = True


def fresh_until(moment: datetime.datetime | float | None) -> None:
    """The page being rendered changes by itself at `moment` (a phase starts, a booth opens)."""
    deps = _current.get()
    if deps is None or moment is None:
        return
    stamp = moment.timestamp() if isinstance(moment, datetime.datetime) else float(moment)
    if deps.until is None or stamp < deps.until:
        deps.until = stamp


def fresh_until_next(moments: Iterable[datetime.datetime | None]) -> None:
    """The page changes by itself at the first of `moments` still to come (the others are past)."""
    if _current.get() is None:
        return
    now = datetime.datetime.now(datetime.UTC)
    coming = [moment for moment in moments if moment is not None and moment > now]
    if coming:
        fresh_until(min(coming))


def fair_phase_moments(fair) -> list[datetime.datetime]:
    """When a fair's phase (applications open, live, closed) changes by the clock alone."""
    return [fair.applications_open_at, fair.applications_close_at, fair.starts_at, fair.ends_at]


# --- Tags ---


def tag_page(translation_key) -> str:
    return f"page:{translation_key}"


def tag_fair(translation_key) -> str:
    return f"fair:{translation_key}"


def tag_booth(booth_id: int) -> str:
    return f"booth:{int(booth_id)}"


def tag_company(company_id: int) -> str:
    return f"company:{int(company_id)}"


def tag_image(image_id: int) -> str:
    return f"image:{int(image_id)}"


def tag_presence(company_id: int) -> str:
    return f"presence:{int(company_id)}"


def tag_key(tag: str) -> str:
    return TAG_PREFIX + tag


# --- Reading and stamping ---


def _cache():
    return caches["default"]


def stamps(tags: Iterable[str]) -> dict[str, float]:
    """The tags' last-change stamps (tags missing from the cache are left out). One round trip."""
    tags = list(tags)
    found = _cache().get_many([tag_key(tag) for tag in tags])
    return {tag: found[tag_key(tag)] for tag in tags if tag_key(tag) in found}


def stamps_ready(tags: Iterable[str], started: float) -> bool:
    """Before storing a page whose rendering started at `started`: False when one of its tags was purged
    since (the page is already stale); tags that have no stamp yet (never purged, or evicted) get `started`,
    so the page can be served (a purge meanwhile keeps its own, later stamp: `add` never overwrites)."""
    tags = list(tags)
    found = stamps(tags)
    if any(stamp > started for stamp in found.values()):
        return False
    cache = _cache()
    for tag in tags:
        if tag not in found:
            cache.add(tag_key(tag), started, None)
    return True


def is_current(tags: Iterable[str], started: float) -> bool:
    """A page whose rendering started at `started` still shows what its tags name (one round trip)."""
    tags = list(tags)
    found = stamps(tags)
    return len(found) == len(tags) and all(stamp <= started for stamp in found.values())


def enabled() -> bool:
    return int(getattr(settings, "FERIA_PAGE_CACHE_SECONDS", 0) or 0) > 0


def purge_now(tags: Iterable[str]) -> None:
    tags = {tag for tag in tags if tag}
    if tags and enabled():
        now = time.time()
        _cache().set_many({tag_key(tag): now for tag in tags}, None)


def purge(*tags: str) -> None:
    """Pages showing what these tags name are rendered again, from the moment the transaction commits."""
    if enabled() and any(tags):
        transaction.on_commit(lambda: purge_now(tags))


def purge_later(tags_of: Callable[[], Iterable[str]]) -> None:
    """Like purge, for tags worked out (by a query) once the transaction has committed: a write pays it after
    its transaction, and not at all when the cache is off."""
    if enabled():
        transaction.on_commit(lambda: purge_now(tags_of()))


# --- What a write changes (cms/cache_purge.py connects the model signals to these) ---


def _fair_keys(fair_ids) -> list:
    fair_ids = {fair_id for fair_id in fair_ids if fair_id}
    if not fair_ids:
        return []
    from wagtail.models import Page

    return list(Page.objects.filter(pk__in=fair_ids).values_list("translation_key", flat=True))


def purge_fair_ids(fair_ids, *, page: bool = False) -> None:
    """The fairs' listings (fair page, directory); with `page`, also everything showing the fair itself
    (its booth pages show its halls and packages)."""
    fair_ids = set(fair_ids)

    def tags():
        keys = _fair_keys(fair_ids)
        return [tag_fair(key) for key in keys] + ([tag_page(key) for key in keys] if page else [])

    purge_later(tags)


def purge_booths(booth_ids, *, fair_ids=()) -> None:
    """Booth pages, and the listings of their fairs (looked up unless given)."""
    booth_ids = {int(booth_id) for booth_id in booth_ids if booth_id}
    fair_ids = set(fair_ids)
    if not booth_ids:
        return

    def tags():
        Booth = apps.get_model("exhibitors", "Booth")
        found = fair_ids | set(Booth.objects.filter(pk__in=booth_ids).values_list("fair_id", flat=True))
        return [tag_booth(booth_id) for booth_id in booth_ids] + [tag_fair(key) for key in _fair_keys(found)]

    purge_later(tags)


def purge_companies(company_ids) -> None:
    """Everything showing the companies: their booth pages, and the listings of the fairs they are at."""
    company_ids = {int(company_id) for company_id in company_ids if company_id}
    if not company_ids:
        return

    purge_later(lambda: _company_tags_now(company_ids))


def purge_rows(rows) -> None:
    """Rows changed without signals (bulk_update): a booth's gallery, brochures or products, a company's
    products or a product's pictures; whatever shows them."""
    booth_rows = [row for row in rows if hasattr(row, "booth_id")]
    other_rows = [row for row in rows if not hasattr(row, "booth_id")]
    purge_booths(row.booth_id for row in booth_rows)
    purge_products(row.product_id for row in other_rows if hasattr(row, "product_id"))
    purge_companies(row.company_id for row in other_rows if hasattr(row, "company_id"))


def purge_products(product_ids) -> None:
    product_ids = {int(product_id) for product_id in product_ids if product_id}
    if not product_ids:
        return

    def company_ids():
        Product = apps.get_model("exhibitors", "Product")
        return Product.objects.filter(pk__in=product_ids).values_list("company_id", flat=True)

    # The product's company is known only by a query: done after the commit, then its companies purged.
    purge_later(lambda: _company_tags_now(company_ids()))


def _company_tags_now(company_ids) -> list[str]:
    Booth = apps.get_model("exhibitors", "Booth")
    company_ids = set(company_ids)
    fair_ids = set(Booth.objects.filter(company_id__in=company_ids).values_list("fair_id", flat=True))
    tags = [tag_company(company_id) for company_id in company_ids]
    return tags + [tag_fair(key) for key in _fair_keys(fair_ids)]
