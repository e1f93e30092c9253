"""Moving the booth-view counters from the cache into daily rows (run by the periodic job)."""

import zoneinfo
from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from exhibitors.models import Booth
from results.counting import KEY_LAST_FLUSH, KEY_UNIQUE, KEY_VIEWS, counter_cache, hour_key, pending_hours
from results.models import BoothDailyViews

BATCH = 500


def booth_views_flush(*, now: datetime | None = None) -> int:
    """Add the cached counters of the hours since the last flush to `BoothDailyViews` (one row per booth
    and day in the fair's time zone), then take what was added off the counters. Returns the views added."""
    now = now or timezone.now()
    cache = counter_cache()
    hours = pending_hours(now=now)
    booths = list(Booth.objects.values_list("pk", "fair__time_zone"))
    added = 0
    for start in range(0, len(booths), BATCH):
        chunk = booths[start : start + BATCH]
        keys = {}
        for booth_id, zone_name in chunk:
            for hour in hours:
                label = hour_key(hour)
                keys[KEY_VIEWS.format(booth=booth_id, hour=label)] = (booth_id, zone_name, hour, "views")
                keys[KEY_UNIQUE.format(booth=booth_id, hour=label)] = (booth_id, zone_name, hour, "unique")
        found = {key: value for key, value in cache.get_many(list(keys)).items() if value}
        if not found:
            continue
        totals: dict[tuple, dict[str, int]] = defaultdict(lambda: {"views": 0, "unique": 0})
        for key, value in found.items():
            booth_id, zone_name, hour, kind = keys[key]
            try:
                zone = zoneinfo.ZoneInfo(zone_name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                zone = zoneinfo.ZoneInfo("UTC")
            totals[(booth_id, hour.astimezone(zone).date())][kind] += int(value)
        with transaction.atomic():
            for (booth_id, day), counts in totals.items():
                row, created = BoothDailyViews.objects.get_or_create(
                    booth_id=booth_id,
                    day=day,
                    defaults={"views": counts["views"], "unique_visitors": counts["unique"]},
                )
                if not created:
                    BoothDailyViews.objects.filter(pk=row.pk).update(
                        views=F("views") + counts["views"],
                        unique_visitors=F("unique_visitors") + counts["unique"],
                    )
                added += counts["views"]
        # Written first, taken off after: views counted meanwhile stay on the counters for the next run.
        for key, value in found.items():
            try:
                cache.decr(key, int(value))
            except ValueError:
                pass
    cache.set(KEY_LAST_FLUSH, hour_key(now), None)
    return added
