"""Paying a booth fee by card: a Stripe Checkout Session on the chamber's own account.

The card pays what is still due: the whole fee (the package and each tax as line items) or, after bank
transfers came in, the balance as one line "Balance of booth fee <reference>" (its tax is already in the
order's total, so it is not added again). The success check compares the session's `amount_total` with the
attempt's amount, which is that balance.

The attempt row is committed before Stripe is called, and the call carries the idempotency key
`checkout-<attempt id>`, so pressing the button again after a failure repeats the same call (Stripe answers
with the session it may already have made) while a new attempt is a new call. Fulfilment runs from the
success page and from the checkout.session.* events, whichever comes first; the attempt and order rows are
locked and each step happens only when the state allows it, so it happens once.
"""

import logging
from datetime import timedelta

import stripe
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from payments.enums import AttemptMethod, AttemptStatus, LedgerBook, LedgerKind, OrderKind
from payments.models import Order, PaymentAttempt
from payments.money import stripe_currency, to_stripe_amount
from payments.services.attempts import attempt_can_move, attempt_transition
from payments.services.booth_fees import check_payable, order_settle, received_amount
from payments.services.ledger import ledger_write
from payments.stripe_client import request_options, stripe_client, stripe_configured

logger = logging.getLogger("feria.payments")

# A saved attempt whose Stripe call failed is retried with the same key for this long; then a new one.
REUSE_CREATED_FOR = timedelta(hours=1)
SESSION_LIFETIME = timedelta(hours=23)
STRIPE_LOCALES = {"en", "es", "fr", "pt"}


class CheckoutUnavailable(ValidationError):
    pass


def checkout_line_items(order: Order) -> list[dict]:
    """Checkout Session line items of an order: each line, then each non-zero tax, in Stripe's units.
    Shared by booth fees and buyer payments."""
    currency = stripe_currency(order.currency)
    items = [
        {
            "quantity": line.quantity,
            "price_data": {
                "currency": currency,
                "unit_amount": to_stripe_amount(line.unit_amount, order.currency),
                "product_data": {"name": line.description},
            },
        }
        for line in order.lines.all()
    ]
    items += [
        {
            "quantity": 1,
            "price_data": {
                "currency": currency,
                "unit_amount": to_stripe_amount(tax.amount, order.currency),
                "product_data": {"name": f"{tax.name} {tax.rate.normalize()} %"},
            },
        }
        for tax in order.tax_lines.all()
        if tax.amount
    ]
    return items


def checkout_session_open(
    *, attempt: PaymentAttempt, params: dict, refused: type[ValidationError] = CheckoutUnavailable
) -> PaymentAttempt:
    """Create the Checkout Session of a committed attempt at Stripe (idempotency key `checkout-<attempt id>`,
    so a retry of the same attempt repeats the same call), then store its id and URL and move the attempt
    from created to open. Shared by booth fees and buyer payments; call it outside any transaction.
    Raises `refused` (code "stripe_error") when Stripe cannot be reached: the attempt stays, with the error
    as failure_reason, to be retried with the same key. Side effects: one Stripe request, the attempt row."""
    try:
        session = stripe_client().v1.checkout.sessions.create(
            params=params, options=request_options(idempotency_key=f"checkout-{attempt.pk}")
        )
    except stripe.StripeError as exc:
        logger.warning("Checkout Session for attempt %s failed: %s", attempt.pk, exc)
        PaymentAttempt.objects.filter(pk=attempt.pk, status=AttemptStatus.CREATED).update(
            failure_reason=str(exc)[:2000], updated_at=timezone.now()
        )
        raise refused(
            _("The card payment page could not be opened just now. Please try again in a moment."),
            code="stripe_error",
        ) from exc
    with transaction.atomic():
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.stripe_session_id in (None, "", session.id):
            attempt.stripe_session_id = session.id
            attempt.checkout_url = session.url or ""
            attempt.failure_reason = ""
            attempt.save(update_fields=["stripe_session_id", "checkout_url", "failure_reason", "updated_at"])
        if attempt.status == AttemptStatus.CREATED:
            attempt_transition(attempt=attempt, to=AttemptStatus.OPEN)
    return attempt


def session_pays_attempt(attempt: PaymentAttempt, session: dict) -> bool:
    """Whether a Checkout Session's total and currency are exactly the attempt's amount."""
    return (session.get("currency") or "").lower() == stripe_currency(attempt.currency) and session.get(
        "amount_total"
    ) == to_stripe_amount(attempt.amount, attempt.currency)


def balance_line_item(attempt: PaymentAttempt, language: str) -> dict:
    """The one line item of a card payment for what is left of a booth fee after bank transfers."""
    order = attempt.order
    with translation.override(language if language in STRIPE_LOCALES else "en"):
        name = gettext("Balance of booth fee %(reference)s") % {"reference": order.reference}
    return {
        "quantity": 1,
        "price_data": {
            "currency": stripe_currency(order.currency),
            "unit_amount": to_stripe_amount(attempt.amount, order.currency),
            "product_data": {"name": name},
        },
    }


