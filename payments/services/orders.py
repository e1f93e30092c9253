"""Buyer payments to exhibitors: payment requests sent in a conversation, their Checkout Sessions as
destination charges with the chamber's commission, fulfilment, refunds, disputes, and ledger reads.

Money flow (docs/payments.md): the buyer pays on the platform's Stripe account; the charge's full amount is
transferred to the exhibitor's connected account and the chamber's commission is taken back from it as
Stripe's `application_fee_amount`. Refunds reverse the transfer (`reverse_transfer`) and, as the fair says,
give back the commission in proportion (`refund_application_fee`). Every movement is written to the ledger
in the transaction that records it, under a key of its own, so a replayed event writes nothing twice.

Commission rule: the fair is the one of the booth the conversation started from; if that booth is gone, the
latest fair the company has a booth in; with no fair at all there is no commission. The commission is
`total × fair.commission_percent / 100` rounded DOWN to a whole minor unit that Stripe can represent in the
currency (so it never exceeds the percentage).
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import partial

import stripe
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from exhibitors.integers import parse_id
from exhibitors.models import Booth, Company
from fair.chat.enums import MessageKind, Side
from fair.chat.models import Conversation, Message
from fair.chat.selectors import side_of
from fair.chat.services import message_send
from payments.enums import (
    AttemptMethod,
    AttemptStatus,
    DisputeStatus,
    LedgerBook,
    LedgerKind,
    OrderKind,
    RefundStatus,
)
from payments.models import (
    ConnectedAccount,
    Dispute,
    LedgerEntry,
    Order,
    OrderLine,
    OrderTaxLine,
    PaymentAttempt,
    Refund,
)
from payments.money import (
    STRIPE_THREE_DECIMAL,
    AmountNotRepresentable,
    format_money,
    from_stripe_amount,
    max_amount,
    stripe_supports_currency,
    to_stripe_amount,
)
from payments.services.attempts import attempt_can_move, attempt_transition
from payments.services.booth_fees import check_payable, order_settle, received_amount
from payments.services.checkout import (
    REUSE_CREATED_FOR,
    STRIPE_LOCALES,
    checkout_line_items,
    checkout_refuse_second_card_payment,
    checkout_session_open,
    session_pays_attempt,
)
from payments.services.ledger import ledger_write
from payments.services_connect import can_take_payments
from payments.stripe_client import request_options, stripe_client, stripe_configured

logger = logging.getLogger("feria.payments")

REQUEST_DEFAULT_DAYS = 7
REQUEST_MAX_DAYS = 30
MAX_LINES = 20
MAX_TAX_LINES = 5
MAX_QUANTITY = 100_000
# A Checkout Session lives at most 23 hours (Stripe allows 24) and at least 31 minutes (Stripe's minimum is
# 30); within those bounds it ends when the payment request expires.
SESSION_MAX = timedelta(hours=23)
SESSION_MIN = timedelta(minutes=31)
KIND = OrderKind.BUYER_PAYMENT
FINAL_DISPUTE = {DisputeStatus.WON, DisputeStatus.LOST, DisputeStatus.WARNING_CLOSED, DisputeStatus.PREVENTED}
OPEN_REFUND = [
    RefundStatus.CREATED,
    RefundStatus.PENDING,
    RefundStatus.REQUIRES_ACTION,
    RefundStatus.SUCCEEDED,
]


class BuyerPaymentRefused(ValidationError):
    pass


@dataclass
class LineInput:
    description: str
    quantity: int
    unit_amount: int  # minor units


@dataclass
class TaxInput:
    name: str
    rate: Decimal


# --- Amounts ----------------------------------------------------------------------------------------------


def stripe_step(currency: str) -> int:
    """The smallest amount, in Feria's minor units, that Stripe takes in this currency (10 for the
    three-decimal currencies, whose Stripe amounts end in 0; 1 elsewhere)."""
    return 10 if currency.upper() in STRIPE_THREE_DECIMAL else 1


def commission_amount(total: int, percent: Decimal, currency: str) -> int:
    """The chamber's commission on `total`: rounded down to a whole amount Stripe can represent."""
    raw = (Decimal(total) * Decimal(percent) / Decimal(100)).to_integral_value(rounding=ROUND_DOWN)
    step = stripe_step(currency)
    return int(raw) - int(raw) % step


