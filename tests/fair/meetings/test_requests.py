from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from exhibitors.enums import ApplicationStatus
from fair.chat.models import Message
from fair.meetings.enums import MeetingSide, MeetingStatus
from fair.meetings.models import Meeting
from fair.meetings.services.errors import (
    CapReached,
    CutoffPassed,
    MeetingError,
    SlotTaken,
    TimeOverlap,
    TransitionRefused,
)
from fair.meetings.services.requests import (
    meeting_accept,
    meeting_cancel,
    meeting_decline,
    meeting_propose,
    meeting_request,
    meetings_expire,
)
from tests.factories.exhibitors import (
    BoothFactory,
    CompanyFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
)
from tests.factories.meetings import MeetingSlotFactory

pytestmark = pytest.mark.django_db


def test_request_writes_meeting_card_and_email(buyer, slot, staff, company):
    product = company.products.get()
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="Coffee", products=[product], volumes="2 t")
    assert meeting.status == MeetingStatus.REQUESTED
    assert (meeting.starts_at, meeting.ends_at, meeting.staff) == (slot.starts_at, slot.ends_at, staff)
    assert list(meeting.products.all()) == [product]
    assert meeting.expires_at <= slot.starts_at
    card = Message.objects.get(kind="meeting")
    assert card.payload == {"meeting": str(meeting.uuid), "event": "requested"}
    assert [message.to for message in mail.outbox] == [[staff.email]]


def test_request_same_slot_twice_second_refused(buyer, other_buyer, slot):
    meeting_request(buyer=buyer, slot=slot, agenda="Coffee")
    with pytest.raises(SlotTaken):
        meeting_request(buyer=other_buyer, slot=slot, agenda="Cacao")
    assert Meeting.objects.count() == 1


def test_request_needs_agenda(buyer, slot):
    with pytest.raises(MeetingError) as error:
        meeting_request(buyer=buyer, slot=slot, agenda="  ")
    assert error.value.code == "required"


def test_request_products_of_another_company_refused(buyer, slot):
    with pytest.raises(MeetingError):
        meeting_request(buyer=buyer, slot=slot, agenda="x", products=[ProductFactory()])


def test_request_own_company_refused(slot, staff):
    with pytest.raises(MeetingError) as error:
        meeting_request(buyer=staff, slot=slot, agenda="x")
    assert error.value.code == "own_company"


def test_request_booth_not_live_refused(fair, buyer):
    company = CompanyFactory()
    BoothFactory(fair=fair, company=company, status=ApplicationStatus.PENDING)
    slot = MeetingSlotFactory(fair=fair, company=company)
    with pytest.raises(MeetingError) as error:
        meeting_request(buyer=buyer, slot=slot, agenda="x")
    assert error.value.code == "no_booth"


def test_accept_by_company_side(buyer, slot, owner):
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="Coffee")
    accepted = meeting_accept(meeting=meeting, by=owner, external_link="https://meet.example.com/x")
    assert accepted.status == MeetingStatus.ACCEPTED
    assert accepted.sequence == 1
    assert accepted.external_link == "https://meet.example.com/x"
    assert mail.outbox[-1].to == [buyer.email]
    assert mail.outbox[-1].extra_headers["Content-Language"] == "es"


def test_accept_by_requester_or_stranger_refused(buyer, slot):
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="Coffee")
    for person in (buyer, UserFactory()):
        with pytest.raises(TransitionRefused):
            meeting_accept(meeting=meeting, by=person)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.REQUESTED


def test_accept_twice_refused(buyer, slot, staff):
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="Coffee")
    meeting_accept(meeting=meeting, by=staff)
    with pytest.raises(TransitionRefused):
        meeting_accept(meeting=meeting, by=staff)


