"""Booth views counted in the cache, never in the database while a page is served.

The booth page carries a 1x1 beacon (`/<lang>/v/booth/<id>.gif`, results.views.beacon). Each beacon request
adds one to the booth's counter for the current UTC hour and, the first time a visitor is seen on a booth
that UTC day, one to its unique-visitor counter for that hour. A visitor is a salted hash of their address
and browser (the salt changes every UTC day and is derived from SECRET_KEY, so yesterday's hashes cannot be
matched with today's, and the address itself is never stored). `results_views_flush` (cms/periodic.py) moves
the counters into `BoothDailyViews` rows, one per booth and day of the fair's time zone.

The counters live in the `results` cache (settings.CACHES): Redis when REDIS_URL is set, else a file cache
every local process shares (the web server counts, run_periodic flushes).
"""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

CACHE_ALIAS = "results"
KEY_VIEWS = "results:v:{booth}:{hour}"
KEY_UNIQUE = "results:u:{booth}:{hour}"
KEY_SEEN = "results:s:{booth}:{day}:{visitor}"
KEY_LAST_FLUSH = "results:last-flush-hour"
# Counters outlive the longest pause of the periodic job we make up for; the visitor marks, their day.
COUNTER_TTL = 7 * 24 * 3600
SEEN_TTL = 26 * 3600
# How far back the flush looks when it does not know when it last ran.
LOOKBACK_HOURS = 48


def counter_cache():
    return caches[CACHE_ALIAS] if CACHE_ALIAS in settings.CACHES else caches["default"]


def hour_key(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H")


def visitor_hash(*, address: str, user_agent: str, day: str) -> str:
    """The visitor's key for one UTC day: HMAC of address and browser with a salt made from the day."""
    salt = hmac.new(settings.SECRET_KEY.encode(), f"results-visitor:{day}".encode(), hashlib.sha256).digest()
    return hmac.new(salt, f"{address}|{user_agent}".encode(), hashlib.sha256).hexdigest()[:32]


def _incr(cache, key: str) -> None:
    if cache.add(key, 1, COUNTER_TTL):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired (or Redis down) between add and incr
        cache.add(key, 1, COUNTER_TTL)


def booth_view_count(*, booth_id: int, address: str, user_agent: str, now: datetime | None = None) -> None:
    """Count one view of the booth (and a unique visitor, if new today). Touches the cache only."""
    now = now or timezone.now()
    cache = counter_cache()
    hour = hour_key(now)
    _incr(cache, KEY_VIEWS.format(booth=booth_id, hour=hour))
    day = hour[:8]
    visitor = visitor_hash(address=address, user_agent=user_agent, day=day)
    if cache.add(KEY_SEEN.format(booth=booth_id, day=day, visitor=visitor), 1, SEEN_TTL):
        _incr(cache, KEY_UNIQUE.format(booth=booth_id, hour=hour))


def pending_hours(*, now: datetime) -> list[datetime]:
    """The UTC hours whose counters the flush reads: from the hour it last ran (at most LOOKBACK_HOURS ago)
    up to now."""
    current = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    last = counter_cache().get(KEY_LAST_FLUSH)
    start = current - timedelta(hours=LOOKBACK_HOURS)
    if last:
        known = datetime.strptime(last, "%Y%m%d%H").replace(tzinfo=UTC)
        start = max(start, known)
    hours = []
    moment = start
    while moment <= current:
        hours.append(moment)
        moment += timedelta(hours=1)
    return hours
