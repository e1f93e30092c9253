"""Rows the privacy tests need around a person: a conversation with messages, a paid order and receipt."""

import uuid

from django.utils import timezone

from payments.enums import AttemptMethod, OrderKind
from payments.models import Order, OrderLine, Receipt


def chat_with_messages(*, buyer, company, company_member, texts=("Hello", "Welcome")):
    """The buyer's conversation with the company: the buyer writes texts[0], the member answers texts[1]."""
    from fair.chat.services.conversations import conversation_start, message_send

    conversation = conversation_start(buyer=buyer, company=company)
    message_send(conversation=conversation, sender=buyer, client_id=uuid.uuid4().hex, body=texts[0])
    message_send(conversation=conversation, sender=company_member, client_id=uuid.uuid4().hex, body=texts[1])
    return conversation


def paid_order_with_receipt(*, buyer, company, reference: str, recipient_name: str, recipient_tax_id: str):
    now = timezone.now()
    order = Order.objects.create(
        kind=OrderKind.BUYER_PAYMENT,
        payer_user=buyer,
        payee_company=company,
        currency="USD",
        net_amount=10000,
        tax_amount=0,
        total_amount=10000,
        reference=reference,
        note="Samples for the trade show",
        paid_at=now,
    )
    OrderLine.objects.create(
        order=order, description="Coffee samples", quantity=1, unit_amount=10000, amount=10000
    )
    Receipt.objects.create(
        order=order,
        series_company=company,
        number=Receipt.objects.filter(series_company=company).count() + 1,
        display_number=f"R-{reference}",
        issuer_name=company.legal_name,
        issuer_tax_id="20123456789",
        recipient_name=recipient_name,
        recipient_tax_id=recipient_tax_id,
        currency="USD",
        net_amount=10000,
        tax_amount=0,
        total_amount=10000,
        payment_method=AttemptMethod.CHECKOUT,
        issued_at=now,
    )
    return order
