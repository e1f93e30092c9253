"""Refunds of buyer payments: made by the exhibitor or automatically for money paid after the order was
covered; they reverse the transfer (`reverse_transfer`) and, as the fair says, give back the commission in
proportion (`refund_application_fee`). Each movement is written to the ledger under a key of its own."""

import logging
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

import stripe
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exhibitors.integers import parse_id
from payments.enums import AttemptMethod, AttemptStatus, LedgerBook, LedgerKind, OrderKind, RefundStatus
from payments.models import Order, PaymentAttempt, Refund
from payments.money import AmountNotRepresentable, format_money, from_stripe_amount, to_stripe_amount
from payments.services.booth_fees import received_amount
from payments.services.ledger import ledger_write
from payments.services.orders import KIND, BuyerPaymentRefused, stripe_step
from payments.services.records import refund_record
from payments.stripe_client import request_options, stripe_client

logger = logging.getLogger("feria.payments")

OPEN_REFUND = [
    RefundStatus.CREATED,
    RefundStatus.PENDING,
    RefundStatus.REQUIRES_ACTION,
    RefundStatus.SUCCEEDED,
]


# --- Refunds ----------------------------------------------------------------------------------------------

R = RefundStatus
REFUND_TRANSITIONS: dict[str, set[str]] = {
    R.CREATED: {R.PENDING, R.REQUIRES_ACTION, R.SUCCEEDED, R.FAILED, R.CANCELED},
    R.PENDING: {R.REQUIRES_ACTION, R.SUCCEEDED, R.FAILED, R.CANCELED},
    R.REQUIRES_ACTION: {R.PENDING, R.SUCCEEDED, R.FAILED, R.CANCELED},
    # Stripe can report a refund as failed after it succeeded (the card could not take it back).
    R.SUCCEEDED: {R.FAILED},
    R.FAILED: set(),
    R.CANCELED: set(),
}


def refund_can_move(refund: Refund, to: str) -> bool:
    return to in REFUND_TRANSITIONS[refund.status]


def refundable_amount(order: Order) -> int:
    """What can still be refunded: card payments received minus refunds not failed or cancelled (a refund
    not yet confirmed by Stripe keeps its amount reserved)."""
    paid = (
        order.attempts.filter(method=AttemptMethod.CHECKOUT, status=AttemptStatus.SUCCEEDED).aggregate(
            total=Sum("amount")
        )["total"]
        or 0
    )
    refunded = order.refunds.filter(status__in=OPEN_REFUND).aggregate(total=Sum("amount"))["total"] or 0
    return max(paid - refunded, 0)


def attempt_refundable_amount(attempt: PaymentAttempt) -> int:
    """What can still be refunded of one card payment (refunds not failed or cancelled count)."""
    refunded = attempt.refunds.filter(status__in=OPEN_REFUND).aggregate(total=Sum("amount"))["total"] or 0
    return max(attempt.amount - refunded, 0)


def _fee_refunded_through(order: Order, refunded_total: int) -> int:
    """The commission given back once `refunded_total` of the order is refunded: in proportion, rounded half
    up to the Stripe step, all of it on a full refund."""
    fee = order.application_fee_amount
    if not fee or not order.total_amount:
        return 0
    if refunded_total >= order.total_amount:
        return fee
    step = stripe_step(order.currency)
    exact = Decimal(fee) * Decimal(refunded_total) / Decimal(order.total_amount) / step
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)) * step


def _refund_fee_part(refund: Refund) -> int:
    if not refund.refund_application_fee:
        return 0
    order = refund.order
    # Per attempt: each card payment carried its own commission (a second payment of a request too).
    earlier = (
        refund.attempt.refunds.filter(status=R.SUCCEEDED, refund_application_fee=True)
        .exclude(pk=refund.pk)
        .filter(Q(created_at__lt=refund.created_at) | Q(created_at=refund.created_at, pk__lt=refund.pk))
        .aggregate(total=Sum("amount"))["total"]
        or 0
    )
    return _fee_refunded_through(order, earlier + refund.amount) - _fee_refunded_through(order, earlier)


