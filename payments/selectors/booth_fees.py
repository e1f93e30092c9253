"""Reads for payments."""

from django.db.models import Exists, OuterRef, Q

from payments.enums import OrderKind
from payments.models import Order


def booth_fee_settled_q() -> Q:
    """A rule of exhibitors.selectors.BOOTH_LIVE_RULES: the booth needs no payment (the fair does not ask
    for one before going live, or the package is free) or its booth fee is paid. One Q on Booth."""
    paid = Order.objects.filter(booth=OuterRef("pk"), kind=OrderKind.BOOTH_FEE, paid_at__isnull=False)
    return Q(fair__booth_payment_required=False) | Q(package__price_amount=0) | Q(Exists(paid))


def booth_fee_order(*, booth) -> Order | None:
    """The booth's fee order as it stands (made by payments.services.booth_fees when the application or
    package changes); None when there is none. Reads only."""
    return Order.objects.filter(booth=booth, kind=OrderKind.BOOTH_FEE).first()


def order_received_and_due(order: Order) -> tuple[int, int]:
    """(received, still due) in minor units."""
    from payments.services.booth_fees import received_amount

    received = received_amount(order)
    return received, max(order.total_amount - received, 0)


def order_state(order: Order) -> str:
    """The order's state, derived from its attempts, payments received, refunds and disputes."""
    from payments.enums import DisputeStatus, OrderState, RefundStatus

    if order.disputes.exclude(status__in=[DisputeStatus.WON, DisputeStatus.WARNING_CLOSED]).exists():
        return OrderState.DISPUTED
    if order.paid_at is not None:
        refunded = sum(
            order.refunds.filter(status=RefundStatus.SUCCEEDED, excess=False).values_list("amount", flat=True)
        )
        if refunded >= order.total_amount:
            return OrderState.REFUNDED
        if refunded:
            return OrderState.PARTIALLY_REFUNDED
        return OrderState.PAID
    received, _due = order_received_and_due(order)
    if received:
        return OrderState.PARTIALLY_PAID
    from django.utils import timezone

    if order.expires_at is not None and order.expires_at <= timezone.now():
        return OrderState.EXPIRED
    return OrderState.UNPAID


def order_history(order: Order) -> list[dict]:
    """What happened to the order's money, oldest first: each card payment that succeeded, each bank
    transfer recorded, each refund with why (an automatic one says the money arrived after the order was
    covered). Items: {"when", "kind" ("card", "bank", "refund", "excess_refund"), "amount", "currency",
    "status", "reason"}. Three queries."""
    from datetime import datetime, time

    from django.utils import timezone

    from payments.enums import AttemptMethod, AttemptStatus
    from payments.models import BankTransferReceipt

    items = [
        {
            "when": attempt.succeeded_at,
            "kind": "card",
            "amount": attempt.amount,
            "currency": attempt.currency,
            "status": "",
            "reason": "",
        }
        for attempt in order.attempts.filter(method=AttemptMethod.CHECKOUT, status=AttemptStatus.SUCCEEDED)
    ]
    items += [
        {
            "when": timezone.make_aware(datetime.combine(receipt.received_on, time(12))),
            "kind": "bank",
            "amount": receipt.amount,
            "currency": order.currency,
            "status": "",
            "reason": receipt.bank_reference,
        }
        for receipt in BankTransferReceipt.objects.filter(attempt__order=order)
    ]
    items += [
        {
            "when": refund.created_at,
            "kind": "excess_refund" if refund.excess else "refund",
            "amount": refund.amount,
            "currency": refund.currency,
            "status": refund.get_status_display(),
            "reason": "" if refund.excess else refund.reason,
        }
        for refund in order.refunds.all()
    ]
    return sorted(items, key=lambda item: item["when"] or order.created_at)