def checkout_refuse_second_card_payment(order: Order) -> None:
    """Refuse to open another Checkout while a card payment of the order succeeded or is being processed (a
    second tab, a second press): the money would arrive twice."""
    statuses = set(
        order.attempts.filter(
            method=AttemptMethod.CHECKOUT, status__in=[AttemptStatus.SUCCEEDED, AttemptStatus.PROCESSING]
        ).values_list("status", flat=True)
    )
    if AttemptStatus.PROCESSING in statuses:
        raise CheckoutUnavailable(
            _("A card payment for this is being processed. Wait for it before paying again."),
            code="card_processing",
        )
    if AttemptStatus.SUCCEEDED in statuses and order.paid_at is not None:
        raise CheckoutUnavailable(
            _("This was paid by card already. Nothing more is due; see the receipt."),
            code="card_succeeded",
        )


def checkout_session_params(
    *, attempt: PaymentAttempt, success_url: str, cancel_url: str, language: str, email: str
) -> dict:
    """The Checkout Session for a booth fee: the package and each tax as line items (or one line for the
    balance after bank transfers), ids in metadata."""
    order = attempt.order
    if attempt.amount == order.total_amount:
        items = checkout_line_items(order)
    else:
        items = [balance_line_item(attempt, language)]
    metadata = {
        "feria_kind": OrderKind.BOOTH_FEE,
        "order_id": str(order.pk),
        "attempt_id": str(attempt.pk),
        "booth_id": str(order.booth_id),
        "fair_id": str(order.fair_id),
        "company_id": str(order.payer_company_id),
    }
    params = {
        "mode": "payment",
        "line_items": items,
        "client_reference_id": order.reference,
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata, "description": order.reference},
        "success_url": success_url,
        "cancel_url": cancel_url,
        "expires_at": int((attempt.created_at + SESSION_LIFETIME).timestamp()),
    }
    if language in STRIPE_LOCALES:
        params["locale"] = language
    if email:
        params["customer_email"] = email
    return params


def _attempt_to_use(order: Order, by) -> PaymentAttempt:
    """An open session still usable, a recent attempt whose call failed (same key again), or a new one, for
    what is still due (an attempt for another amount is cancelled)."""
    now = timezone.now()
    due = order.total_amount - received_amount(order)
    candidates = order.attempts.select_for_update().filter(
        method=AttemptMethod.CHECKOUT, status__in=[AttemptStatus.CREATED, AttemptStatus.OPEN]
    )
    for attempt in candidates:
        if attempt.amount != due or attempt.currency != order.currency:
            attempt_transition(attempt=attempt, to=AttemptStatus.CANCELLED, reason="The amount due changed.")
        elif attempt.status == AttemptStatus.OPEN and attempt.created_at + SESSION_LIFETIME > now + timedelta(
            minutes=5
        ):
            return attempt
        elif attempt.status == AttemptStatus.CREATED and attempt.created_at + REUSE_CREATED_FOR > now:
            return attempt
        elif attempt.status == AttemptStatus.CREATED:
            attempt_transition(
                attempt=attempt, to=AttemptStatus.CANCELLED, reason="Not sent to Stripe in time."
            )
    return PaymentAttempt.objects.create(
        order=order,
        method=AttemptMethod.CHECKOUT,
        amount=due,
        currency=order.currency,
        created_by=by,
    )


def checkout_start(*, order: Order, by, success_url: str, cancel_url: str, language: str) -> PaymentAttempt:
    """Make (or reuse) the attempt, commit it, then create its Checkout Session at Stripe; returns the
    attempt with `checkout_url` to send the payer to. Raises ValidationError when card payment is off, the
    order is not payable, or Stripe cannot be reached (the attempt stays, to be retried with the same key).
    Side effects: a PaymentAttempt row, one Stripe request."""
    if not stripe_configured():
        raise CheckoutUnavailable(_("Card payment is not available on this site."), code="stripe_off")
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        checkout_refuse_second_card_payment(locked)
        check_payable(locked)
        attempt = _attempt_to_use(locked, by)
        if attempt.status == AttemptStatus.OPEN:
            return attempt
    params = checkout_session_params(
        attempt=attempt,
        success_url=success_url,
        cancel_url=cancel_url,
        language=language,
        email=getattr(by, "email", "") or "",
    )
    return checkout_session_open(attempt=attempt, params=params)


