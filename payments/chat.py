"""The "payment_request" chat message kind: sent by the exhibitor's side only, through
payments.services_orders.payment_request_create (never from a socket frame), rendered as a card with the
request's lines and a Pay button for the buyer."""

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from fair.chat.enums import MessageKind, Side
from fair.chat.kinds import KindSpec, register

TEMPLATE = "chat/kinds/payment_request.html"


def _int(value, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValidationError(_("This payment request is not valid."), code="payload")
    return value


def _text(value, max_length: int, *, blank: bool = True) -> str:
    if not isinstance(value, str) or len(value) > max_length or (not blank and not value.strip()):
        raise ValidationError(_("This payment request is not valid."), code="payload")
    return value


def clean_payment_request(payload: dict) -> dict:
    """Check the snapshot stored with the message: the order id and what the card shows."""
    if not isinstance(payload, dict):
        raise ValidationError(_("This payment request is not valid."), code="payload")
    lines = payload.get("lines")
    taxes = payload.get("taxes", [])
    if (
        not isinstance(lines, list)
        or not 1 <= len(lines) <= 20
        or not isinstance(taxes, list)
        or len(taxes) > 5
        or not all(isinstance(item, dict) for item in [*lines, *taxes])
    ):
        raise ValidationError(_("This payment request is not valid."), code="payload")
    expires = _text(payload.get("expires_at"), 40, blank=False)
    if parse_datetime(expires) is None:
        raise ValidationError(_("This payment request is not valid."), code="payload")
    currency = _text(payload.get("currency"), 3, blank=False)
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        raise ValidationError(_("This payment request is not valid."), code="payload")
    return {
        "order_id": _int(payload.get("order_id"), minimum=1),
        "reference": _text(payload.get("reference"), 40, blank=False),
        "currency": currency,
        "lines": [
            {
                "description": _text(line.get("description"), 200, blank=False),
                "quantity": _int(line.get("quantity"), minimum=1),
                "unit_amount": _int(line.get("unit_amount"), minimum=1),
            }
            for line in lines
        ],
        "taxes": [
            {
                "name": _text(tax.get("name"), 60, blank=False),
                "rate": _text(tax.get("rate"), 12, blank=False),
                "amount": _int(tax.get("amount")),
            }
            for tax in taxes
        ],
        "net": _int(payload.get("net")),
        "tax": _int(payload.get("tax")),
        "total": _int(payload.get("total"), minimum=1),
        "note": _text(payload.get("note", ""), 1000),
        "expires_at": expires,
    }


def payment_request_orders(messages: list) -> dict:
    """The chat kinds' `prepare` hook: {message id: its Order (attempts, refunds and disputes prefetched), or
    None when it is gone} for a page of payment-request messages, in four queries whatever their number."""
    from payments.models import Order

    wanted = {
        message.pk: message.payload.get("order_id")
        for message in messages
        if isinstance(message.payload, dict) and isinstance(message.payload.get("order_id"), int)
    }
    orders = {}
    if wanted:
        found = Order.objects.filter(
            pk__in=set(wanted.values()), message_id__in=list(wanted)
        ).prefetch_related("attempts", "refunds", "disputes")
        orders = {(order.pk, order.message_id): order for order in found}
    return {message.pk: orders.get((wanted.get(message.pk), message.pk)) for message in messages}


def register_payment_request_kind() -> None:
    register(
        KindSpec(
            kind=MessageKind.PAYMENT_REQUEST,
            template=TEMPLATE,
            senders=frozenset({Side.COMPANY}),
            clean_payload=clean_payment_request,
            from_socket=False,
            prepare=payment_request_orders,
        )
    )
