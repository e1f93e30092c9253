"""Publishing meeting times: a company's slots and a buyer's availability, one by one or by weekly pattern
entered in the fair's time zone."""

import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibitors.models import Booth, Membership
from fair.meetings.enums import SLOT_HOLDING
from fair.meetings.models import BuyerAvailability, Meeting, MeetingSlot
from fair.meetings.selectors.days import meeting_days, wall_clock, within_meeting_days
from fair.meetings.services.errors import SlotRefused, SlotTaken, TimeOverlap

MIN_MINUTES = 5
MAX_MINUTES = 240


@dataclass
class PatternResult:
    created: list = field(default_factory=list)
    # (wall-clock start in the fair's zone, why) for each time of the pattern that was not published.
    skipped: list[tuple[datetime, str]] = field(default_factory=list)


def _check_times(*, fair, starts_at: datetime, ends_at: datetime) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("meeting times must be aware")
    minutes = (ends_at - starts_at).total_seconds() / 60
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise SlotRefused(
            _("A meeting lasts from %(min)d to %(max)d minutes.") % {"min": MIN_MINUTES, "max": MAX_MINUTES},
            code="length",
        )
    if starts_at <= timezone.now():
        raise SlotRefused(_("This time has already passed."), code="past")
    if not within_meeting_days(fair=fair, starts_at=starts_at, ends_at=ends_at):
        first, last = meeting_days(fair)
        raise SlotRefused(
            _("Meetings at this fair take place from %(first)s to %(last)s (the fair's time zone).")
            % {"first": first.isoformat(), "last": last.isoformat()},
            code="outside_days",
        )


def _overlapping(queryset, *, starts_at: datetime, ends_at: datetime):
    return queryset.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


def _slot_owner_q(*, company, staff) -> Q:
    return Q(company=company, staff=staff) if staff is not None else Q(company=company, staff__isnull=True)


def _check_member(*, company, user) -> None:
    if user is None:
        return
    if not Membership.objects.filter(company=company, user=user).exists():
        raise SlotRefused(_("This person is not a member of the company."), code="not_member")


