"""Stripe's processing fee of a card payment, read once from the charge's balance transaction.

The fee is only known once Stripe has created the charge's balance transaction, so it is fetched after the
payment succeeded, by the task worker (payments.tasks.stripe_fee_fetch, queued after the fulfilment commits)
with one request: the PaymentIntent with `latest_charge.balance_transaction` expanded. A failed fetch is
retried by the periodic job (payments.periodic.payments_retry) after 1, 2, 4... minutes, at most
STRIPE_FEE_MAX_TRIES times. The fee is written to the chamber's book (kind `fee`, negative), in the balance
transaction's currency (Stripe's settlement currency, which may differ from the charge's): the chamber pays it
for booth fees (its own account) and for buyer payments (destination charges are billed to the platform).
"""

import logging
from datetime import timedelta

import stripe
from django.db import transaction
from django.utils import timezone

from payments.enums import AttemptMethod, AttemptStatus, LedgerBook, LedgerKind, OrderKind
from payments.models import PaymentAttempt
from payments.money import AmountNotRepresentable, from_stripe_amount
from payments.services.ledger import ledger_write
from payments.stripe_client import stripe_client, stripe_configured

logger = logging.getLogger("feria.payments")

STRIPE_FEE_MAX_TRIES = 8
# Fee lines that are Stripe's own (its fee and the tax on it); an application fee is the chamber's commission.
STRIPE_FEE_TYPES = {"stripe_fee", "tax"}


class FeeNotReady(Exception):
    """Stripe has no balance transaction for the charge yet (a payment still settling)."""


def _fee_of(balance_transaction: dict) -> tuple[int, str]:
    """(fee in Stripe's units, currency) of a balance transaction: its Stripe fee lines, else its `fee`."""
    currency = str(balance_transaction.get("currency") or "").upper()
    details = balance_transaction.get("fee_details")
    if details:
        fee = sum(int(item.get("amount") or 0) for item in details if item.get("type") in STRIPE_FEE_TYPES)
    else:
        fee = int(balance_transaction.get("fee") or 0)
    return fee, currency


def _balance_transaction(attempt: PaymentAttempt) -> dict:
    intent = stripe_client().v1.payment_intents.retrieve(
        attempt.stripe_payment_intent_id, params={"expand": ["latest_charge.balance_transaction"]}
    )
    charge = intent.to_dict().get("latest_charge")
    if not isinstance(charge, dict) or not isinstance(charge.get("balance_transaction"), dict):
        raise FeeNotReady(f"no balance transaction yet for {attempt.stripe_payment_intent_id}")
    return {**charge["balance_transaction"], "charge_id": charge.get("id") or ""}


def stripe_fee_record(*, attempt_id: int) -> PaymentAttempt | None:
    """Read Stripe's fee of a succeeded card payment once and write it to the chamber's ledger. Does nothing
    without Stripe keys, for an attempt that is not a succeeded card payment, or one already read. On a Stripe
    error the try is counted (for the periodic retry) and the error kept. Side effects: one Stripe request,
    the attempt row, one ledger row."""
    attempt = PaymentAttempt.objects.filter(pk=attempt_id).first()
    if (
        attempt is None
        or not stripe_configured()
        or attempt.method != AttemptMethod.CHECKOUT
        or attempt.status != AttemptStatus.SUCCEEDED
        or not attempt.stripe_payment_intent_id
        or attempt.stripe_fee_fetched_at is not None
    ):
        return attempt
    try:
        movement = _balance_transaction(attempt)
        fee, currency = _fee_of(movement)
        fee = from_stripe_amount(fee, currency)
    except (stripe.StripeError, FeeNotReady, AmountNotRepresentable) as exc:
        logger.warning(
            "Stripe fee of attempt %s not read (try %s): %s", attempt.pk, attempt.stripe_fee_tries + 1, exc
        )
        PaymentAttempt.objects.filter(pk=attempt.pk).update(
            stripe_fee_tries=attempt.stripe_fee_tries + 1,
            stripe_fee_error=str(exc)[:2000],
            updated_at=timezone.now(),
        )
        return None
    with transaction.atomic():
        locked = PaymentAttempt.objects.select_for_update().select_related("order").get(pk=attempt.pk)
        if locked.stripe_fee_fetched_at is not None:
            return locked
        order = locked.order
        if fee:
            ledger_write(
                key=f"stripe-fee-{locked.pk}",
                book=LedgerBook.CHAMBER,
                kind=LedgerKind.FEE,
                amount=-fee,
                currency=currency,
                fair=order.fair,
                order=order,
                attempt=locked,
                company_id=order.payee_company_id if order.kind == OrderKind.BUYER_PAYMENT else None,
                description=f"Stripe's fee on {order.reference}",
                stripe_object_id=movement.get("id") or "",
            )
        if movement.get("charge_id") and not locked.stripe_charge_id:
            locked.stripe_charge_id = movement["charge_id"]
        locked.stripe_fee_fetched_at = timezone.now()
        locked.stripe_fee_tries += 1
        locked.stripe_fee_error = ""
        locked.save(
            update_fields=[
                "stripe_charge_id",
                "stripe_fee_fetched_at",
                "stripe_fee_tries",
                "stripe_fee_error",
                "updated_at",
            ]
        )
    return locked


def stripe_fee_retry_delay(tries: int) -> timedelta:
    return timedelta(minutes=min(2 ** max(tries - 1, 0), 360))


def stripe_fees_due(*, now=None, limit: int = 100) -> list[int]:
    """Succeeded card payments whose fee read failed and whose wait is over (ids)."""
    now = now or timezone.now()
    candidates = PaymentAttempt.objects.filter(
        method=AttemptMethod.CHECKOUT,
        status=AttemptStatus.SUCCEEDED,
        stripe_fee_fetched_at=None,
        stripe_fee_tries__gte=1,
        stripe_fee_tries__lt=STRIPE_FEE_MAX_TRIES,
    ).exclude(stripe_payment_intent_id="")
    return [
        attempt.pk
        for attempt in candidates.order_by("updated_at")[:limit]
        if attempt.updated_at + stripe_fee_retry_delay(attempt.stripe_fee_tries) <= now
    ]