def tax_on(net: int, rate: Decimal, currency: str) -> int:
    """Tax on `net` at `rate` percent, rounded half up to the currency's Stripe step."""
    step = stripe_step(currency)
    exact = Decimal(net) * Decimal(rate) / Decimal(100) / step
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)) * step


def commission_fair(conversation: Conversation):
    """The fair whose commission applies to the conversation's payment requests (see the module doc)."""
    if conversation.started_from_id:
        return conversation.started_from.fair
    booth = (
        Booth.objects.filter(company_id=conversation.company_id)
        .select_related("fair")
        .order_by("-fair__starts_at", "-pk")
        .first()
    )
    return booth.fair if booth else None


def supported_currency(code: str) -> bool:
    """A currency Stripe charges in (payments.money.STRIPE_CURRENCIES)."""
    return stripe_supports_currency(code)


def _too_much(currency: str) -> str:
    return _("Stripe takes at most %(max)s in one payment. Split the request into smaller ones.") % {
        "max": format_money(max_amount(currency), currency)
    }


# --- Payment requests -------------------------------------------------------------------------------------


def _snapshot(order: Order) -> dict:
    return {
        "order_id": order.pk,
        "reference": order.reference,
        "currency": order.currency,
        "lines": [
            {"description": line.description, "quantity": line.quantity, "unit_amount": line.unit_amount}
            for line in order.lines.all()
        ],
        "taxes": [
            {"name": tax.name, "rate": str(tax.rate.normalize()), "amount": tax.amount}
            for tax in order.tax_lines.all()
        ],
        "net": order.net_amount,
        "tax": order.tax_amount,
        "total": order.total_amount,
        "note": order.note,
        "expires_at": order.expires_at.isoformat(),
    }


def _validate_request(*, lines, taxes, currency: str, note: str, expires_at, now) -> None:
    errors: dict[str, list] = {}
    if not supported_currency(currency):
        errors.setdefault("currency", []).append(_("Choose a currency from the list."))
    if not lines:
        errors.setdefault("lines", []).append(_("Add at least one line."))
    if len(lines) > MAX_LINES:
        errors.setdefault("lines", []).append(_("At most %(max)d lines.") % {"max": MAX_LINES})
    for line in lines:
        if not line.description.strip() or len(line.description) > 200:
            errors.setdefault("lines", []).append(
                _("Each line needs a description of at most 200 characters.")
            )
        if not 1 <= line.quantity <= MAX_QUANTITY:
            errors.setdefault("lines", []).append(
                _("Quantities go from 1 to %(max)d.") % {"max": MAX_QUANTITY}
            )
        if line.unit_amount <= 0:
            errors.setdefault("lines", []).append(_("Each unit price must be above zero."))
        elif "currency" not in errors and line.quantity * line.unit_amount > max_amount(currency):
            errors.setdefault("lines", []).append(_too_much(currency))
        elif "currency" not in errors:
            try:
                to_stripe_amount(line.unit_amount, currency)
            except AmountNotRepresentable:
                errors.setdefault("lines", []).append(
                    _("%(currency)s prices must be whole multiples of %(step)s.")
                    % {"currency": currency, "step": format_money(stripe_step(currency), currency)}
                )
    if "currency" not in errors and "lines" not in errors and lines:
        net = sum(line.quantity * line.unit_amount for line in lines)
        tax_total = sum(tax_on(net, tax.rate, currency) for tax in taxes if Decimal(0) < tax.rate <= 100)
        if net + tax_total > max_amount(currency):
            errors.setdefault("lines", []).append(_too_much(currency))
    if len(taxes) > MAX_TAX_LINES:
        errors.setdefault("taxes", []).append(_("At most %(max)d taxes.") % {"max": MAX_TAX_LINES})
    for tax in taxes:
        if not tax.name.strip() or len(tax.name) > 60:
            errors.setdefault("taxes", []).append(_("Each tax needs a name of at most 60 characters."))
        if not Decimal(0) < tax.rate <= Decimal(100):
            errors.setdefault("taxes", []).append(_("Tax rates go from 0 to 100 %."))
    if len(note) > 1000:
        errors.setdefault("note", []).append(_("The note can be at most 1000 characters."))
    if expires_at is None or expires_at <= now:
        errors.setdefault("expires_at", []).append(_("The request must expire in the future."))
    elif expires_at > now + timedelta(days=REQUEST_MAX_DAYS):
        errors.setdefault("expires_at", []).append(
            _("A request can stay open for at most %(days)d days.") % {"days": REQUEST_MAX_DAYS}
        )
    # Deduplicate while keeping order.
    if errors:
        raise BuyerPaymentRefused({key: list(dict.fromkeys(value)) for key, value in errors.items()})


