"""Time zones offered to people: grouped by country with the current UTC offset, and guessed from a country
when the browser did not say (CLDR data shipped with Babel; the zones themselves from the tz database)."""

import zoneinfo
from collections import Counter
from datetime import datetime
from functools import lru_cache

from babel import Locale as BabelLocale
from babel.core import get_global
from babel.dates import get_timezone_location
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import to_locale
from django.utils.translation.trans_real import parse_accept_lang_header
from django_countries import countries

from exhibitors.collation import collation_key


@lru_cache(maxsize=1)
def _available() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def zone_is_valid(name: str) -> bool:
    return bool(name) and name in _available()


def _offset_minutes(name: str, at: datetime) -> int:
    return int(at.astimezone(zoneinfo.ZoneInfo(name)).utcoffset().total_seconds() // 60)


def _offset_label(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def zone_for_country(code: str, *, at: datetime | None = None) -> str | None:
    """The zone most of the country lives by (the offset most of its zones share, preferring the zone CLDR
    names as a region's main one); None for a code with no zone."""
    zones = [
        name for name in get_global("territory_zones").get((code or "").upper(), []) if zone_is_valid(name)
    ]
    if not zones:
        return None
    at = at or timezone.now()
    offsets = {name: _offset_minutes(name, at) for name in zones}
    most_common = Counter(offsets.values()).most_common(1)[0][0]
    candidates = [name for name in zones if offsets[name] == most_common]
    main_zones = set(get_global("windows_zone_mapping").values())
    return next((name for name in candidates if name in main_zones), candidates[0])


def zone_from_accept_language(header: str) -> str | None:
    """A zone guessed from the first country named in the browser's languages ("de-DE" → Europe/Berlin)."""
    for tag, _quality in parse_accept_lang_header(header or ""):
        parts = tag.replace("_", "-").split("-")
        region = next((part for part in parts[1:] if len(part) == 2 and part.isalpha()), None)
        if region and (zone := zone_for_country(region)):
            return zone
    return None


def time_zone_choices(*, current: str = "") -> list:
    """Choices for a <select> with one <optgroup> per country (sorted in the reader's language), each zone
    labelled with its city and today's UTC offset; UTC first. The person's current zone is kept even when
    it belongs to no country."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    today = timezone.now().date()
    choices = list(_choices(language, today))
    if current and zone_is_valid(current) and not any(current == value for value, _label in _flat(choices)):
        choices.append((_("Other"), [(current, current)]))
    return choices


def _flat(choices):
    for value, label in choices:
        if isinstance(label, list):
            yield from label
        else:
            yield value, label


@lru_cache(maxsize=8)
def _choices(language: str, day) -> tuple:
    """Cached per language and day (offsets change with daylight saving time)."""
    try:
        locale = BabelLocale.parse(to_locale(language))
    except (ValueError, TypeError):
        locale = BabelLocale.parse("en")
    at = timezone.now()
    groups = []
    for code, zones in get_global("territory_zones").items():
        valid = [name for name in zones if zone_is_valid(name)]
        country = countries.name(code)
        if not valid or not country:
            continue
        options = []
        for name in valid:
            minutes = _offset_minutes(name, at)
            city = get_timezone_location(name, locale=locale, return_city=True)
            options.append((minutes, city, name))
        options.sort(key=lambda option: (option[0], collation_key(option[1], language)))
        labelled = [(name, f"{city} ({_offset_label(minutes)})") for minutes, city, name in options]
        groups.append((country, labelled))
    groups.sort(key=lambda group: collation_key(str(group[0]), language))
    return (("UTC", "UTC"), *((str(country), labelled) for country, labelled in groups))
