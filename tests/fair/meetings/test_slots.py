import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone

from exhibitors.enums import ApplicationStatus
from fair.meetings.models import BuyerAvailability, MeetingSlot
from fair.meetings.selectors.days import meeting_days
from fair.meetings.services.errors import SlotRefused, SlotTaken, TimeOverlap
from fair.meetings.services.requests import meeting_request
from fair.meetings.services.slots import (
    availability_create,
    availability_create_pattern,
    slot_create,
    slot_delete,
    slots_create_pattern,
)
from fair.meetings.templatetags.meetings import span_text
from tests.factories.exhibitors import BoothFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.factories.fair import FairPageFactory

pytestmark = pytest.mark.django_db


def _fair_on(days: tuple[date, date], zone: str, **kwargs):
    tz = zoneinfo.ZoneInfo(zone)
    return FairPageFactory(
        time_zone=zone,
        starts_at=datetime.combine(days[0], time(0), tz),
        ends_at=datetime.combine(days[1], time(23, 59), tz),
        applications_open_at=timezone.now() - timedelta(days=30),
        applications_close_at=timezone.now(),
        **kwargs,
    )


def _exhibitor(fair):
    company = CompanyFactory()
    BoothFactory(fair=fair, company=company, status=ApplicationStatus.APPROVED)
    return company, MembershipFactory(company=company).user


def test_pattern_tue_to_thu_mornings(home_page):
    # A Monday-to-Sunday week in 2027, in Lima (no summer time).
    fair = _fair_on((date(2027, 6, 7), date(2027, 6, 13)), "America/Lima")
    company, person = _exhibitor(fair)
    result = slots_create_pattern(
        fair=fair,
        company=company,
        staff=person,
        by=person,
        weekdays=[1, 2, 3],
        day_start=time(9),
        day_end=time(12),
        minutes=30,
        break_minutes=5,
    )
    # 9:00, 9:35, 10:10, 10:45, 11:20 (11:55 would end after 12:00): 5 a day, 3 days.
    assert len(result.created) == 15
    assert result.skipped == []
    lima = zoneinfo.ZoneInfo("America/Lima")
    starts = sorted(timezone.localtime(slot.starts_at, lima) for slot in MeetingSlot.objects.all())
    assert {start.date() for start in starts} == {date(2027, 6, 8), date(2027, 6, 9), date(2027, 6, 10)}
    assert [start.strftime("%H:%M") for start in starts[:5]] == ["09:00", "09:35", "10:10", "10:45", "11:20"]
    assert starts[0].astimezone(UTC).hour == 14


def test_pattern_again_skips_overlaps(home_page):
    fair = _fair_on((date(2027, 6, 8), date(2027, 6, 8)), "America/Lima")
    company, person = _exhibitor(fair)
    pattern = dict(weekdays=[1], day_start=time(9), day_end=time(10), minutes=30, break_minutes=0)
    assert (
        len(slots_create_pattern(fair=fair, company=company, staff=person, by=person, **pattern).created) == 2
    )
    again = slots_create_pattern(fair=fair, company=company, staff=person, by=person, **pattern)
    assert again.created == []
    assert len(again.skipped) == 2
    # "Anyone from the company" is another calendar than the staff member's own.
    anyone = slots_create_pattern(fair=fair, company=company, staff=None, by=person, **pattern)
    assert len(anyone.created) == 2


def test_slot_overlap_refused_touching_allowed(home_page):
    fair = _fair_on((date(2027, 6, 8), date(2027, 6, 8)), "America/Lima")
    company, person = _exhibitor(fair)
    start = datetime(2027, 6, 8, 9, tzinfo=fair.zone)
    slot_create(
        fair=fair,
        company=company,
        staff=person,
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        by=person,
    )
    with pytest.raises(TimeOverlap):
        slot_create(
            fair=fair,
            company=company,
            staff=person,
            starts_at=start + timedelta(minutes=15),
            ends_at=start + timedelta(minutes=45),
            by=person,
        )
    slot_create(
        fair=fair,
        company=company,
        staff=person,
        starts_at=start + timedelta(minutes=30),
        ends_at=start + timedelta(minutes=60),
        by=person,
    )
    assert MeetingSlot.objects.count() == 2


def test_slot_outside_meeting_days_refused(home_page):
    fair = _fair_on(
        (date(2027, 6, 7), date(2027, 6, 13)), "America/Lima", meetings_first_day=date(2027, 6, 9)
    )
    fair.meetings_last_day = date(2027, 6, 10)
    fair.save()
    assert meeting_days(fair) == (date(2027, 6, 9), date(2027, 6, 10))
    company, person = _exhibitor(fair)
    # 23:30 on the 10th in Lima is the 11th in UTC: still inside, the days are the fair's.
    late = datetime(2027, 6, 10, 23, 0, tzinfo=fair.zone)
    slot_create(
        fair=fair,
        company=company,
        staff=person,
        starts_at=late,
        ends_at=late + timedelta(minutes=30),
        by=person,
    )
    for start in (datetime(2027, 6, 8, 9, tzinfo=fair.zone), datetime(2027, 6, 11, 9, tzinfo=fair.zone)):
        with pytest.raises(SlotRefused) as error:
            slot_create(
                fair=fair,
                company=company,
                staff=person,
                starts_at=start,
                ends_at=start + timedelta(minutes=30),
                by=person,
            )
        assert error.value.code == "outside_days"


