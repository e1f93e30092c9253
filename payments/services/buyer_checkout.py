"""Paying a buyer payment request: Checkout Sessions as destination charges with the chamber's commission
(`application_fee_amount`), and fulfilment when Stripe reports the session paid or failed
(docs/payments.md)."""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from payments.enums import AttemptMethod, AttemptStatus, LedgerBook, LedgerKind
from payments.models import ConnectedAccount, Order, PaymentAttempt
from payments.money import to_stripe_amount
from payments.services.attempts import attempt_can_move, attempt_transition
from payments.services.booth_fees import check_payable, order_settle
from payments.services.checkout import (
    REUSE_CREATED_FOR,
    STRIPE_LOCALES,
    checkout_line_items,
    checkout_refuse_second_card_payment,
    checkout_session_open,
    session_pays_attempt,
)
from payments.services.ledger import ledger_write
from payments.services.orders import KIND, BuyerPaymentRefused
from payments.services.refunds import excess_refund_open, stripe_fee_fetch_later
from payments.stripe_client import stripe_client, stripe_configured

logger = logging.getLogger("feria.payments")

# A Checkout Session lives at most 23 hours (Stripe allows 24) and at least 31 minutes (Stripe's minimum is
# 30); within those bounds it ends when the payment request expires.
SESSION_MAX = timedelta(hours=23)
SESSION_MIN = timedelta(minutes=31)


# --- Checkout (destination charge) ------------------------------------------------------------------------


def session_expires_at(attempt: PaymentAttempt) -> datetime:
    """When the attempt's Checkout Session ends: derived from saved values only, so a retry of the same
    attempt sends exactly the same parameters."""
    start = attempt.created_at
    end = start + SESSION_MAX
    if attempt.order.expires_at is not None:
        end = min(end, attempt.order.expires_at)
    return max(end, start + SESSION_MIN)


def buyer_checkout_params(*, attempt: PaymentAttempt, success_url: str, cancel_url: str) -> dict:
    """The Checkout Session of a buyer payment: each line and tax as a line item in Stripe's units, a
    destination charge to the exhibitor's account with the chamber's commission as application fee, and
    our ids in the metadata of the session and of its PaymentIntent."""
    order = attempt.order
    items = checkout_line_items(order)
    metadata = {
        "feria_kind": KIND,
        "order_id": str(order.pk),
        "attempt_id": str(attempt.pk),
        "company_id": str(order.payee_company_id),
        "conversation_id": str(order.conversation_id or ""),
        "fair_id": str(order.fair_id or ""),
    }
    payment_intent_data = {
        "transfer_data": {"destination": attempt.stripe_destination},
        "metadata": metadata,
        "description": f"{order.reference} {order.payee_company.legal_name}"[:500],
    }
    if order.application_fee_amount:
        payment_intent_data["application_fee_amount"] = to_stripe_amount(
            order.application_fee_amount, order.currency
        )
    params = {
        "mode": "payment",
        "line_items": items,
        "client_reference_id": order.reference,
        "metadata": metadata,
        "payment_intent_data": payment_intent_data,
        "success_url": success_url,
        "cancel_url": cancel_url,
        "expires_at": int(session_expires_at(attempt).timestamp()),
    }
    payer = order.payer_user
    if payer.preferred_language in STRIPE_LOCALES:
        params["locale"] = payer.preferred_language
    if payer.email:
        params["customer_email"] = payer.email
    return params


