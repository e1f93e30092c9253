"""The payments app's entries in the record log (exhibitors/records, docs/records.md): a payment request
issued, an order paid, a refund that went through. Each runs inside the transaction of the change it
records, so a rolled-back payment leaves no entry."""

from django.utils.translation import gettext_lazy as _

from exhibitors.records.chain import time_text
from exhibitors.records.kinds import record_kind_register, record_subject
from exhibitors.records.services import record_append
from payments.models import Order, Receipt, Refund

KIND_REQUEST = "payment_request.issued"
KIND_PAID = "order.paid"
KIND_REFUND = "refund.succeeded"


def payment_record_kinds_register() -> None:
    """Called once at start-up (payments.apps)."""
    record_kind_register(KIND_REQUEST, _("Payment request issued"))
    record_kind_register(KIND_PAID, _("Order paid"))
    record_kind_register(KIND_REFUND, _("Refund paid out"))


def order_subject(order: Order) -> str:
    return record_subject("payments.order", order.pk)


def _order_facts(order: Order) -> dict:
    return {
        "order": order.reference,
        "order_kind": order.kind,
        "currency": order.currency,
        "net_amount": order.net_amount,
        "tax_amount": order.tax_amount,
        "total_amount": order.total_amount,
        "payer_company_id": order.payer_company_id,
        "payer_user_id": order.payer_user_id,
        "payee_company_id": order.payee_company_id,
        "fair_id": order.fair_id,
    }


def _parties(order: Order) -> dict:
    return {
        "users": [order.payer_user_id] if order.payer_user_id else [],
        "companies": [pk for pk in (order.payer_company_id, order.payee_company_id) if pk],
    }


def payment_request_record(*, order: Order) -> None:
    """Side effect: a `payment_request.issued` entry (the buyer and the exhibitor are its parties)."""
    facts = _order_facts(order) | {
        "lines": [
            {"description": line.description, "quantity": line.quantity, "unit_amount": line.unit_amount}
            for line in order.lines.all()
        ],
        "expires_at": time_text(order.expires_at) if order.expires_at else None,
    }
    record_append(kind=KIND_REQUEST, facts=facts, subject=order_subject(order), **_parties(order))


def order_paid_record(*, order: Order, receipt: Receipt) -> None:
    """Side effect: an `order.paid` entry (payer and payee are its parties)."""
    facts = _order_facts(order) | {
        "paid_at": time_text(order.paid_at),
        "receipt": receipt.display_number,
        "method": receipt.payment_method,
    }
    record_append(kind=KIND_PAID, facts=facts, subject=order_subject(order), **_parties(order))


def refund_record(*, refund: Refund) -> None:
    """Side effect: a `refund.succeeded` entry about the refund's order (payer and payee are its parties)."""
    order = refund.order
    facts = _order_facts(order) | {
        "refund_id": refund.pk,
        "refund_amount": refund.amount,
        "refund_currency": refund.currency,
        "excess": refund.excess,
    }
    record_append(kind=KIND_REFUND, facts=facts, subject=order_subject(order), **_parties(order))