def test_decline_needs_reason_and_frees_slot(buyer, other_buyer, slot, staff):
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="Coffee")
    with pytest.raises(MeetingError):
        meeting_decline(meeting=meeting, by=staff, reason="")
    declined = meeting_decline(meeting=meeting, by=staff, reason="Sold out this season")
    assert declined.status == MeetingStatus.DECLINED
    assert declined.decline_reason == "Sold out this season"
    assert meeting_request(buyer=other_buyer, slot=slot, agenda="Cacao").status == MeetingStatus.REQUESTED


def test_propose_another_slot_then_buyer_accepts(buyer, slot, staff, make_slot):
    other_slot = make_slot(staff=staff)
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="Coffee")
    proposal = meeting_propose(meeting=meeting, by=staff, slot=other_slot, note="Later suits us better")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DECLINED
    assert (proposal.requested_side, proposal.proposed_from, proposal.slot) == (
        MeetingSide.COMPANY,
        meeting,
        other_slot,
    )
    with pytest.raises(TransitionRefused):
        meeting_accept(meeting=proposal, by=staff)
    assert meeting_accept(meeting=proposal, by=buyer).status == MeetingStatus.ACCEPTED


def test_buyer_cannot_request_over_an_accepted_meeting(fair, buyer, slot, staff):
    meeting_accept(meeting=meeting_request(buyer=buyer, slot=slot, agenda="Coffee"), by=staff)
    other = CompanyFactory()
    BoothFactory(fair=fair, company=other, status=ApplicationStatus.APPROVED)
    overlapping = MeetingSlotFactory(
        fair=fair,
        company=other,
        starts_at=slot.starts_at + timedelta(minutes=15),
        ends_at=slot.ends_at + timedelta(minutes=15),
    )
    with pytest.raises(TimeOverlap):
        meeting_request(buyer=buyer, slot=overlapping, agenda="Cacao")


def test_accept_refused_when_buyer_accepted_another_meanwhile(fair, buyer, slot, staff):
    other = CompanyFactory()
    BoothFactory(fair=fair, company=other, status=ApplicationStatus.APPROVED)
    other_staff = MembershipFactory(company=other).user
    overlapping = MeetingSlotFactory(fair=fair, company=other, starts_at=slot.starts_at, ends_at=slot.ends_at)
    first = meeting_request(buyer=buyer, slot=slot, agenda="Coffee")
    second = meeting_request(buyer=buyer, slot=overlapping, agenda="Cacao")
    meeting_accept(meeting=first, by=staff)
    with pytest.raises(TimeOverlap):
        meeting_accept(meeting=second, by=other_staff)


def test_accept_refused_when_staff_busy(buyer, other_buyer, fair, company, staff):
    # Two "anyone" slots cannot overlap, so the staff member's clash comes from two of their own slots'
    # requests at the same time is impossible; a company-side request in a buyer's time is the other path.
    from fair.meetings.services.requests import meeting_request_buyer
    from tests.factories.meetings import BuyerAvailabilityFactory

    slot = MeetingSlotFactory(fair=fair, company=company, staff=staff)
    meeting_accept(meeting=meeting_request(buyer=buyer, slot=slot, agenda="Coffee"), by=staff)
    free = BuyerAvailabilityFactory(
        fair=fair, buyer=other_buyer, starts_at=slot.starts_at, ends_at=slot.ends_at
    )
    asked = meeting_request_buyer(by=staff, company=company, availability=free, agenda="Our new harvest")
    with pytest.raises(TimeOverlap):
        meeting_accept(meeting=asked, by=other_buyer)


