"""The fair's meeting days and wall-clock arithmetic in the fair's time zone."""

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.utils import timezone


def meeting_days(fair) -> tuple[date, date]:
    """First and last meeting day, in the fair's zone: the chamber's setting, else the fair's own dates."""
    zone = zoneinfo.ZoneInfo(fair.time_zone)
    first = fair.meetings_first_day or timezone.localtime(fair.starts_at, zone).date()
    last = fair.meetings_last_day or timezone.localtime(fair.ends_at, zone).date()
    return first, last


def day_of(when: datetime, fair) -> date:
    """The calendar day an instant falls on in the fair's zone."""
    return timezone.localtime(when, zoneinfo.ZoneInfo(fair.time_zone)).date()


def within_meeting_days(*, fair, starts_at: datetime, ends_at: datetime) -> bool:
    first, last = meeting_days(fair)
    return first <= day_of(starts_at, fair) and day_of(ends_at - timedelta(microseconds=1), fair) <= last


def wall_clock(day: date, at: time, zone: zoneinfo.ZoneInfo) -> datetime | None:
    """The instant a wall-clock time happens on a day in a zone; None when the clocks skip it (the hour lost
    when summer time starts). A time that happens twice (summer time ends) is its first occurrence."""
    local = datetime.combine(day, at).replace(tzinfo=zone, fold=0)
    instant = local.astimezone(zoneinfo.ZoneInfo("UTC"))
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return instant


def day_bounds(day: date, zone: zoneinfo.ZoneInfo) -> tuple[datetime, datetime]:
    """The instants a calendar day starts and ends in a zone (23 or 25 hours apart on DST days)."""
    start = datetime.combine(day, time.min).replace(tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min).replace(tzinfo=zone)
    return start, end