def booth_fee_page(*, order: Order) -> dict:
    """What the booth-fee page shows: the order with its lines, what came in, the bank-transfer attempt and
    its proofs and recorded amounts, and the receipt once paid."""
    from payments.enums import AttemptMethod, AttemptStatus
    from payments.models import BankTransferReceipt, Receipt

    received, due = order_received_and_due(order)
    bank = (
        order.attempts.filter(method=AttemptMethod.BANK_TRANSFER)
        .exclude(status=AttemptStatus.CANCELLED)
        .first()
    )
    return {
        "order": order,
        "lines": list(order.lines.all()),
        "tax_lines": list(order.tax_lines.all()),
        "received": received,
        "due": due,
        "state": order_state(order),
        "bank_attempt": bank,
        "proofs": list(bank.proofs.select_related("file")) if bank else [],
        "bank_receipts": list(BankTransferReceipt.objects.filter(attempt__order=order)),
        "processing": order.attempts.filter(status=AttemptStatus.PROCESSING).exists(),
        "receipt": Receipt.objects.filter(order=order).first(),
        "history": order_history(order),
    }


def booth_fees_for_admin(*, fair_id: int | None = None, state: str = "") -> list[dict]:
    """The chamber's list of booth fees, with what was received and what is due and the latest transfer proof
    the company uploaded, filtered by fair and state ("paid", "unpaid", "partial", or "proof_unrecorded":
    unpaid, with a proof uploaded after the last amount staff recorded)."""
    from django.db.models import DateTimeField, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
    from django.db.models.functions import Coalesce

    from payments.enums import AttemptMethod, AttemptStatus
    from payments.models import BankTransferProof, BankTransferReceipt, PaymentAttempt

    card = (
        PaymentAttempt.objects.filter(
            order=OuterRef("pk"), method=AttemptMethod.CHECKOUT, status=AttemptStatus.SUCCEEDED
        )
        .values("order")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    bank = (
        BankTransferReceipt.objects.filter(attempt__order=OuterRef("pk"))
        .values("attempt__order")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    last_proof = BankTransferProof.objects.filter(attempt__order=OuterRef("pk")).order_by(
        "-uploaded_at", "-pk"
    )
    last_recorded = BankTransferReceipt.objects.filter(attempt__order=OuterRef("pk")).order_by(
        "-recorded_at", "-pk"
    )
    orders = (
        Order.objects.filter(kind=OrderKind.BOOTH_FEE)
        .select_related("payer_company", "fair", "booth__package", "receipt")
        .annotate(
            card_received=Coalesce(Subquery(card, output_field=IntegerField()), Value(0)),
            bank_received=Coalesce(Subquery(bank, output_field=IntegerField()), Value(0)),
            proof_uploaded_at=Subquery(last_proof.values("uploaded_at")[:1], output_field=DateTimeField()),
            last_recorded_at=Subquery(last_recorded.values("recorded_at")[:1], output_field=DateTimeField()),
        )
        .order_by("fair_id", "payer_company__legal_name")
    )
    if fair_id:
        orders = orders.filter(fair_id=fair_id)
    if state == "paid":
        orders = orders.filter(paid_at__isnull=False)
    elif state in ("unpaid", "partial"):
        orders = orders.filter(paid_at__isnull=True)
    elif state == "proof_unrecorded":
        orders = orders.filter(paid_at__isnull=True, proof_uploaded_at__isnull=False).filter(
            Q(last_recorded_at__isnull=True) | Q(proof_uploaded_at__gt=F("last_recorded_at"))
        )
    rows = []
    for order in orders:
        received = order.card_received + order.bank_received
        if state == "unpaid" and received:
            continue
        if state == "partial" and not received:
            continue
        proof_unrecorded = (
            order.paid_at is None
            and order.proof_uploaded_at is not None
            and (order.last_recorded_at is None or order.proof_uploaded_at > order.last_recorded_at)
        )
        rows.append(
            {
                "order": order,
                "received": received,
                "due": max(order.total_amount - received, 0),
                "proof_unrecorded": proof_unrecorded,
            }
        )
    return rows