def _refund_ledger(refund: Refund) -> None:
    order = refund.order
    if order.kind == OrderKind.BOOTH_FEE:
        # Paid on the chamber's own account: the chamber gives the money back.
        ledger_write(
            key=f"refund-{refund.pk}",
            book=LedgerBook.CHAMBER,
            kind=LedgerKind.REFUND,
            amount=-refund.amount,
            currency=refund.currency,
            order=order,
            attempt=refund.attempt,
            refund=refund,
            fair=order.fair,
            description=f"Refund to {order.payer_company.legal_name} on {order.reference}",
            stripe_object_id=refund.stripe_refund_id or "",
        )
        return
    common = {
        "currency": refund.currency,
        "order": order,
        "attempt": refund.attempt,
        "refund": refund,
        "fair": order.fair,
        "company_id": order.payee_company_id,
        "stripe_object_id": refund.stripe_refund_id or "",
    }
    ledger_write(
        key=f"bp-refund-{refund.pk}",
        book=LedgerBook.CHAMBER,
        kind=LedgerKind.REFUND,
        amount=-refund.amount,
        description=f"Refund to the buyer on {order.reference}",
        **common,
    )
    if refund.reverse_transfer:
        ledger_write(
            key=f"bp-reversal-chamber-{refund.pk}",
            book=LedgerBook.CHAMBER,
            kind=LedgerKind.TRANSFER_REVERSAL,
            amount=refund.amount,
            description=f"Transfer reversed from the exhibitor on {order.reference}",
            **common,
        )
        ledger_write(
            key=f"bp-reversal-{refund.pk}",
            book=LedgerBook.EXHIBITOR,
            kind=LedgerKind.TRANSFER_REVERSAL,
            amount=-refund.amount,
            description=f"Refund to the buyer on {order.reference}",
            **common,
        )
    fee_part = _refund_fee_part(refund)
    if fee_part:
        ledger_write(
            key=f"bp-fee-refund-chamber-{refund.pk}",
            book=LedgerBook.CHAMBER,
            kind=LedgerKind.APPLICATION_FEE_REFUND,
            amount=-fee_part,
            description=f"Commission given back on {order.reference}",
            **common,
        )
        ledger_write(
            key=f"bp-fee-refund-{refund.pk}",
            book=LedgerBook.EXHIBITOR,
            kind=LedgerKind.APPLICATION_FEE_REFUND,
            amount=fee_part,
            description=f"Commission given back on {order.reference}",
            **common,
        )


def _refund_move(refund: Refund, to: str, reason: str = "") -> bool:
    """Move a locked refund along its state machine; write the ledger when it succeeds (or the money coming
    back to the platform when a succeeded refund fails). Returns whether it moved."""
    if to == refund.status or not refund_can_move(refund, to):
        return False
    previous = refund.status
    refund.status = to
    if reason:
        refund.failure_reason = reason[:2000]
    refund.save(update_fields=["status", "failure_reason", "updated_at"])
    if to == R.SUCCEEDED:
        _refund_ledger(refund)
        refund_record(refund=refund)
    elif previous == R.SUCCEEDED and to == R.FAILED:
        order = refund.order
        ledger_write(
            key=f"bp-refund-failed-{refund.pk}",
            book=LedgerBook.CHAMBER,
            kind=LedgerKind.REFUND,
            amount=refund.amount,
            currency=refund.currency,
            order=order,
            refund=refund,
            attempt=refund.attempt,
            fair=order.fair,
            company_id=order.payee_company_id,
            description=f"Refund on {order.reference} failed; the money came back",
            stripe_object_id=refund.stripe_refund_id or "",
        )
    return True


