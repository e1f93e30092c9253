"""The rows complaint tests need: a fair with a live booth, the exhibitor's members, a buyer, their
conversation, a meeting and a buyer payment; complaints opened through the service."""

import uuid
from dataclasses import dataclass

from exhibitors.enums import ApplicationStatus, MembershipRole
from payments.enums import OrderKind
from payments.models import Order, OrderLine
from tests.factories.exhibitors import BoothFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.factories.fair import FairPageFactory
from tests.factories.meetings import MeetingFactory, MeetingSlotFactory


@dataclass
class Parties:
    fair: object
    company: object
    owner: object
    member: object
    buyer: object
    stranger: object
    stranger_company_owner: object
    booth: object
    conversation: object
    meeting: object
    order: object


def buyer_order(*, buyer, company, fair, conversation=None, reference=None, paid=True) -> Order:
    from django.utils import timezone

    order = Order.objects.create(
        kind=OrderKind.BUYER_PAYMENT,
        fair=fair,
        payer_user=buyer,
        payee_company=company,
        conversation=conversation,
        currency="USD",
        net_amount=10000,
        tax_amount=0,
        total_amount=10000,
        reference=reference or f"BP-{uuid.uuid4().hex[:10].upper()}",
        paid_at=timezone.now() if paid else None,
    )
    OrderLine.objects.create(
        order=order, description="Coffee samples", quantity=1, unit_amount=10000, amount=10000
    )
    return order


def parties_create(*, answer_days: int = 7) -> Parties:
    from fair.chat.services.conversations import conversation_start

    fair = FairPageFactory(
        title="Andean Trade Fair", slug=f"andean-{uuid.uuid4().hex[:6]}", complaint_answer_days=answer_days
    )
    company = CompanyFactory(legal_name="Cafe Inca S.A.C.")
    owner = UserFactory(
        email=f"olga-{uuid.uuid4().hex[:6]}@example.com",
        first_name="Olga",
        preferred_language="es",
        time_zone="America/Lima",
    )
    member = UserFactory(first_name="Sam", preferred_language="fr", time_zone="Europe/Paris")
    MembershipFactory(user=owner, company=company, role=MembershipRole.OWNER)
    MembershipFactory(user=member, company=company, role=MembershipRole.STAFF)
    buyer = UserFactory(first_name="Bea", preferred_language="en", time_zone="Europe/Berlin")
    stranger = UserFactory(first_name="Otto")
    other_company = CompanyFactory(legal_name="Otra S.A.")
    stranger_company_owner = UserFactory(first_name="Ona")
    MembershipFactory(user=stranger_company_owner, company=other_company, role=MembershipRole.OWNER)
    booth = BoothFactory(fair=fair, company=company, status=ApplicationStatus.APPROVED)
    conversation = conversation_start(buyer=buyer, company=company, booth=booth)
    meeting = MeetingFactory(slot=MeetingSlotFactory(fair=fair, company=company), buyer=buyer)
    order = buyer_order(buyer=buyer, company=company, fair=fair, conversation=conversation)
    return Parties(
        fair,
        company,
        owner,
        member,
        buyer,
        stranger,
        stranger_company_owner,
        booth,
        conversation,
        meeting,
        order,
    )


def complaint_open_as(
    parties: Parties, *, by=None, subject=None, text="The samples never arrived.", wish="refund"
):
    from complaints.services.complaints import complaint_open

    return complaint_open(
        by=by or parties.buyer, subject=subject or parties.order, what_happened=text, wish=wish
    )
