"""A fair with known numbers for the results tests: two exhibitors in two halls and countries, their chats
(with exact first-response waits), meetings in every state, paid orders and booth views."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from exhibitors.enums import ApplicationStatus
from exhibitors.models import Booth, Company, User
from fair.chat.enums import Side
from fair.chat.models import Conversation, Message
from fair.meetings.enums import MeetingSide, MeetingStatus
from fair.meetings.models import Meeting
from fair.models import FairPage
from payments.enums import OrderKind
from payments.models import Order
from results.models import BoothDailyViews
from tests.factories.exhibitors import BoothFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.factories.fair import FairPageFactory, HallFactory

START = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
DAY1, DAY2, DAY3 = date(2026, 3, 10), date(2026, 3, 11), date(2026, 3, 12)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def chat(*, booth: Booth, buyer: User, member: User, started: datetime, reply_after: timedelta | None):
    """A conversation started from the booth at `started` by a buyer message, answered after `reply_after`
    (or not answered)."""
    conversation = Conversation.objects.create(buyer=buyer, company=booth.company, started_from=booth)
    Conversation.objects.filter(pk=conversation.pk).update(created_at=started)
    message = Message.objects.create(
        conversation=conversation,
        sender=buyer,
        sender_side=Side.BUYER,
        body="Hello",
        client_id=uuid.uuid4().hex,
    )
    Message.objects.filter(pk=message.pk).update(created_at=started)
    if reply_after is not None:
        reply = Message.objects.create(
            conversation=conversation,
            sender=member,
            sender_side=Side.COMPANY,
            body="Welcome",
            client_id=uuid.uuid4().hex,
        )
        Message.objects.filter(pk=reply.pk).update(created_at=started + reply_after)
    return conversation


def meeting(*, fair, company, buyer, status, created: datetime, starts: datetime) -> Meeting:
    item = Meeting.objects.create(
        fair=fair,
        company=company,
        buyer=buyer,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=30),
        status=status,
        requested_by=buyer,
        requested_side=MeetingSide.BUYER,
        no_show_side=MeetingSide.BUYER if status == MeetingStatus.NO_SHOW else "",
    )
    Meeting.objects.filter(pk=item.pk).update(created_at=created)
    return item


def paid_order(*, fair, company, buyer, amount: int, paid_at: datetime, currency: str = "USD") -> Order:
    return Order.objects.create(
        kind=OrderKind.BUYER_PAYMENT,
        fair=fair,
        payer_user=buyer,
        payee_company=company,
        currency=currency,
        net_amount=amount,
        total_amount=amount,
        reference=f"R-{uuid.uuid4().hex[:10]}",
        paid_at=paid_at,
    )


@dataclass
class KnownFair:
    fair: FairPage
    company: Company
    other_company: Company
    booth: Booth
    other_booth: Booth
    owner: User
    staff_member: User
    other_owner: User
    buyers: list
    held: list


def known_fair(**fair_kwargs) -> KnownFair:
    """Fair of 10–12 March 2026 (UTC). Company A (Peru, hall "North"): 4 chats (waits 10 min, 30 min,
    unanswered, 60 min), 6 meetings (requested, accepted, 2 held, no-show, declined), 2 paid orders; views
    on two days. Company B (Colombia, hall "South"): 1 unanswered chat, 1 held meeting."""
    fair = FairPageFactory(
        time_zone="UTC",
        starts_at=START,
        ends_at=at(12, 18),
        applications_open_at=START - timedelta(days=60),
        applications_close_at=START - timedelta(days=5),
        **fair_kwargs,
    )
    north = HallFactory(fair=fair, name="North", sort_order=1)
    south = HallFactory(fair=fair, name="South", sort_order=2)
    company = CompanyFactory(legal_name="Andes Coffee", country="PE")
    other_company = CompanyFactory(legal_name="Cafe Sierra", country="CO")
    booth = BoothFactory(company=company, fair=fair, hall=north, status=ApplicationStatus.APPROVED)
    other_booth = BoothFactory(
        company=other_company, fair=fair, hall=south, status=ApplicationStatus.APPROVED
    )
    owner = MembershipFactory(company=company).user
    staff_member = MembershipFactory(company=company, role="staff").user
    other_owner = MembershipFactory(company=other_company).user
    buyers = [UserFactory(preferred_language=language) for language in ("es", "fr", "pt", "en")]

    chat(booth=booth, buyer=buyers[0], member=owner, started=at(10, 10), reply_after=timedelta(minutes=10))
    chat(booth=booth, buyer=buyers[1], member=owner, started=at(10, 11), reply_after=timedelta(minutes=30))
    chat(booth=booth, buyer=buyers[2], member=owner, started=at(11, 9), reply_after=None)
    chat(booth=booth, buyer=buyers[3], member=owner, started=at(11, 12), reply_after=timedelta(minutes=60))
    chat(booth=other_booth, buyer=buyers[0], member=other_owner, started=at(12, 9), reply_after=None)

    held = [
        meeting(
            fair=fair,
            company=company,
            buyer=buyers[0],
            status=MeetingStatus.HELD,
            created=at(10, 9),
            starts=at(11, 10),
        ),
        meeting(
            fair=fair,
            company=company,
            buyer=buyers[1],
            status=MeetingStatus.HELD,
            created=at(10, 9),
            starts=at(11, 11),
        ),
        meeting(
            fair=fair,
            company=other_company,
            buyer=buyers[2],
            status=MeetingStatus.HELD,
            created=at(10, 12),
            starts=at(12, 10),
        ),
    ]
    meeting(
        fair=fair,
        company=company,
        buyer=buyers[2],
        status=MeetingStatus.REQUESTED,
        created=at(10, 10),
        starts=at(12, 10),
    )
    meeting(
        fair=fair,
        company=company,
        buyer=buyers[3],
        status=MeetingStatus.ACCEPTED,
        created=at(11, 9),
        starts=at(12, 11),
    )
    meeting(
        fair=fair,
        company=company,
        buyer=buyers[3],
        status=MeetingStatus.NO_SHOW,
        created=at(11, 9),
        starts=at(12, 9),
    )
    meeting(
        fair=fair,
        company=company,
        buyer=buyers[1],
        status=MeetingStatus.DECLINED,
        created=at(12, 9),
        starts=at(12, 15),
    )

    paid_order(fair=fair, company=company, buyer=buyers[0], amount=15000, paid_at=at(11, 14))
    paid_order(fair=fair, company=company, buyer=buyers[1], amount=2550, paid_at=at(11, 16))
    BoothDailyViews.objects.create(booth=booth, day=DAY1, views=40, unique_visitors=12)
    BoothDailyViews.objects.create(booth=booth, day=DAY3, views=7, unique_visitors=5)
    BoothDailyViews.objects.create(booth=other_booth, day=DAY1, views=100, unique_visitors=90)
    return KnownFair(
        fair=fair,
        company=company,
        other_company=other_company,
        booth=booth,
        other_booth=other_booth,
        owner=owner,
        staff_member=staff_member,
        other_owner=other_owner,
        buyers=buyers,
        held=held,
    )