def refund_create(*, order: Order, by, amount: int, reason: str = "") -> Refund:
    """The exhibitor's owner refunds (part of) a paid buyer payment. The Refund row is committed first, then
    Stripe is asked (idempotency key `refund-<refund id>`, reverse_transfer, refund_application_fee as the
    fair's policy says). Refused beyond what is still refundable. When Stripe cannot be reached the refund
    stays `created` and refund_send() tries again with the same key. Side effects: Refund row, one Stripe
    request, ledger rows once it succeeded."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.kind != KIND or locked.paid_at is None:
            raise BuyerPaymentRefused(_("Only paid buyer payments can be refunded."), code="not_paid")
        attempts = list(
            locked.attempts.filter(method=AttemptMethod.CHECKOUT, status=AttemptStatus.SUCCEEDED)
            .exclude(stripe_payment_intent_id="")
            .order_by("-succeeded_at", "-pk")
        )
        if not attempts:
            raise BuyerPaymentRefused(_("There is no card payment to refund."), code="no_payment")
        # The newest card payment that still has this much left (a second payment of the request may have
        # been given back already).
        left = {attempt.pk: attempt_refundable_amount(attempt) for attempt in attempts}
        attempt = next((a for a in attempts if left[a.pk] >= amount), attempts[0])
        available = min(refundable_amount(locked), max(left.values()))
        if amount <= 0:
            raise BuyerPaymentRefused({"amount": [_("Enter an amount above zero.")]}, code="amount")
        if amount > available:
            raise BuyerPaymentRefused(
                {
                    "amount": [
                        _("At most %(amount)s can be refunded.")
                        % {"amount": format_money(available, locked.currency)}
                    ]
                },
                code="amount_too_high",
            )
        try:
            to_stripe_amount(amount, locked.currency)
        except AmountNotRepresentable as exc:
            raise BuyerPaymentRefused(
                {"amount": [_("Stripe cannot refund this exact amount.")]}, code="amount"
            ) from exc
        refund = Refund.objects.create(
            order=locked,
            attempt=attempt,
            amount=amount,
            currency=locked.currency,
            reason=(reason or "").strip()[:300],
            reverse_transfer=True,
            refund_application_fee=bool(locked.fair and locked.fair.refund_application_fee),
            requested_by=by,
        )
    refund_send(refund=refund)
    refund.refresh_from_db()
    return refund


def refund_params(refund: Refund) -> dict:
    """The Refund request: on a destination charge (a buyer payment) the transfer is reversed and the
    commission given back as the refund says; a booth fee was charged on the chamber's own account."""
    params = {
        "payment_intent": refund.attempt.stripe_payment_intent_id,
        "amount": to_stripe_amount(refund.amount, refund.currency),
    }
    if refund.attempt.stripe_destination:
        params["reverse_transfer"] = refund.reverse_transfer
        params["refund_application_fee"] = refund.refund_application_fee
    params["reason"] = "duplicate" if refund.excess else "requested_by_customer"
    params["metadata"] = {
        "feria_kind": refund.order.kind,
        "order_id": str(refund.order_id),
        "attempt_id": str(refund.attempt_id),
        "refund_id": str(refund.pk),
    }
    if refund.excess:
        params["metadata"]["feria_excess"] = "true"
    return params


def refund_send(*, refund: Refund) -> Refund:
    """Ask Stripe for a refund still `created` (first try or retry: same key, same parameters). Raises
    BuyerPaymentRefused when Stripe cannot be reached (the refund stays `created`). Side effects: one Stripe
    request; the refund's Stripe id and status; ledger rows when it succeeded."""
    refund = Refund.objects.select_related("attempt", "order").get(pk=refund.pk)
    if refund.status != R.CREATED:
        return refund
    try:
        result = stripe_client().v1.refunds.create(
            params=refund_params(refund), options=request_options(idempotency_key=f"refund-{refund.pk}")
        )
    except stripe.StripeError as exc:
        logger.warning("Refund %s could not be sent to Stripe: %s", refund.pk, exc)
        Refund.objects.filter(pk=refund.pk, status=R.CREATED).update(
            failure_reason=str(exc)[:2000], updated_at=timezone.now()
        )
        raise BuyerPaymentRefused(
            _("Stripe could not be reached just now. The refund is saved; try sending it again."),
            code="stripe_error",
        ) from exc
    refund_event_apply(refund_object=result.to_dict())
    return Refund.objects.get(pk=refund.pk)


def excess_amount(order: Order) -> int:
    """Money received beyond the order's total that is not being given back yet (card payments plus bank
    transfers, minus the total, minus excess refunds not failed or cancelled)."""
    given_back = (
        order.refunds.filter(excess=True, status__in=OPEN_REFUND).aggregate(total=Sum("amount"))["total"] or 0
    )
    return max(received_amount(order) - order.total_amount - given_back, 0)


EXCESS_REASON = "Paid after the order was covered: the excess is given back automatically."


def excess_refund_open(*, order: Order, attempt: PaymentAttempt) -> Refund | None:
    """A card payment that just succeeded on an order already covered (by bank transfers, or by another
    card payment of the same request): save a Refund of exactly the excess on that payment, then, after
    commit, the task worker sends it to Stripe (payments.tasks.excess_refund_send) and e-mails the payer.
    Must run in the fulfilment transaction with the order locked. Side effects: a Refund row, a task."""
    if attempt.method != AttemptMethod.CHECKOUT or not attempt.stripe_payment_intent_id:
        return None
    amount = min(excess_amount(order), attempt_refundable_amount(attempt))
    if amount <= 0:
        return None
    step = stripe_step(order.currency)
    amount -= amount % step
    if amount <= 0:
        return None
    destination = bool(attempt.stripe_destination)
    refund = Refund.objects.create(
        order=order,
        attempt=attempt,
        amount=amount,
        currency=attempt.currency,
        reason=EXCESS_REASON,
        excess=True,
        reverse_transfer=destination,
        # The commission Stripe took on the extra payment goes back with it.
        refund_application_fee=destination,
    )
    logger.info("Order %s: %s received beyond the total, refund %s", order.reference, amount, refund.pk)
    from payments.tasks import excess_refund_send

    transaction.on_commit(partial(excess_refund_send.enqueue, refund_id=refund.pk))
    return refund


