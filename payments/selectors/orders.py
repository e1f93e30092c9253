"""Reads of buyer payments: a company's and a buyer's orders, and an order's state as the buyer sees it."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exhibitors.models import Company
from payments.enums import AttemptStatus, DisputeStatus, OrderKind, RefundStatus
from payments.models import Order


def company_orders(company: Company):
    return (
        Order.objects.filter(kind=OrderKind.BUYER_PAYMENT, payee_company=company)
        .select_related("payer_user", "conversation", "receipt")
        .prefetch_related("refunds", "disputes", "attempts")
        .order_by("-created_at", "-id")
    )


def buyer_orders(user):
    return (
        Order.objects.filter(kind=OrderKind.BUYER_PAYMENT, payer_user=user)
        .select_related("payee_company", "receipt")
        .prefetch_related("refunds", "disputes", "attempts")
        .order_by("-created_at", "-id")
    )


STATE_LABELS = {
    "unpaid": _("Waiting for payment"),
    "processing": _("Payment processing"),
    "paid": _("Paid"),
    "partially_refunded": _("Partly refunded"),
    "refunded": _("Refunded"),
    "disputed": _("Disputed"),
    "expired": _("Expired"),
    "cancelled": _("Withdrawn"),
}


def buyer_order_state(order: Order, now=None) -> str:
    """unpaid, processing, paid, partially_refunded, refunded, disputed, expired or cancelled; from the
    order's prefetched attempts, refunds and disputes (no query when prefetched)."""
    from payments.enums import OrderState

    now = now or timezone.now()
    if any(d.status not in (DisputeStatus.WON, DisputeStatus.WARNING_CLOSED) for d in order.disputes.all()):
        return OrderState.DISPUTED
    if order.paid_at is not None:
        refunded = sum(
            r.amount for r in order.refunds.all() if r.status == RefundStatus.SUCCEEDED and not r.excess
        )
        if refunded >= order.total_amount:
            return OrderState.REFUNDED
        return OrderState.PARTIALLY_REFUNDED if refunded else OrderState.PAID
    if order.cancelled_at is not None:
        return "cancelled"
    if any(a.status == AttemptStatus.PROCESSING for a in order.attempts.all()):
        return "processing"
    if order.expires_at is not None and order.expires_at <= now:
        return OrderState.EXPIRED
    return OrderState.UNPAID
