"""Disputes (chargebacks) of buyer payments, applied from Stripe's events, with their ledger movements."""

import logging
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from payments.enums import AttemptStatus, DisputeStatus, LedgerBook, LedgerKind
from payments.models import Dispute, Order, PaymentAttempt
from payments.money import from_stripe_amount
from payments.services.ledger import ledger_write

logger = logging.getLogger("feria.payments")

FINAL_DISPUTE = {DisputeStatus.WON, DisputeStatus.LOST, DisputeStatus.WARNING_CLOSED, DisputeStatus.PREVENTED}


# --- Disputes ---------------------------------------------------------------------------------------------


def _dispute_attempt(dispute: dict) -> PaymentAttempt | None:
    intent, charge = dispute.get("payment_intent"), dispute.get("charge")
    query = Q()
    if intent:
        query |= Q(stripe_payment_intent_id=intent)
    if charge:
        query |= Q(stripe_charge_id=charge)
    if not query:
        return None
    return PaymentAttempt.objects.filter(query, status=AttemptStatus.SUCCEEDED).first()


@transaction.atomic
def dispute_event_apply(*, dispute: dict) -> Dispute | None:
    """charge.dispute.*: record the dispute on the paid attempt's order (created once by its Stripe id),
    follow its status until it is closed (won, lost...), and write the money it moved from its balance
    transactions (funds withdrawn, Stripe's dispute fee, funds reinstated). Closed disputes do not reopen,
    so late events change nothing. Side effects: the Dispute row, ledger rows."""
    attempt = _dispute_attempt(dispute)
    if attempt is None:
        logger.info("Dispute %s is not on a payment of ours", dispute.get("id"))
        return None
    order = Order.objects.select_for_update().get(pk=attempt.order_id)
    currency = attempt.currency
    status = dispute.get("status") or ""
    if status not in DisputeStatus.values:
        raise ValueError(f"unknown dispute status {status!r}")
    due = (dispute.get("evidence_details") or {}).get("due_by")
    record, created = Dispute.objects.select_for_update().get_or_create(
        stripe_dispute_id=dispute["id"],
        defaults={
            "order": order,
            "attempt": attempt,
            "amount": from_stripe_amount(int(dispute.get("amount") or 0), currency),
            "currency": currency,
            "reason": (dispute.get("reason") or "")[:60],
            "status": status,
            "evidence_due_by": datetime.fromtimestamp(due, tz=UTC) if due else None,
        },
    )
    if not created and record.status not in FINAL_DISPUTE and record.status != status:
        record.status = status
        record.amount = from_stripe_amount(int(dispute.get("amount") or record.amount), currency)
        if due:
            record.evidence_due_by = datetime.fromtimestamp(due, tz=UTC)
        record.save()
    if record.status in FINAL_DISPUTE and record.closed_at is None:
        record.closed_at = timezone.now()
        record.save(update_fields=["closed_at", "updated_at"])
    book = LedgerBook.CHAMBER  # on a destination charge Stripe debits the platform, not the exhibitor
    for movement in dispute.get("balance_transactions") or []:
        bt_id = movement.get("id")
        if not bt_id:
            continue
        amount = from_stripe_amount(int(movement.get("amount") or 0), currency)
        fee = from_stripe_amount(int(movement.get("fee") or 0), currency)
        common = {
            "currency": currency,
            "order": order,
            "attempt": attempt,
            "dispute": record,
            "fair": order.fair,
            "company_id": order.payee_company_id,
            "stripe_object_id": bt_id,
        }
        if amount:
            ledger_write(
                key=f"dispute-{bt_id}",
                book=book,
                kind=LedgerKind.DISPUTE if amount < 0 else LedgerKind.DISPUTE_WON,
                amount=amount,
                description=f"Dispute on {order.reference}",
                **common,
            )
        if fee:
            ledger_write(
                key=f"dispute-fee-{bt_id}",
                book=book,
                kind=LedgerKind.DISPUTE_FEE,
                amount=-fee,
                description=f"Stripe's dispute fee on {order.reference}",
                **common,
            )
    return record