def stripe_fee_fetch_later(*, attempt: PaymentAttempt) -> None:
    """After commit, ask the task worker to read Stripe's processing fee of a card payment that succeeded."""
    if not attempt.stripe_payment_intent_id:
        return
    from payments.tasks import stripe_fee_fetch

    transaction.on_commit(partial(stripe_fee_fetch.enqueue, attempt_id=attempt.pk))


def _locked_refund(refund_object: dict) -> Refund | None:
    metadata = refund_object.get("metadata") or {}
    refund_id = metadata.get("refund_id")
    candidates = Refund.objects.none()
    if parse_id(str(refund_id)) is not None:
        candidates = Refund.objects.filter(pk=parse_id(str(refund_id)))
    if not candidates.exists():
        candidates = Refund.objects.filter(stripe_refund_id=refund_object.get("id"))
    found = candidates.values_list("pk", "order_id").first()
    if found is None:
        return None
    Order.objects.select_for_update().get(pk=found[1])
    refund = Refund.objects.select_for_update().select_related("order", "attempt").get(pk=found[0])
    if refund.stripe_refund_id and refund.stripe_refund_id != refund_object.get("id"):
        logger.warning("Stripe refund %s does not match refund %s", refund_object.get("id"), refund.pk)
        return None
    return refund


def _external_refund(refund_object: dict) -> Refund | None:
    """A refund made outside Feria (in Stripe's Dashboard) on one of our payments: recorded so the order and
    the ledger show it."""
    intent = refund_object.get("payment_intent")
    if not intent:
        return None
    attempt = PaymentAttempt.objects.filter(
        stripe_payment_intent_id=intent, status=AttemptStatus.SUCCEEDED
    ).first()
    if attempt is None:
        return None
    Order.objects.select_for_update().get(pk=attempt.order_id)
    existing = Refund.objects.select_for_update().filter(stripe_refund_id=refund_object.get("id")).first()
    if existing is not None:
        return existing
    return Refund.objects.create(
        order_id=attempt.order_id,
        attempt=attempt,
        amount=from_stripe_amount(int(refund_object.get("amount") or 0), attempt.currency),
        currency=attempt.currency,
        reason="Refunded in the Stripe Dashboard",
        stripe_refund_id=refund_object.get("id"),
        reverse_transfer=bool(refund_object.get("transfer_reversal")),
        refund_application_fee=False,
    )


@transaction.atomic
def refund_event_apply(*, refund_object: dict) -> Refund | None:
    """Bring our refund in line with Stripe's Refund object (Stripe's answer, refund.* and charge.refunded
    events): keeps the Stripe id and moves the status where the state machine allows. Side effects: the
    Refund row, ledger rows."""
    refund = _locked_refund(refund_object) or _external_refund(refund_object)
    if refund is None:
        return None
    if not refund.stripe_refund_id and refund_object.get("id"):
        refund.stripe_refund_id = refund_object["id"]
        refund.save(update_fields=["stripe_refund_id", "updated_at"])
    status = refund_object.get("status")
    if status in R.values:
        _refund_move(refund, status, reason=refund_object.get("failure_reason") or "")
    return refund


@transaction.atomic
def charge_refunded_apply(*, charge: dict) -> list[Refund]:
    """charge.refunded: the charge's refunds listed in the event, each applied as above; the charge id is
    kept on the attempt. Side effects: as refund_event_apply."""
    intent = charge.get("payment_intent")
    if intent and charge.get("id"):
        PaymentAttempt.objects.filter(stripe_payment_intent_id=intent, stripe_charge_id="").update(
            stripe_charge_id=charge["id"]
        )
    refunds = (charge.get("refunds") or {}).get("data") or []
    applied = []
    for item in refunds:
        item = {**item, "payment_intent": item.get("payment_intent") or intent}
        result = refund_event_apply(refund_object=item)
        if result is not None:
            applied.append(result)
    return applied
