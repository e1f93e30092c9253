"""The demo seed's closed company: Julio (the demo owner) also owned a small second company, which Katrin (the
demo buyer) had written to, and closed it. So Katrin's inbox shows a conversation that says "This company has
closed", and the admin's audit log and the record log show the closing. Done once: a second run finds the
company and changes nothing."""

import uuid

from exhibitors.enums import MembershipRole
from exhibitors.models import Company, Membership
from exhibitors.services.closing import company_close
from fair.chat.services.conversations import conversation_start, message_send

DEMO_NAME = "Tejidos Altiplano S.A.C."


def closing_demo(seed) -> None:
    """Create the second company, Katrin's question to it, and close it (once)."""
    if Company.objects.filter(legal_name=DEMO_NAME).exists():
        return
    owner, buyer = seed.people["owner"], seed.people["buyer"]
    company = Company.objects.create(
        legal_name=DEMO_NAME,
        slug="tejidos-altiplano",
        country="PE",
        city="Puno",
        description="Alpaca knitwear from cooperatives around Lake Titicaca.",
        description_language="en",
        tax_id="20600000001",
    )
    Membership.objects.create(user=owner, company=company, role=MembershipRole.OWNER)
    conversation = conversation_start(buyer=buyer, company=company)
    message_send(
        conversation=conversation,
        sender=buyer,
        client_id=uuid.uuid4().hex,
        body="Do you still make the baby alpaca scarves in natural colours?",
    )
    company_close(company=company, by=owner)