def test_slot_rules_length_past_member(home_page):
    fair = _fair_on((date(2027, 6, 7), date(2027, 6, 13)), "America/Lima")
    company, person = _exhibitor(fair)
    start = datetime(2027, 6, 8, 9, tzinfo=fair.zone)
    with pytest.raises(SlotRefused):
        slot_create(
            fair=fair,
            company=company,
            staff=person,
            starts_at=start,
            ends_at=start + timedelta(minutes=2),
            by=person,
        )
    with pytest.raises(SlotRefused):
        slot_create(
            fair=fair,
            company=company,
            staff=UserFactory(),
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            by=person,
        )
    past = timezone.now() - timedelta(hours=1)
    live = FairPageFactory()
    BoothFactory(fair=live, company=company)
    with pytest.raises(SlotRefused) as error:
        slot_create(
            fair=live,
            company=company,
            staff=None,
            starts_at=past,
            ends_at=past + timedelta(minutes=30),
            by=person,
        )
    assert error.value.code == "past"


def test_booked_slot_cannot_be_withdrawn(slot, buyer, staff):
    meeting_request(buyer=buyer, slot=slot, agenda="a")
    with pytest.raises(SlotTaken):
        slot_delete(slot=slot, by=staff)


def test_dst_spring_forward_night(home_page):
    """Berlin moves from 02:00 to 03:00 on 28 March 2027: the skipped half-hours are left out and said so,
    the others are the right instants, none overlap."""
    fair = _fair_on((date(2027, 3, 27), date(2027, 3, 29)), "Europe/Berlin")
    company, person = _exhibitor(fair)
    result = slots_create_pattern(
        fair=fair,
        company=company,
        staff=person,
        by=person,
        weekdays=[6],
        day_start=time(1),
        day_end=time(4),
        minutes=30,
        break_minutes=0,
    )
    starts = [slot.starts_at.astimezone(UTC) for slot in result.created]
    assert [s.strftime("%H:%M") for s in starts] == ["00:00", "00:30", "01:00", "01:30"]
    assert [when.strftime("%H:%M") for when, _why in result.skipped] == ["02:00", "02:30"]
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    assert [timezone.localtime(s, berlin).strftime("%H:%M") for s in starts] == [
        "01:00",
        "01:30",
        "03:00",
        "03:30",
    ]


def test_dst_fall_back_night(home_page):
    """On 31 October 2027 Berlin's 02:00–03:00 happens twice: each slot is its first occurrence, all last
    30 real minutes, none overlap, and the UTC instants follow each other."""
    fair = _fair_on((date(2027, 10, 30), date(2027, 11, 1)), "Europe/Berlin")
    company, person = _exhibitor(fair)
    result = slots_create_pattern(
        fair=fair,
        company=company,
        staff=person,
        by=person,
        weekdays=[6],
        day_start=time(1),
        day_end=time(4),
        minutes=30,
        break_minutes=0,
    )
    assert result.skipped == []
    spans = [(slot.starts_at.astimezone(UTC), slot.ends_at.astimezone(UTC)) for slot in result.created]
    assert [s.strftime("%H:%M") for s, _e in spans] == ["23:00", "23:30", "00:00", "00:30", "02:00", "02:30"]
    assert all(end - start == timedelta(minutes=30) for start, end in spans)


def test_times_shown_in_viewer_zone_with_fair_zone(home_page):
    start = datetime(
        2027, 3, 28, 1, 0, tzinfo=UTC
    )  # 03:00 in Berlin (summer time began), 20:00 the day before in Lima
    text = span_text(
        start, start + timedelta(minutes=30), "America/Lima", zone=zoneinfo.ZoneInfo("Europe/Berlin")
    )
    assert "03:00–03:30" in text
    assert "Sat 27 Mar 20:00–20:30 fair time, America/Lima" in text
    same = span_text(
        start, start + timedelta(minutes=30), "Europe/Berlin", zone=zoneinfo.ZoneInfo("Europe/Berlin")
    )
    assert "fair time" not in same


def test_buyer_availability_pattern_and_overlap(home_page):
    fair = _fair_on((date(2027, 6, 7), date(2027, 6, 13)), "America/Lima")
    buyer = UserFactory()
    result = availability_create_pattern(
        fair=fair,
        buyer=buyer,
        weekdays=[0],
        day_start=time(14),
        day_end=time(16),
        minutes=60,
        break_minutes=0,
    )
    assert len(result.created) == 2
    with pytest.raises(TimeOverlap):
        start = datetime(2027, 6, 7, 14, 30, tzinfo=fair.zone)
        availability_create(fair=fair, buyer=buyer, starts_at=start, ends_at=start + timedelta(minutes=30))
    assert BuyerAvailability.objects.count() == 2