def _save(instance, *, overlap_message: str):
    """Insert in a savepoint: PostgreSQL's exclusion constraints answer a race the check could not see."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise TimeOverlap(overlap_message, code="overlap") from None
    return instance


def slot_create(*, fair, company, staff, starts_at: datetime, ends_at: datetime, by) -> MeetingSlot:
    """Publish one slot of a company (with `staff`, or anyone from it when None). Writes the slot."""
    _check_member(company=company, user=by)
    _check_member(company=company, user=staff)
    if not Booth.objects.filter(company=company, fair=fair).exists():
        raise SlotRefused(_("Your company has no booth at this fair."), code="no_booth")
    _check_times(fair=fair, starts_at=starts_at, ends_at=ends_at)
    with transaction.atomic():
        clash = _overlapping(
            MeetingSlot.objects.filter(_slot_owner_q(company=company, staff=staff), fair=fair),
            starts_at=starts_at,
            ends_at=ends_at,
        )
        message = _("This slot overlaps another slot of the same person.")
        if clash.exists():
            raise TimeOverlap(message, code="overlap")
        slot = MeetingSlot(
            fair=fair, company=company, staff=staff, starts_at=starts_at, ends_at=ends_at, created_by=by
        )
        return _save(slot, overlap_message=message)


def slot_delete(*, slot: MeetingSlot, by) -> None:
    """Withdraw a slot nobody has requested or booked. Deletes the row."""
    _check_member(company=slot.company, user=by)
    with transaction.atomic():
        if Meeting.objects.filter(slot=slot, status__in=SLOT_HOLDING).exists():
            raise SlotTaken(
                _("This slot has a request or a meeting: answer or cancel it first."), code="slot_booked"
            )
        slot.delete()


def availability_create(*, fair, buyer, starts_at: datetime, ends_at: datetime) -> BuyerAvailability:
    """Publish a time the buyer is free for meetings at the fair (makes them findable). Writes the row."""
    _check_times(fair=fair, starts_at=starts_at, ends_at=ends_at)
    with transaction.atomic():
        message = _("This time overlaps another time you published.")
        clash = _overlapping(
            BuyerAvailability.objects.filter(fair=fair, buyer=buyer), starts_at=starts_at, ends_at=ends_at
        )
        if clash.exists():
            raise TimeOverlap(message, code="overlap")
        return _save(
            BuyerAvailability(fair=fair, buyer=buyer, starts_at=starts_at, ends_at=ends_at),
            overlap_message=message,
        )


def availability_delete(*, availability: BuyerAvailability) -> None:
    """Withdraw a time nobody has requested. Deletes the row."""
    with transaction.atomic():
        if Meeting.objects.filter(buyer_slot=availability, status__in=SLOT_HOLDING).exists():
            raise SlotTaken(
                _("This time has a request or a meeting: answer or cancel it first."), code="slot_booked"
            )
        availability.delete()


def pattern_times(
    *,
    fair,
    weekdays: Iterable[int],
    day_start: time,
    day_end: time,
    minutes: int,
    break_minutes: int = 0,
    first_day: date | None = None,
    last_day: date | None = None,
) -> tuple[list[tuple[datetime, datetime]], list[tuple[datetime, str]]]:
    """The (start, end) instants of a weekly pattern in the fair's zone, within its meeting days: from
    `day_start` on each chosen weekday (0 = Monday), a meeting of `minutes` then a break, while the meeting
    ends by `day_end` (wall clock). A start the clocks skip (summer time begins) is left out and reported;
    each meeting lasts `minutes` of real time."""
    zone = zoneinfo.ZoneInfo(fair.time_zone)
    days_first, days_last = meeting_days(fair)
    first = max(first_day or days_first, days_first)
    last = min(last_day or days_last, days_last)
    weekdays = set(weekdays)
    step = timedelta(minutes=minutes + break_minutes)
    length = timedelta(minutes=minutes)
    times, skipped = [], []
    day = first
    while day <= last:
        if day.weekday() in weekdays:
            local = datetime.combine(day, day_start)
            day_end_local = datetime.combine(day, day_end)
            while local + length <= day_end_local:
                start = wall_clock(day, local.time(), zone)
                if start is None:
                    skipped.append((local, _("the clocks skip this time (summer time)")))
                else:
                    times.append((start, start + length))
                local += step
        day += timedelta(days=1)
    return times, skipped


def _apply_pattern(fair, times, skipped, create) -> PatternResult:
    zone = zoneinfo.ZoneInfo(fair.time_zone)
    result = PatternResult(skipped=list(skipped))
    for start, end in times:
        try:
            result.created.append(create(start, end))
        except (SlotRefused, TimeOverlap) as error:
            result.skipped.append((timezone.localtime(start, zone).replace(tzinfo=None), error.messages[0]))
    return result


def slots_create_pattern(*, fair, company, staff, by, **pattern) -> PatternResult:
    """Publish the slots of a weekly pattern (see pattern_times); times that overlap existing slots or have
    passed are skipped and reported. Writes the slots."""
    times, skipped = pattern_times(fair=fair, **pattern)
    return _apply_pattern(
        fair,
        times,
        skipped,
        lambda start, end: slot_create(
            fair=fair, company=company, staff=staff, starts_at=start, ends_at=end, by=by
        ),
    )


def availability_create_pattern(*, fair, buyer, **pattern) -> PatternResult:
    """Publish the buyer's availability by weekly pattern (see pattern_times). Writes the rows."""
    times, skipped = pattern_times(fair=fair, **pattern)
    return _apply_pattern(
        fair,
        times,
        skipped,
        lambda start, end: availability_create(fair=fair, buyer=buyer, starts_at=start, ends_at=end),
    )