def _session_attempt(session: dict) -> PaymentAttempt | None:
    """The booth-fee attempt a session belongs to (by its metadata, checked against the stored session id),
    locked with its order; None for sessions that are not ours or not booth fees."""
    metadata = session.get("metadata") or {}
    if metadata.get("feria_kind") != OrderKind.BOOTH_FEE:
        return None
    try:
        attempt_id = int(metadata.get("attempt_id", ""))
    except ValueError:
        return None
    order_id = PaymentAttempt.objects.filter(pk=attempt_id).values_list("order_id", flat=True).first()
    if order_id is None:
        return None
    Order.objects.select_for_update().get(pk=order_id)  # the order first, always, so locks never cross
    attempt = PaymentAttempt.objects.select_for_update().select_related("order").get(pk=attempt_id)
    if attempt.method != AttemptMethod.CHECKOUT:
        return None
    if attempt.stripe_session_id and attempt.stripe_session_id != session["id"]:
        logger.warning("Session %s does not belong to attempt %s", session["id"], attempt.pk)
        return None
    return attempt


@transaction.atomic
def checkout_session_apply(*, session: dict) -> PaymentAttempt | None:
    """Bring a booth-fee attempt in line with its Checkout Session (from an event or from Stripe):
    paid -> succeeded (the order is settled once covered), complete but unpaid -> processing (a delayed
    method), expired -> expired. Does nothing where the state machine does not allow the move, so repeated,
    reordered and late sessions change nothing. Side effects: attempt, order, receipt and ledger rows."""
    attempt = _session_attempt(session)
    if attempt is None:
        return None
    if not attempt.stripe_session_id:
        attempt.stripe_session_id = session["id"]
        attempt.checkout_url = session.get("url") or ""
        attempt.save(update_fields=["stripe_session_id", "checkout_url", "updated_at"])
    status, payment_status = session.get("status"), session.get("payment_status")
    if status == "complete" and payment_status in ("paid", "no_payment_required"):
        _succeed(attempt, session)
    elif status == "complete" and payment_status == "unpaid":
        if attempt_can_move(attempt, AttemptStatus.PROCESSING):
            attempt_transition(attempt=attempt, to=AttemptStatus.PROCESSING)
    elif status == "expired":
        if attempt_can_move(attempt, AttemptStatus.EXPIRED):
            attempt_transition(attempt=attempt, to=AttemptStatus.EXPIRED)
    return attempt


def _succeed(attempt: PaymentAttempt, session: dict) -> None:
    if attempt.status == AttemptStatus.SUCCEEDED or not attempt_can_move(attempt, AttemptStatus.SUCCEEDED):
        return
    if not session_pays_attempt(attempt, session):
        logger.error(
            "Session %s paid %s %s, attempt %s expects %s %s",
            session["id"],
            session.get("amount_total"),
            session.get("currency"),
            attempt.pk,
            attempt.amount,
            attempt.currency,
        )
        raise ValueError(f"Checkout Session {session['id']} amount does not match attempt {attempt.pk}")
    attempt.stripe_payment_intent_id = session.get("payment_intent") or ""
    attempt.save(update_fields=["stripe_payment_intent_id", "updated_at"])
    attempt_transition(attempt=attempt, to=AttemptStatus.SUCCEEDED)
    order = attempt.order
    ledger_write(
        key=f"charge-{attempt.pk}",
        book=LedgerBook.CHAMBER,
        kind=LedgerKind.CHARGE,
        amount=attempt.amount,
        currency=attempt.currency,
        fair=order.fair,
        order=order,
        attempt=attempt,
        description=f"Card payment for {order.reference}",
        stripe_object_id=attempt.stripe_payment_intent_id or session["id"],
    )
    order_settle(order=order, method=AttemptMethod.CHECKOUT)
    # Imported here: services_orders builds on this module.
    from payments.services.refunds import excess_refund_open, stripe_fee_fetch_later

    excess_refund_open(order=order, attempt=attempt)
    stripe_fee_fetch_later(attempt=attempt)


@transaction.atomic
def checkout_session_failed(*, session: dict) -> PaymentAttempt | None:
    """checkout.session.async_payment_failed: the delayed payment did not arrive (the attempt fails)."""
    attempt = _session_attempt(session)
    if attempt is not None and attempt_can_move(attempt, AttemptStatus.FAILED):
        attempt_transition(attempt=attempt, to=AttemptStatus.FAILED, reason="The payment did not go through.")
    return attempt


def checkout_return(*, order: Order, session_id: str) -> PaymentAttempt | None:
    """The success page: fetch the session from Stripe and apply it (the event may come before or after,
    or never). Only sessions of this order's attempts are looked at. Side effects: as checkout_session_apply.
    Raises stripe.StripeError when Stripe cannot be reached."""
    if not order.attempts.filter(stripe_session_id=session_id).exists():
        return None
    session = stripe_client().v1.checkout.sessions.retrieve(session_id)
    return checkout_session_apply(session=session.to_dict())
