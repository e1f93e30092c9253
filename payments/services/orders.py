"""Buyer payments to exhibitors: payment requests sent in a conversation, with their amounts, taxes and the
chamber's commission. Their Checkout Sessions are in buyer_checkout.py, refunds in refunds.py, disputes in
disputes.py; reads are in payments/selectors/orders.py and ledger.py.

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
from datetime import timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from exhibitors.models import Booth
from fair.chat.enums import MessageKind, Side
from fair.chat.models import Conversation, Message
from fair.chat.selectors.conversations import side_of
from fair.chat.services.conversations import message_send
from payments.enums import AttemptStatus, OrderKind
from payments.models import BankTransferReceipt, Order, OrderLine, OrderTaxLine
from payments.money import (
    STRIPE_THREE_DECIMAL,
    AmountNotRepresentable,
    format_money,
    max_amount,
    stripe_supports_currency,
    to_stripe_amount,
)
from payments.services.attempts import attempt_transition
from payments.services.connect import can_take_payments
from payments.services.records import payment_request_record

logger = logging.getLogger("feria.payments")


REQUEST_DEFAULT_DAYS = 7
REQUEST_MAX_DAYS = 30
MAX_LINES = 20
MAX_TAX_LINES = 5
MAX_QUANTITY = 100_000
KIND = OrderKind.BUYER_PAYMENT


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
        payment_request_record(order=order)
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
    if BankTransferReceipt.objects.filter(attempt__order=locked).exists():
        raise BuyerPaymentRefused(
            _("Money for this order has been recorded as received; it cannot be withdrawn."), code="received"
        )
    if locked.cancelled_at is None:
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["cancelled_at", "updated_at"])
        for attempt in locked.attempts.select_for_update().filter(
            status__in=[AttemptStatus.CREATED, AttemptStatus.OPEN]
        ):
            attempt_transition(attempt=attempt, to=AttemptStatus.CANCELLED, reason="Request withdrawn.")
    return locked