def test_cancel_until_cutoff(buyer, fair, company, staff):
    fair.meeting_cancel_cutoff_hours = 2
    fair.save()
    soon = MeetingSlotFactory(
        fair=fair,
        company=company,
        staff=staff,
        starts_at=timezone.now() + timedelta(minutes=90),
        ends_at=timezone.now() + timedelta(minutes=120),
    )
    later = MeetingSlotFactory(fair=fair, company=company, staff=staff)
    too_late = meeting_accept(meeting=meeting_request(buyer=buyer, slot=soon, agenda="a"), by=staff)
    with pytest.raises(CutoffPassed):
        meeting_cancel(meeting=too_late, by=buyer, reason="Flight delayed")
    in_time = meeting_accept(meeting=meeting_request(buyer=buyer, slot=later, agenda="b"), by=staff)
    with pytest.raises(MeetingError):
        meeting_cancel(meeting=in_time, by=buyer, reason="")
    cancelled = meeting_cancel(meeting=in_time, by=buyer, reason="Flight delayed")
    assert (cancelled.status, cancelled.cancel_reason, cancelled.cancelled_by) == (
        MeetingStatus.CANCELLED,
        "Flight delayed",
        buyer,
    )
    assert cancelled.sequence == 2


def test_cancel_by_stranger_refused(buyer, slot):
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="a")
    with pytest.raises(TransitionRefused):
        meeting_cancel(meeting=meeting, by=UserFactory(), reason="x")


def test_cap_per_fair(fair, buyer, make_slot):
    fair.meeting_cap_per_fair = 2
    fair.save()
    first, second, third = make_slot(), make_slot(), make_slot()
    meeting_request(buyer=buyer, slot=first, agenda="a")
    declined_not_counted = meeting_request(buyer=buyer, slot=second, agenda="b")
    meeting_cancel(meeting=declined_not_counted, by=buyer, reason="changed my mind")
    meeting_request(buyer=buyer, slot=second, agenda="b")
    with pytest.raises(CapReached) as error:
        meeting_request(buyer=buyer, slot=third, agenda="c")
    assert error.value.code == "cap_fair"


def test_cap_per_day_counts_days_in_fair_zone(fair, buyer, make_slot):
    fair.meeting_cap_per_day = 1
    fair.save()
    # 23:00 and 23:30 in Lima are the same day there, but the next day in UTC.
    base = (
        (timezone.now() + timedelta(days=2))
        .astimezone(fair.zone)
        .replace(hour=23, minute=0, second=0, microsecond=0)
    )
    late = make_slot(starts_at=base, ends_at=base + timedelta(minutes=30))
    later = make_slot(starts_at=base + timedelta(minutes=30), ends_at=base + timedelta(minutes=60))
    next_day = make_slot(starts_at=base + timedelta(hours=10), ends_at=base + timedelta(hours=10, minutes=30))
    meeting_request(buyer=buyer, slot=late, agenda="a")
    with pytest.raises(CapReached) as error:
        meeting_request(buyer=buyer, slot=later, agenda="b")
    assert error.value.code == "cap_day"
    assert meeting_request(buyer=buyer, slot=next_day, agenda="c").status == MeetingStatus.REQUESTED


def test_expiry_frees_slot_and_tells_requester(buyer, other_buyer, slot, staff):
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="a")
    assert meetings_expire(now=timezone.now()) == 0
    mail.outbox.clear()
    assert meetings_expire(now=meeting.expires_at + timedelta(seconds=1)) == 1
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.EXPIRED
    assert [message.to for message in mail.outbox] == [[buyer.email]]
    with pytest.raises(TransitionRefused):
        meeting_accept(meeting=meeting, by=staff)
    assert meeting_request(buyer=other_buyer, slot=slot, agenda="b").status == MeetingStatus.REQUESTED


def test_request_expires_after_fair_setting(fair, buyer, make_slot):
    fair.meeting_request_expiry_hours = 5
    fair.save()
    slot = make_slot(
        starts_at=timezone.now() + timedelta(days=3), ends_at=timezone.now() + timedelta(days=3, minutes=30)
    )
    before = timezone.now()
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="a")
    assert before + timedelta(hours=5) <= meeting.expires_at <= timezone.now() + timedelta(hours=5)


def test_accept_after_expiry_time_refused(buyer, slot, staff):
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="a")
    Meeting.objects.filter(pk=meeting.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(CutoffPassed):
        meeting_accept(meeting=meeting, by=staff)
