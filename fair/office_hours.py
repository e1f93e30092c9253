"""When a booth is staffed: weekly slots kept in the fair's time zone, turned into real instants.

A slot says "Mondays 09:00–17:00" in the fair's zone. To show it in a viewer's zone, or to say whether the
booth is open now, it has to become a dated instant first (the offset between two zones changes with
summer time), so every computation here picks a concrete date in the fair's zone and converts from there.
Only slots while the fair runs count: a booth is not "open" before the fair starts or after it closes.
"""

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from exhibitors.models import OfficeHours


@dataclass(frozen=True)
class Opening:
    """One dated occurrence of a weekly slot, as aware datetimes in the fair's zone."""

    starts: datetime.datetime
    ends: datetime.datetime


@dataclass(frozen=True)
class SlotShown:
    """A weekly slot with the occurrence used to show it in other zones (the next one, or the last)."""

    slot: OfficeHours
    opening: Opening


@dataclass(frozen=True)
class BoothOpenState:
    open_now: bool
    # While open: when the current opening ends. Otherwise: the next opening, or None when there is none.
    current: Opening | None
    next_opening: Opening | None


def _occurrence(slot: OfficeHours, day: datetime.date, zone: zoneinfo.ZoneInfo) -> Opening:
    starts = datetime.datetime.combine(day, slot.opens_at, tzinfo=zone)
    ends = datetime.datetime.combine(day, slot.closes_at, tzinfo=zone)
    return Opening(starts=starts, ends=ends)


def _clip(
    opening: Opening, *, fair_starts: datetime.datetime, fair_ends: datetime.datetime
) -> Opening | None:
    """The part of an opening that falls while the fair runs, or None."""
    starts = max(opening.starts, fair_starts.astimezone(opening.starts.tzinfo))
    ends = min(opening.ends, fair_ends.astimezone(opening.ends.tzinfo))
    if ends <= starts:
        return None
    return Opening(starts=starts, ends=ends)


def openings_between(
    slots: Iterable[OfficeHours],
    *,
    zone: zoneinfo.ZoneInfo,
    since: datetime.datetime,
    until: datetime.datetime,
    fair_starts: datetime.datetime,
    fair_ends: datetime.datetime,
) -> list[Opening]:
    """Every opening that ends after `since` and starts before `until`, within the fair, in time order."""
    slots = list(slots)
    found = []
    # Nothing before the fair counts, so a fair months away costs no more than one next week.
    day = max(since, fair_starts).astimezone(zone).date() - datetime.timedelta(days=1)
    last_day = until.astimezone(zone).date()
    while day <= last_day:
        for slot in slots:
            if slot.weekday != day.weekday():
                continue
            opening = _clip(_occurrence(slot, day, zone), fair_starts=fair_starts, fair_ends=fair_ends)
            if opening and opening.ends > since and opening.starts < until:
                found.append(opening)
        day += datetime.timedelta(days=1)
    return sorted(found, key=lambda opening: opening.starts)


def booth_open_state(
    slots: Iterable[OfficeHours],
    *,
    zone: zoneinfo.ZoneInfo,
    now: datetime.datetime,
    fair_starts: datetime.datetime,
    fair_ends: datetime.datetime,
    closed: bool = False,
) -> BoothOpenState:
    """Whether the booth is staffed at `now`, and its next opening (searched a week past the later of now
    and the fair's start)."""
    if closed or now >= fair_ends:
        return BoothOpenState(open_now=False, current=None, next_opening=None)
    horizon = max(now, fair_starts) + datetime.timedelta(days=8)
    openings = openings_between(
        slots, zone=zone, since=now, until=horizon, fair_starts=fair_starts, fair_ends=fair_ends
    )
    current = next((o for o in openings if o.starts <= now < o.ends), None)
    upcoming = next((o for o in openings if o.starts > now), None)
    return BoothOpenState(open_now=current is not None, current=current, next_opening=upcoming)


def slots_shown(
    slots: Iterable[OfficeHours],
    *,
    zone: zoneinfo.ZoneInfo,
    now: datetime.datetime,
    fair_starts: datetime.datetime,
) -> list[SlotShown]:
    """Each weekly slot with a dated occurrence: the next one from the later of now and the fair's start.

    That date decides the offset used to convert the slot into the viewer's zone, so the times shown are
    the ones that will really apply next time (summer time included).
    """
    reference = max(now, fair_starts).astimezone(zone)
    shown = []
    for slot in slots:
        days_ahead = (slot.weekday - reference.weekday()) % 7
        opening = _occurrence(slot, reference.date() + datetime.timedelta(days=days_ahead), zone)
        if opening.ends <= reference:
            opening = _occurrence(slot, opening.starts.date() + datetime.timedelta(days=7), zone)
        shown.append(SlotShown(slot=slot, opening=opening))
    return shown