def payment_request_create(
    *,
    conversation: Conversation,
    by,
    lines: list[LineInput],
    taxes: list[TaxInput],
    currency: str,
    note: str = "",
    expires_at=None,
    client_id: str,
) -> Order:
    """An exhibitor member asks the buyer of the conversation for a payment: an Order (kind buyer_payment)
    and, in the same transaction, a chat message of kind payment_request naming it (broadcast after commit
    like any message). The same `client_id` sent again returns the first request.

    Refused (ValidationError) unless the sender is on the company side, the company's connected account can
    take charges, and the lines, taxes, currency and expiry are valid. Side effects: Order, its lines and
    taxes, a chat Message.
    """
    if side_of(user=by, conversation=conversation) != Side.COMPANY:
        raise PermissionDenied
    existing = (
        Message.objects.filter(sender=by, client_id=client_id, kind=MessageKind.PAYMENT_REQUEST)
        .select_related("payment_order")
        .first()
    )
    if existing is not None and hasattr(existing, "payment_order"):
        return existing.payment_order
    company = conversation.company
    now = timezone.now()
    currency = (currency or "").upper().strip()
    note = (note or "").strip()
    if expires_at is None:
        expires_at = now + timedelta(days=REQUEST_DEFAULT_DAYS)
    if not can_take_payments(company):
        raise BuyerPaymentRefused(
            _("Connect your Stripe account and finish Stripe's onboarding before asking for payments."),
            code="not_connected",
        )
    _validate_request(lines=lines, taxes=taxes, currency=currency, note=note, expires_at=expires_at, now=now)
    net = sum(line.quantity * line.unit_amount for line in lines)
    tax_amounts = [tax_on(net, tax.rate, currency) for tax in taxes]
    total = net + sum(tax_amounts)
    fair = commission_fair(conversation)
    fee = commission_amount(total, fair.commission_percent, currency) if fair else 0
    with transaction.atomic():
        order = Order.objects.create(
            kind=KIND,
            fair=fair,
            payer_user=conversation.buyer,
            payee_company=company,
            conversation=conversation,
            currency=currency,
            net_amount=net,
            tax_amount=sum(tax_amounts),
            total_amount=total,
            application_fee_amount=fee,
            reference=f"PR-{secrets.token_hex(5).upper()}",
            note=note,
            expires_at=expires_at,
            created_by=by,
        )
        for index, line in enumerate(lines):
            OrderLine.objects.create(
                order=order,
                description=line.description.strip()[:200],
                quantity=line.quantity,
                unit_amount=line.unit_amount,
                amount=line.quantity * line.unit_amount,
                sort_order=index,
            )
        for index, (tax, amount) in enumerate(zip(taxes, tax_amounts, strict=True)):
            OrderTaxLine.objects.create(
                order=order, name=tax.name.strip()[:60], rate=tax.rate, amount=amount, sort_order=index
            )
        body = gettext("Payment request %(reference)s: %(total)s") % {
            "reference": order.reference,
            "total": format_money(total, currency),
        }
        message, _created = message_send(
            conversation=conversation,
            sender=by,
            client_id=client_id,
            body=body,
            kind=MessageKind.PAYMENT_REQUEST,
            payload=_snapshot(order),
        )
        order.message = message
        order.save(update_fields=["message", "updated_at"])
    return order


