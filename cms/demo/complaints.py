"""The demo seed's complaints step: four complaints of the demo buyer in different states, so "My
complaints" and the chamber's queue have something in them at once: one awaiting the exhibitor's answer,
one in mediation (its deadline missed, a message from the chamber), one decided with a refund recommended on
an order paid by transfer, and one resolved by agreement with the buyer's feedback.

Everything goes through the complaint services, except the demo order (the demo companies take no card
payments), written as rows. It runs once: when the demo buyer already has complaints it adds nothing."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cms.demo import data
from cms.demo.chat import SECOND_COMPANY
from complaints.enums import Audience, Outcome
from complaints.models import Complaint
from complaints.services.complaints import (
    complaint_answer,
    complaint_message,
    complaint_open,
    complaints_flag_overdue,
)
from complaints.services.decisions import complaint_decide, complaint_feedback
from exhibitors.enums import MembershipRole
from exhibitors.models import Booth, Company, Membership
from fair.chat.services.conversations import conversation_start
from fair.meetings.models import Meeting
from payments.enums import OrderKind
from payments.models import Order, OrderLine

DEMO_ORDER_REFERENCE = "DEMO-COMPLAINT-1"


def seed_complaints(seeder) -> None:
    """The step seed.py calls; writes in one transaction."""
    with transaction.atomic():
        _seed(seeder)


def _owner(company: Company):
    return (
        Membership.objects.filter(company=company, role=MembershipRole.OWNER)
        .select_related("user")
        .first()
        .user
    )


def _seed(seeder) -> None:
    buyer = seeder.people["buyer"]
    staff = seeder.people["staff"]
    fair = seeder.fairs["live"]
    if Complaint.objects.filter(buyer=buyer).exists():
        return
    first = Company.objects.get(slug=data.DEMO_OWNER_COMPANY)
    second = Company.objects.get(slug=SECOND_COMPANY)
    booth = Booth.objects.filter(company=second, fair=fair).first()

    # 1. Awaiting the exhibitor's answer.
    complaint_open(
        by=buyer,
        subject=conversation_start(buyer=buyer, company=second, booth=booth),
        what_happened="I was promised a price list two weeks ago in the chat and nothing came.",
        wish="other",
        wish_detail="The price list, and a date we can rely on.",
    )

    # 2. In mediation: a meeting the exhibitor did not come to, unanswered past its deadline.
    meeting = (
        Meeting.objects.filter(fair=fair, buyer=buyer, company__in=[first, second])
        .order_by("starts_at")
        .first()
    )
    if meeting is not None:
        missed = complaint_open(
            by=buyer,
            subject=meeting,
            what_happened="I waited 20 minutes in the call room; nobody joined and nobody wrote.",
            wish="apology",
        )
        # Opened nine days ago, so its seven days to answer are over; the periodic job flags it.
        Complaint.objects.filter(pk=missed.pk).update(
            created_at=timezone.now() - timedelta(days=9), answer_due_at=timezone.now() - timedelta(days=2)
        )
        complaints_flag_overdue()
        complaint_message(
            complaint=missed,
            by=staff,
            audience=Audience.BOTH,
            text="We have asked the exhibitor to explain what happened. Please both reply here.",
        )

    # 3. Decided: refund recommended on an order paid by transfer.
    order = Order.objects.filter(reference=DEMO_ORDER_REFERENCE).first()
    if order is None:
        order = Order.objects.create(
            kind=OrderKind.BUYER_PAYMENT,
            fair=fair,
            payer_user=buyer,
            payee_company=first,
            currency="USD",
            net_amount=24000,
            tax_amount=0,
            total_amount=24000,
            reference=DEMO_ORDER_REFERENCE,
            note="Sample boxes, shipped by courier",
            paid_at=timezone.now() - timedelta(days=10),
        )
        OrderLine.objects.create(
            order=order, description="Sample box, washed Geisha", quantity=2, unit_amount=12000, amount=24000
        )
    damaged = complaint_open(
        by=buyer,
        subject=order,
        what_happened="One of the two sample boxes arrived crushed and wet; the beans are mouldy.",
        wish="refund",
        wish_detail="Half the amount back.",
    )
    complaint_answer(
        complaint=damaged, by=_owner(first), text="The courier damaged it; we agree to give half back."
    )
    complaint_decide(
        complaint=damaged,
        by=staff,
        outcome=Outcome.REFUND,
        refund_amount=12000,
        text="The exhibitor agrees the box was damaged in transit. We recommend refunding one box.",
    )

    # 4. Resolved by agreement, with the buyer's feedback.
    rude = complaint_open(
        by=buyer,
        subject=conversation_start(buyer=buyer, company=first),
        what_happened="A staff member answered rudely when I asked about certifications.",
        wish="apology",
    )
    complaint_answer(complaint=rude, by=_owner(first), text="We apologise; it will not happen again.")
    complaint_decide(
        complaint=rude,
        by=staff,
        outcome=Outcome.AGREEMENT,
        text="The exhibitor apologised and the buyer accepted.",
    )
    complaint_feedback(complaint=rude, by=buyer, resolved=True, comment="Thank you for stepping in.")
    seeder.report.count("complaints", 4 if meeting is not None else 3)