def _attempt_to_use(order: Order, by, destination: str) -> PaymentAttempt:
    now = timezone.now()
    for attempt in order.attempts.select_for_update().filter(
        method=AttemptMethod.CHECKOUT, status__in=[AttemptStatus.CREATED, AttemptStatus.OPEN]
    ):
        if attempt.status == AttemptStatus.OPEN and session_expires_at(attempt) > now + timedelta(minutes=5):
            return attempt
        if attempt.status == AttemptStatus.CREATED and attempt.created_at + REUSE_CREATED_FOR > now:
            return attempt
        reason = "Session ended." if attempt.status == AttemptStatus.OPEN else "Not sent to Stripe in time."
        to = AttemptStatus.EXPIRED if attempt.status == AttemptStatus.OPEN else AttemptStatus.CANCELLED
        attempt_transition(attempt=attempt, to=to, reason=reason)
    return PaymentAttempt.objects.create(
        order=order,
        method=AttemptMethod.CHECKOUT,
        amount=order.total_amount,
        currency=order.currency,
        stripe_destination=destination,
        created_by=by,
    )


def buyer_checkout_start(*, order: Order, by, success_url: str, cancel_url: str) -> PaymentAttempt:
    """The buyer pressed Pay: make (or reuse) the attempt and commit it, then create its Checkout Session
    (idempotency key `checkout-<attempt id>`); returns the attempt with `checkout_url`. Refused when the
    person is not the buyer, card payment is off, the request is paid, withdrawn or expired, or the
    exhibitor's account cannot take charges; Stripe errors leave the attempt to be retried with the same key.
    Side effects: a PaymentAttempt row, one Stripe request."""
    if order.kind != KIND or order.payer_user_id != getattr(by, "pk", None):
        raise PermissionDenied
    if not stripe_configured():
        raise BuyerPaymentRefused(_("Card payment is not available on this site."), code="stripe_off")
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        checkout_refuse_second_card_payment(locked)
        check_payable(locked)
        account = ConnectedAccount.objects.filter(company_id=locked.payee_company_id).first()
        if account is None or not account.charges_enabled:
            raise BuyerPaymentRefused(
                _("This exhibitor cannot take card payments right now. Please ask them about it."),
                code="not_connected",
            )
        attempt = _attempt_to_use(locked, by, account.stripe_account_id)
        if attempt.status == AttemptStatus.OPEN:
            return attempt
    attempt = PaymentAttempt.objects.select_related("order__payee_company", "order__payer_user").get(
        pk=attempt.pk
    )
    params = buyer_checkout_params(attempt=attempt, success_url=success_url, cancel_url=cancel_url)
    return checkout_session_open(attempt=attempt, params=params, refused=BuyerPaymentRefused)


def _session_attempt(session: dict) -> PaymentAttempt | None:
    """The buyer-payment attempt a session belongs to, locked after its order (always in that order); None
    for sessions of other kinds or that do not match the attempt's stored session."""
    metadata = session.get("metadata") or {}
    if metadata.get("feria_kind") != KIND:
        return None
    try:
        attempt_id = int(metadata.get("attempt_id", ""))
    except ValueError:
        return None
    order_id = (
        PaymentAttempt.objects.filter(pk=attempt_id, order__kind=KIND)
        .values_list("order_id", flat=True)
        .first()
    )
    if order_id is None:
        logger.warning("Session %s names unknown buyer attempt %s", session.get("id"), attempt_id)
        return None
    Order.objects.select_for_update().get(pk=order_id)
    attempt = PaymentAttempt.objects.select_for_update().select_related("order").get(pk=attempt_id)
    if attempt.stripe_session_id and attempt.stripe_session_id != session.get("id"):
        logger.warning("Session %s does not belong to attempt %s", session.get("id"), attempt.pk)
        return None
    return attempt


