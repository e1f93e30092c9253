import datetime
import zoneinfo

from exhibitors.models import OfficeHours
from fair.office_hours import booth_open_state, openings_between, slots_shown

LIMA = zoneinfo.ZoneInfo("America/Lima")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
FAIR_STARTS = datetime.datetime(2031, 3, 3, 0, 0, tzinfo=LIMA)  # a Monday
FAIR_ENDS = datetime.datetime(2031, 4, 14, 0, 0, tzinfo=LIMA)


def slot(weekday, opens, closes):
    """Unsaved rows: these functions only read the fields."""
    return OfficeHours(weekday=weekday, opens_at=datetime.time(*opens), closes_at=datetime.time(*closes))


def state_at(slots, now, **kwargs):
    return booth_open_state(slots, zone=LIMA, now=now, fair_starts=FAIR_STARTS, fair_ends=FAIR_ENDS, **kwargs)


def test_open_now_inside_a_slot_in_the_fairs_zone():
    monday_morning = slot(0, (9, 0), (12, 0))
    now = datetime.datetime(2031, 3, 10, 10, 30, tzinfo=LIMA)

    state = state_at([monday_morning], now)

    assert state.open_now is True
    assert state.current.ends == datetime.datetime(2031, 3, 10, 12, 0, tzinfo=LIMA)
    assert state.next_opening.starts == datetime.datetime(2031, 3, 17, 9, 0, tzinfo=LIMA)


def test_open_now_decided_by_the_fairs_zone_not_the_viewers():
    monday_morning = slot(0, (9, 0), (12, 0))
    # 16:30 in Berlin on that Monday is 10:30 in Lima: open.
    now = datetime.datetime(2031, 3, 10, 16, 30, tzinfo=BERLIN)

    assert state_at([monday_morning], now).open_now is True


def test_closed_between_slots_gives_the_next_opening():
    slots = [slot(0, (9, 0), (12, 0)), slot(2, (14, 0), (18, 0))]
    now = datetime.datetime(2031, 3, 10, 12, 0, tzinfo=LIMA)  # Monday noon: just closed

    state = state_at(slots, now)

    assert state.open_now is False
    assert state.current is None
    assert state.next_opening.starts == datetime.datetime(2031, 3, 12, 14, 0, tzinfo=LIMA)


def test_next_opening_wraps_to_next_week():
    slots = [slot(0, (9, 0), (12, 0))]
    now = datetime.datetime(2031, 3, 14, 9, 0, tzinfo=LIMA)  # Friday

    assert state_at(slots, now).next_opening.starts == datetime.datetime(2031, 3, 17, 9, 0, tzinfo=LIMA)


def test_not_open_before_the_fair_and_next_opening_is_within_it():
    slots = [slot(0, (9, 0), (12, 0))]
    now = datetime.datetime(2031, 2, 24, 10, 0, tzinfo=LIMA)  # a Monday, a week before the fair

    state = state_at(slots, now)

    assert state.open_now is False
    assert state.next_opening.starts == datetime.datetime(2031, 3, 3, 9, 0, tzinfo=LIMA)


def test_nothing_after_the_fair_or_when_closed_early():
    slots = [slot(0, (9, 0), (12, 0))]

    after = state_at(slots, datetime.datetime(2031, 4, 21, 10, 0, tzinfo=LIMA))
    closed = state_at(slots, datetime.datetime(2031, 3, 10, 10, 0, tzinfo=LIMA), closed=True)

    assert (after.open_now, after.next_opening) == (False, None)
    assert (closed.open_now, closed.next_opening) == (False, None)


def test_opening_is_cut_at_the_fairs_end():
    ends = datetime.datetime(2031, 3, 10, 11, 0, tzinfo=LIMA)
    openings = openings_between(
        [slot(0, (9, 0), (12, 0))],
        zone=LIMA,
        since=datetime.datetime(2031, 3, 10, 0, 0, tzinfo=LIMA),
        until=datetime.datetime(2031, 3, 20, 0, 0, tzinfo=LIMA),
        fair_starts=FAIR_STARTS,
        fair_ends=ends,
    )

    assert [(o.starts.hour, o.ends.hour) for o in openings] == [(9, 11)]


def test_slots_convert_to_viewer_zone_with_the_offset_of_their_next_date():
    # Berlin moves to summer time on Sunday 30 March 2031; Lima has none. Before: 6 hours apart, after: 7.
    monday = slot(0, (9, 0), (12, 0))
    before = slots_shown(
        [monday], zone=LIMA, now=datetime.datetime(2031, 3, 20, tzinfo=LIMA), fair_starts=FAIR_STARTS
    )
    after = slots_shown(
        [monday], zone=LIMA, now=datetime.datetime(2031, 3, 31, 13, tzinfo=LIMA), fair_starts=FAIR_STARTS
    )

    assert before[0].opening.starts.astimezone(BERLIN).time() == datetime.time(15, 0)
    assert before[0].opening.starts.date() == datetime.date(2031, 3, 24)
    # Monday 31 March 13:00 is past that day's slot, so the next one is 7 April, in Berlin's summer time.
    assert after[0].opening.starts.date() == datetime.date(2031, 4, 7)
    assert after[0].opening.starts.astimezone(BERLIN).time() == datetime.time(16, 0)


def test_slots_shown_before_the_fair_use_its_first_week():
    shown = slots_shown(
        [slot(2, (10, 0), (11, 0))],
        zone=LIMA,
        now=datetime.datetime(2031, 1, 1, tzinfo=LIMA),
        fair_starts=FAIR_STARTS,
    )

    assert shown[0].opening.starts == datetime.datetime(2031, 3, 5, 10, 0, tzinfo=LIMA)
