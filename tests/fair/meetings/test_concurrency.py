"""Two transactions at once: exactly one wins, nothing half-written. On PostgreSQL the row locks and the
constraints decide; on SQLite (a database file in tests too) the single writer of BEGIN IMMEDIATE does, and
the loser's check sees the winner's row."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from exhibitors.enums import ApplicationStatus
from fair.meetings.enums import MeetingStatus
from fair.meetings.models import Meeting, MeetingSlot
from fair.meetings.services.errors import SlotTaken, TimeOverlap
from fair.meetings.services.requests import meeting_accept, meeting_request
from tests.factories.exhibitors import BoothFactory, CompanyFactory, MembershipFactory
from tests.factories.meetings import MeetingFactory, MeetingSlotFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _race(*calls):
    """Run the calls in threads released together; returns each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_two_buyers_request_one_slot_one_wins(slot, buyer, other_buyer):
    results = _race(
        lambda: meeting_request(buyer=buyer, slot=slot, agenda="Coffee"),
        lambda: meeting_request(buyer=other_buyer, slot=slot, agenda="Cacao"),
    )
    won = [result for result in results if isinstance(result, Meeting)]
    lost = [result for result in results if isinstance(result, SlotTaken)]
    assert (len(won), len(lost)) == (1, 1), results
    assert Meeting.objects.filter(slot=slot).count() == 1


def test_two_accepts_for_one_buyer_at_one_time_one_wins(fair, slot, staff, buyer):
    other = CompanyFactory()
    BoothFactory(fair=fair, company=other, status=ApplicationStatus.APPROVED)
    other_staff = MembershipFactory(company=other).user
    same_time = MeetingSlotFactory(fair=fair, company=other, starts_at=slot.starts_at, ends_at=slot.ends_at)
    first = meeting_request(buyer=buyer, slot=slot, agenda="Coffee")
    second = meeting_request(buyer=buyer, slot=same_time, agenda="Cacao")
    results = _race(
        lambda: meeting_accept(meeting=first, by=staff),
        lambda: meeting_accept(meeting=second, by=other_staff),
    )
    assert sorted(type(result).__name__ for result in results) == ["Meeting", "TimeOverlap"], results
    assert Meeting.objects.filter(buyer=buyer, status=MeetingStatus.ACCEPTED).count() == 1
    assert any(isinstance(result, TimeOverlap) for result in results)


def test_exclusion_constraint_refuses_overlap_written_directly(require_postgres, fair, company, staff, buyer):
    """The database itself, not only the services: an overlapping accepted meeting cannot be stored."""
    MeetingFactory(slot=MeetingSlotFactory(fair=fair, company=company, staff=staff), buyer=buyer)
    existing = Meeting.objects.get()
    other_slot = MeetingSlotFactory(fair=fair, company=CompanyFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(slot=other_slot, buyer=buyer, starts_at=existing.starts_at, ends_at=existing.ends_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSlot.objects.create(
            fair=fair, company=company, staff=staff, starts_at=existing.starts_at, ends_at=existing.ends_at
        )