@transaction.atomic
def payment_request_cancel(*, order: Order, by) -> Order:
    """The exhibitor withdraws an unpaid request. Side effects: the order's cancelled mark, open attempts
    cancelled (their sessions expire by themselves at Stripe)."""
    locked = Order.objects.select_for_update().get(pk=order.pk, kind=KIND)
    if locked.paid_at is not None:
        raise BuyerPaymentRefused(_("This request is paid already; refund it instead."), code="already_paid")
    if locked.attempts.filter(status=AttemptStatus.PROCESSING).exists():
        raise BuyerPaymentRefused(_("A payment for this request is being processed."), code="processing")
    if locked.cancelled_at is None:
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["cancelled_at", "updated_at"])
        for attempt in locked.attempts.select_for_update().filter(
            status__in=[AttemptStatus.CREATED, AttemptStatus.OPEN]
        ):
            attempt_transition(attempt=attempt, to=AttemptStatus.CANCELLED, reason="Request withdrawn.")
    return locked


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


# --- Reads ------------------------------------------------------------------------------------------------


def ledger_for(*, company: Company | None = None):
    """The exhibitor's book (its own company only) or, without a company, the chamber's book."""
    entries = LedgerEntry.objects.select_related("order", "company").order_by("created_at", "id")
    if company is not None:
        return entries.filter(book=LedgerBook.EXHIBITOR, company=company)
    return entries.filter(book=LedgerBook.CHAMBER)


def ledger_totals(entries) -> dict[str, dict[str, int]]:
    """{currency: {kind: sum, "net": sum}} for a ledger queryset."""
    totals: dict[str, dict[str, int]] = {}
    for row in entries.order_by().values("currency", "kind").annotate(total=Sum("amount")):
        per = totals.setdefault(row["currency"], {"net": 0})
        per[row["kind"]] = row["total"]
        per["net"] += row["total"]
    return totals


GROSS_KINDS = (LedgerKind.CHARGE, LedgerKind.BANK_TRANSFER)
COMMISSION_KINDS = (LedgerKind.APPLICATION_FEE, LedgerKind.APPLICATION_FEE_REFUND)


def ledger_summary(totals: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Per currency: gross (payments received), Stripe's fee, the chamber's commission (net of commission
    given back), everything else (tax, refunds, reversals, disputes) and net; the first four add up to net
    exactly, in minor units."""
    summary = {}
    for currency, per in totals.items():
        gross = sum(per.get(kind, 0) for kind in GROSS_KINDS)
        fee = per.get(LedgerKind.FEE, 0)
        commission = sum(per.get(kind, 0) for kind in COMMISSION_KINDS)
        summary[currency] = {
            "gross": gross,
            "stripe_fee": fee,
            "commission": commission,
            "other": per["net"] - gross - fee - commission,
            "net": per["net"],
        }
    return summary


def company_orders(company: Company):
    return (
        Order.objects.filter(kind=KIND, payee_company=company)
        .select_related("payer_user", "conversation", "receipt")
        .prefetch_related("refunds", "disputes", "attempts")
        .order_by("-created_at", "-id")
    )


def buyer_orders(user):
    return (
        Order.objects.filter(kind=KIND, payer_user=user)
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
        refunded = sum(r.amount for r in order.refunds.all() if r.status == R.SUCCEEDED and not r.excess)
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