def _charge_ledger(attempt: PaymentAttempt) -> None:
    order = attempt.order
    common = {"currency": attempt.currency, "order": order, "attempt": attempt, "fair": order.fair}
    stripe_id = attempt.stripe_payment_intent_id or attempt.stripe_session_id or ""
    ledger_write(
        key=f"bp-charge-{attempt.pk}",
        book=LedgerBook.EXHIBITOR,
        kind=LedgerKind.CHARGE,
        amount=attempt.amount,
        company_id=order.payee_company_id,
        description=f"Card payment for {order.reference}",
        stripe_object_id=stripe_id,
        **common,
    )
    fee = order.application_fee_amount if attempt.amount == order.total_amount else 0
    if fee:
        ledger_write(
            key=f"bp-fee-{attempt.pk}",
            book=LedgerBook.EXHIBITOR,
            kind=LedgerKind.APPLICATION_FEE,
            amount=-fee,
            company_id=order.payee_company_id,
            description=f"Chamber commission on {order.reference}",
            stripe_object_id=stripe_id,
            **common,
        )
        ledger_write(
            key=f"bp-commission-{attempt.pk}",
            book=LedgerBook.CHAMBER,
            kind=LedgerKind.APPLICATION_FEE,
            amount=fee,
            company_id=order.payee_company_id,
            description=f"Commission on {order.reference}",
            stripe_object_id=stripe_id,
            **common,
        )


def _succeed(attempt: PaymentAttempt, session: dict) -> None:
    if attempt.status == AttemptStatus.SUCCEEDED or not attempt_can_move(attempt, AttemptStatus.SUCCEEDED):
        return
    if not session_pays_attempt(attempt, session):
        raise ValueError(f"Checkout Session {session.get('id')} amount does not match attempt {attempt.pk}")
    attempt.stripe_payment_intent_id = session.get("payment_intent") or ""
    attempt.save(update_fields=["stripe_payment_intent_id", "updated_at"])
    attempt_transition(attempt=attempt, to=AttemptStatus.SUCCEEDED)
    order = attempt.order
    _charge_ledger(attempt)
    order_settle(order=order, method=AttemptMethod.CHECKOUT)
    excess_refund_open(order=order, attempt=attempt)
    stripe_fee_fetch_later(attempt=attempt)


@transaction.atomic
def buyer_session_apply(*, session: dict) -> PaymentAttempt | None:
    """Bring a buyer-payment attempt in line with its Checkout Session (event or success page): paid ->
    succeeded and the order settled (receipt in the exhibitor's series, ledger rows), complete but unpaid ->
    processing, expired -> expired. Moves the state machine forbids are skipped, so duplicated, reordered
    and late sessions change nothing. Side effects: attempt, order, receipt and ledger rows."""
    attempt = _session_attempt(session)
    if attempt is None:
        return None
    if not attempt.stripe_session_id:
        attempt.stripe_session_id = session["id"]
        attempt.save(update_fields=["stripe_session_id", "updated_at"])
    status, payment_status = session.get("status"), session.get("payment_status")
    if status == "complete" and payment_status in ("paid", "no_payment_required"):
        _succeed(attempt, session)
    elif status == "complete" and payment_status == "unpaid":
        if attempt_can_move(attempt, AttemptStatus.PROCESSING):
            attempt_transition(attempt=attempt, to=AttemptStatus.PROCESSING)
    elif status == "expired" and attempt_can_move(attempt, AttemptStatus.EXPIRED):
        attempt_transition(attempt=attempt, to=AttemptStatus.EXPIRED)
    return attempt


@transaction.atomic
def buyer_session_failed(*, session: dict) -> PaymentAttempt | None:
    """checkout.session.async_payment_failed: the delayed payment did not arrive. Changes the attempt."""
    attempt = _session_attempt(session)
    if attempt is not None and attempt_can_move(attempt, AttemptStatus.FAILED):
        attempt_transition(attempt=attempt, to=AttemptStatus.FAILED, reason="The payment did not go through.")
    return attempt


def buyer_checkout_return(*, order: Order, session_id: str) -> PaymentAttempt | None:
    """The success page: fetch the session and apply it (the event may come before, after, or never). Only
    sessions of this order's attempts are looked at. Raises stripe.StripeError when Stripe is unreachable."""
    if not session_id or not order.attempts.filter(stripe_session_id=session_id).exists():
        return None
    session = stripe_client().v1.checkout.sessions.retrieve(session_id)
    return buyer_session_apply(session=session.to_dict())
