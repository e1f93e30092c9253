"""Money, dates and times in the viewer's language and time zone.

Django's own filters localise numbers and dates but know nothing of currencies or time-zone names, so
these helpers use Babel with the active language and Django's active time zone (set per request by
cms.middleware.UserTimezoneMiddleware). Each filter also exists as a plain function for Python code.
"""

import datetime
import zoneinfo
from decimal import Decimal, InvalidOperation

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import format_date, format_datetime, format_skeleton, format_time
from babel.numbers import format_currency, format_decimal, get_currency_precision
from django import template
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext

register = template.Library()


def babel_locale() -> Locale:
    """The Babel locale of the active language (the site's language when none is active)."""
    code = translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(translation.to_locale(settings.LANGUAGE_CODE))


def as_zone(zone=None) -> datetime.tzinfo:
    """A tzinfo from a zone name, a tzinfo or None (the active time zone)."""
    if zone is None or zone == "":
        return timezone.get_current_timezone()
    if isinstance(zone, datetime.tzinfo):
        return zone
    try:
        return zoneinfo.ZoneInfo(str(zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_current_timezone()


def zone_key(zone=None) -> str:
    """The IANA name of a zone (e.g. "America/Lima")."""
    tz = as_zone(zone)
    return getattr(tz, "key", None) or str(tz)


# --- Money ---


def format_money(amount, currency: str) -> str:
    """A Decimal (or int) amount in major units with its ISO currency, e.g. "US$1,500.00" / "1.500,00 US$"."""
    if amount is None or amount == "" or not currency:
        return ""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return ""
    return format_currency(value, currency.upper(), locale=babel_locale())


def format_money_minor(amount_minor, currency: str) -> str:
    """Integer minor units (15000 = 150.00 USD) with their ISO currency."""
    if amount_minor is None or amount_minor == "" or not currency:
        return ""
    digits = get_currency_precision(currency.upper())
    return format_money(Decimal(int(amount_minor)).scaleb(-digits), currency)


def format_price_range(price_min, price_max, currency: str) -> str:
    """ "US$2.00 – US$3.50", "from US$2.00", "up to US$3.50", or "" when no price is given."""
    low = format_money(price_min, currency)
    high = format_money(price_max, currency)
    if low and high:
        if low == high:
            return low
        return gettext("%(low)s – %(high)s") % {"low": low, "high": high}
    if low:
        return gettext("from %(price)s") % {"price": low}
    if high:
        return gettext("up to %(price)s") % {"price": high}
    return ""


def format_number(value) -> str:
    """A whole or decimal number with the viewer's grouping and decimal signs ("1,500" / "1.500")."""
    if value is None or value == "":
        return ""
    try:
        return format_decimal(Decimal(str(value)), locale=babel_locale())
    except (InvalidOperation, ValueError):
        return ""


@register.filter
def number(value):
    return format_number(value)


@register.filter
def money(amount, currency):
    return format_money(amount, currency)


@register.filter
def money_minor(amount_minor, currency):
    return format_money_minor(amount_minor, currency)


@register.simple_tag
def price_range(price_min, price_max, currency):
    return format_price_range(price_min, price_max, currency)


# --- Dates and times ---


def _aware(value) -> datetime.datetime | None:
    if not isinstance(value, datetime.datetime):
        return None
    if timezone.is_naive(value):
        return timezone.make_aware(value, datetime.UTC)
    return value


def format_local_datetime(value, zone=None, with_zone: bool = True) -> str:
    """Weekday, date and time in `zone` (default: the viewer's), then the zone's name in the viewer's
    language."""
    value = _aware(value)
    if value is None:
        return ""
    tz = as_zone(zone)
    locale = babel_locale()
    date_part = format_skeleton("yMMMEd", value, tzinfo=tz, locale=locale)
    time_part = format_time(value, "short", tzinfo=tz, locale=locale)
    text = locale.datetime_formats["medium"].format(time_part, date_part)
    if with_zone:
        text = f"{text} ({format_zone_name(value, tz)})"
    return text


def format_local_date(value, zone=None) -> str:
    """The date (weekday, day, month, year) in `zone`, default the viewer's."""
    if isinstance(value, datetime.datetime):
        value = _aware(value).astimezone(as_zone(zone))
    if not isinstance(value, datetime.date):
        return ""
    return format_skeleton("yMMMEd", value, locale=babel_locale())


def format_local_time(value, zone=None) -> str:
    """The time of day in `zone` (default the viewer's), e.g. "9:00 AM" / "09:00"."""
    if isinstance(value, datetime.datetime):
        return format_time(_aware(value), "short", tzinfo=as_zone(zone), locale=babel_locale())
    if isinstance(value, datetime.time):
        return format_time(value, "short", locale=babel_locale())
    return ""


def format_weekday(value, zone=None) -> str:
    """The full weekday name of a date or of an instant in `zone`."""
    if isinstance(value, datetime.datetime):
        value = _aware(value).astimezone(as_zone(zone))
    if not isinstance(value, datetime.date):
        return ""
    return format_date(value, "EEEE", locale=babel_locale())


def format_zone_name(when=None, zone=None) -> str:
    """The zone's name in the viewer's language at `when` (so summer time is named as such)."""
    tz = as_zone(zone)
    when = _aware(when) or timezone.now()
    return format_datetime(when, "zzzz", tzinfo=tz, locale=babel_locale())


@register.filter
def local_datetime(value, zone=None):
    return format_local_datetime(value, zone)


@register.filter
def local_datetime_plain(value, zone=None):
    """As local_datetime, without the zone's name (for lists that state the zone once)."""
    return format_local_datetime(value, zone, with_zone=False)


@register.filter
def local_date(value, zone=None):
    return format_local_date(value, zone)


@register.filter
def local_time(value, zone=None):
    return format_local_time(value, zone)


@register.filter
def weekday(value, zone=None):
    return format_weekday(value, zone)


@register.filter
def zone_name(zone=None, when=None):
    """{{ fair.time_zone|zone_name }}: "Peru Standard Time"; the IANA name is {{ fair.time_zone }}."""
    return format_zone_name(when, zone)


def format_zone_label(zone=None, when=None) -> str:
    """The zone's name in the viewer's language and its IANA name: "Peru Standard Time (America/Lima)"."""
    return f"{format_zone_name(when, zone)} ({zone_key(zone)})"


@register.filter
def zone_label(zone=None, when=None):
    return format_zone_label(zone, when)


@register.simple_tag
def viewer_zone():
    """The IANA name of the viewer's active time zone."""
    return zone_key(None)


@register.simple_tag
def viewer_zone_label():
    """The viewer's active time zone, named as zone_label does."""
    return format_zone_label(None)
