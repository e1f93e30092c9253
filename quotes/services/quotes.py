"""Quotes: an exhibitor's answer to a request (submit, edit until accepted, withdraw) and the buyer's
decision (discuss in the chat, accept, decline). Accepting turns the quote into a payment request (card) or an
order paid by bank transfer or letter of credit, and appends `quote.accepted` to the record log."""

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from exhibitors.enums import MembershipRole
from exhibitors.models import Membership, Product
from fair.chat.enums import MessageKind
from fair.chat.services.conversations import conversation_start, message_send
from payments.enums import OrderKind
from payments.models import Order, OrderLine
from payments.money import format_money, max_amount, stripe_supports_currency
from payments.services.bank import bank_transfer_start
from payments.services.orders import MAX_QUANTITY as PAYMENT_MAX_QUANTITY
from payments.services.orders import LineInput, payment_request_create
from quotes.enums import Incoterm, PaymentRoute, QuoteStatus, RequestStatus, Unit
from quotes.models import Quote, QuoteLine, QuoteRequest
from quotes.services.records import quote_accepted_record
from quotes.services.requests import request_transition

MAX_LINES = 20
MAX_LINE_QUANTITY = 1_000_000_000
MAX_LEAD_DAYS = 730
MAX_VALID_DAYS = 180
PAYMENT_DAYS = 14


class QuoteRefused(ValidationError):
    pass


@dataclass
class QuoteLineInput:
    description: str
    quantity: int
    unit: str
    unit_amount: int  # minor units
    product_id: int | None = None


@dataclass
class QuoteInput:
    currency: str
    incoterm: str
    lead_time_days: int
    valid_until: date
    terms: str = ""
    lines: list[QuoteLineInput] = field(default_factory=list)


def _validate(*, data: QuoteInput, company_id: int) -> list[QuoteLineInput]:
    errors: dict[str, list] = {}

    def add(name: str, message) -> None:
        errors.setdefault(name, []).append(message)

    currency = data.currency
    if not stripe_supports_currency(currency):
        add("currency", _("Choose a currency from the list."))
    if data.incoterm not in Incoterm.values:
        add("incoterm", _("Choose an Incoterm from the list."))
    if not 0 <= data.lead_time_days <= MAX_LEAD_DAYS:
        add("lead_time_days", _("Lead times go from 0 to %(max)d days.") % {"max": MAX_LEAD_DAYS})
    today = timezone.localdate()
    if data.valid_until is None or data.valid_until < today:
        add("valid_until", _("The quote must be valid at least until today."))
    elif data.valid_until > today + timedelta(days=MAX_VALID_DAYS):
        add("valid_until", _("A quote is valid for at most %(days)d days.") % {"days": MAX_VALID_DAYS})
    if len(data.terms) > 4000:
        add("terms", _("The terms can be at most 4000 characters."))
    lines = data.lines
    if not lines:
        add("lines", _("Add at least one line."))
    if len(lines) > MAX_LINES:
        add("lines", _("At most %(max)d lines.") % {"max": MAX_LINES})
    product_ids = {line.product_id for line in lines if line.product_id}
    own = set(Product.objects.filter(company_id=company_id, pk__in=product_ids).values_list("pk", flat=True))
    for line in lines:
        if line.product_id and line.product_id not in own:
            add("lines", _("Choose products from your own catalogue."))
        if not line.description.strip() or len(line.description) > 200:
            add("lines", _("Each line needs a product of at most 200 characters."))
        if not 1 <= line.quantity <= MAX_LINE_QUANTITY:
            add("lines", _("Quantities go from 1 to %(max)s.") % {"max": f"{MAX_LINE_QUANTITY:,}"})
        if line.unit not in Unit.values:
            add("lines", _("Choose a unit from the list."))
        if line.unit_amount <= 0:
            add("lines", _("Each unit price must be above zero."))
    if "currency" not in errors and "lines" not in errors:
        total = sum(line.quantity * line.unit_amount for line in lines)
        if total > max_amount(currency):
            add(
                "lines",
                _("A quote can total at most %(max)s.")
                % {"max": format_money(max_amount(currency), currency)},
            )
    if errors:
        raise QuoteRefused({key: list(dict.fromkeys(value)) for key, value in errors.items()})
    return lines


def _member_or_refuse(*, user, company_id: int) -> None:
    if not Membership.objects.filter(user=user, company_id=company_id).exists():
        raise PermissionDenied


def quote_submit(*, request: QuoteRequest, company, by, data: QuoteInput) -> Quote:
    """A new quote from the company, or its submitted one changed. Refused unless `by` is a member of a
    company that received the request, the request is open and the quote is not decided.

    Side effects: the Quote and its lines; after commit an e-mail to the buyer (a new quote only)."""
    _member_or_refuse(user=by, company_id=company.pk)
    data.currency = (data.currency or "").upper().strip()
    data.terms = (data.terms or "").strip()
    lines = _validate(data=data, company_id=company.pk)
    total = sum(line.quantity * line.unit_amount for line in lines)
    with transaction.atomic():
        locked = QuoteRequest.objects.select_for_update().get(pk=request.pk)
        if not locked.recipients.filter(company=company).exists():
            raise PermissionDenied
        if locked.status != RequestStatus.OPEN:
            raise QuoteRefused(_("This request takes no more quotes."), code="closed")
        quote = Quote.objects.select_for_update().filter(request=locked, company=company).first()
        created = quote is None
        if quote is not None and quote.status not in (QuoteStatus.SUBMITTED, QuoteStatus.WITHDRAWN):
            raise QuoteRefused(_("This quote can no longer be changed."), code="decided")
        if quote is None:
            quote = Quote(request=locked, company=company)
        quote.created_by = by
        quote.currency = data.currency
        quote.incoterm = data.incoterm
        quote.lead_time_days = data.lead_time_days
        quote.valid_until = data.valid_until
        quote.terms = data.terms
        quote.total_amount = total
        quote.status = QuoteStatus.SUBMITTED
        quote.save()
        quote.lines.all().delete()
        QuoteLine.objects.bulk_create(
            [
                QuoteLine(
                    quote=quote,
                    product_id=line.product_id,
                    description=line.description.strip(),
                    quantity=line.quantity,
                    unit=line.unit,
                    unit_amount=line.unit_amount,
                    amount=line.quantity * line.unit_amount,
                    sort_order=index,
                )
                for index, line in enumerate(lines)
            ]
        )
        if created:
            from quotes.services.mail import quote_notify

            transaction.on_commit(lambda: quote_notify(quote_id=quote.pk))
    return quote


@transaction.atomic
def quote_withdraw(*, quote: Quote, by) -> Quote:
    """The company takes back a quote that is not accepted. Side effects: the status."""
    _member_or_refuse(user=by, company_id=quote.company_id)
    locked = Quote.objects.select_for_update().get(pk=quote.pk)
    if locked.status != QuoteStatus.SUBMITTED:
        raise QuoteRefused(_("Only a submitted quote can be withdrawn."), code="decided")
    locked.status = QuoteStatus.WITHDRAWN
    locked.save(update_fields=["status", "updated_at"])
    return locked


def _buyer_request(quote: Quote, buyer) -> QuoteRequest:
    request = QuoteRequest.objects.select_for_update().filter(pk=quote.request_id, buyer=buyer).first()
    if request is None:
        raise PermissionDenied
    return request


def _company_sender(quote: Quote):
    """Who speaks for the company in the chat: the quote's author while a member, else an owner."""
    members = Membership.objects.filter(company_id=quote.company_id, user__is_active=True).select_related(
        "user"
    )
    author = members.filter(user_id=quote.created_by_id).first()
    chosen = author or members.filter(role=MembershipRole.OWNER).order_by("pk").first() or members.first()
    if chosen is None:
        raise QuoteRefused(_("This company has no one left to answer."), code="no_member")
    return chosen.user


def quote_snapshot(quote: Quote) -> dict:
    """The chat card's payload (docs/rfq.md, "The quote card")."""
    return {
        "quote_id": quote.pk,
        "request_id": quote.request_id,
        "reference": quote.reference,
        "currency": quote.currency,
        "incoterm": quote.incoterm,
        "lead_time_days": quote.lead_time_days,
        "valid_until": quote.valid_until.isoformat(),
        "lines": [
            {
                "description": line.description,
                "quantity": line.quantity,
                "unit": line.unit,
                "unit_amount": line.unit_amount,
            }
            for line in quote.lines.all()
        ],
        "total": quote.total_amount,
    }


def quote_discuss(*, quote: Quote, buyer):
    """The buyer opens the chat with the quoting company (who then sees the buyer's name, as in any chat);
    the quote is posted there once as a card. Returns the conversation. Side effects: a Conversation, a
    chat Message of kind "quote"."""
    with transaction.atomic():
        _buyer_request(quote, buyer)
        conversation = conversation_start(buyer=buyer, company=quote.company, booth=quote.request.booth)
        locked = Quote.objects.select_for_update().get(pk=quote.pk)
        if locked.message_id is None or locked.message.conversation_id != conversation.pk:
            message, _created = message_send(
                conversation=conversation,
                sender=_company_sender(locked),
                client_id=f"quote-{locked.pk}-{locked.updated_at.timestamp():.0f}",
                body=gettext("Quote %(reference)s: %(total)s")
                % {
                    "reference": locked.reference,
                    "total": format_money(locked.total_amount, locked.currency),
                },
                kind=MessageKind.QUOTE,
                payload=quote_snapshot(locked),
            )
            locked.message = message
            locked.save(update_fields=["message"])
    return conversation


def _payment_lines(quote: Quote) -> list[LineInput]:
    lines = []
    for line in quote.lines.all():
        if line.quantity <= PAYMENT_MAX_QUANTITY:
            lines.append(
                LineInput(
                    description=f"{line.description} ({line.unit})"[:200],
                    quantity=line.quantity,
                    unit_amount=line.unit_amount,
                )
            )
        else:
            lines.append(
                LineInput(
                    description=f"{line.quantity} {line.unit} {line.description}"[:200],
                    quantity=1,
                    unit_amount=line.amount,
                )
            )
    return lines


def _order_without_card(*, quote: Quote, request: QuoteRequest, conversation, by, route: str) -> Order:
    """An order for bank transfer or a letter of credit: the same buyer-payment order a payment request
    makes, without a Checkout. No commission is taken, as no money passes through Stripe."""
    label = PaymentRoute(route).label
    order = Order.objects.create(
        kind=OrderKind.BUYER_PAYMENT,
        fair=request.fair,
        payer_user=request.buyer,
        payee_company=quote.company,
        conversation=conversation,
        currency=quote.currency,
        net_amount=quote.total_amount,
        tax_amount=0,
        total_amount=quote.total_amount,
        application_fee_amount=0,
        reference=f"QO-{secrets.token_hex(5).upper()}",
        note=f"{quote.reference} · {label}",
        created_by=by,
    )
    OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                description=line.description[:200],
                quantity=line.quantity,
                unit_amount=line.unit_amount,
                amount=line.quantity * line.unit_amount,
                sort_order=index,
            )
            for index, line in enumerate(_payment_lines(quote))
        ]
    )
    # A letter of credit's money also arrives on the company's bank account: both are recorded the same way.
    bank_transfer_start(order=order, by=request.buyer)
    return order


def quote_accept(*, quote: Quote, buyer, route: str) -> Quote:
    """The buyer accepts the quote: in one transaction, with the request and quote rows locked, the quote is
    accepted, the request marked accepted, a payment request (card: payments' payment_request_create, in
    the buyer's conversation with the company) or an order without card payment (bank transfer, letter of
    credit) made, and `quote.accepted` appended to the record log. A second submit returns the accepted
    quote and creates nothing.

    Side effects: statuses, a Conversation, chat messages, an Order (with its lines and, for bank transfer,
    an open attempt), a Record; after commit an e-mail to the company's members."""
    if route not in PaymentRoute.values:
        raise QuoteRefused({"route": [_("Choose how you will pay.")]})
    with transaction.atomic():
        request = _buyer_request(quote, buyer)
        locked = Quote.objects.select_for_update().select_related("company").get(pk=quote.pk, request=request)
        if locked.status == QuoteStatus.ACCEPTED:
            return locked
        if request.status not in (RequestStatus.OPEN, RequestStatus.CLOSED, RequestStatus.EXPIRED):
            raise QuoteRefused(_("This request can no longer accept a quote."), code="request_state")
        if locked.status != QuoteStatus.SUBMITTED:
            raise QuoteRefused(_("This quote can no longer be accepted."), code="quote_state")
        if locked.valid_until < timezone.localdate():
            raise QuoteRefused(_("This quote is no longer valid."), code="expired")
        now = timezone.now()
        conversation = conversation_start(buyer=buyer, company=locked.company, booth=request.booth)
        by = _company_sender(locked)
        locked.request = request
        if route == PaymentRoute.CARD:
            order = payment_request_create(
                conversation=conversation,
                by=by,
                lines=_payment_lines(locked),
                taxes=[],
                currency=locked.currency,
                note=gettext("Quote %(reference)s") % {"reference": locked.reference},
                expires_at=now + timedelta(days=PAYMENT_DAYS),
                client_id=f"quote-{locked.pk}-accepted",
            )
        else:
            order = _order_without_card(
                quote=locked, request=request, conversation=conversation, by=by, route=route
            )
        locked.status = QuoteStatus.ACCEPTED
        locked.payment_route = route
        locked.order = order
        locked.decided_at = now
        try:
            with transaction.atomic():
                locked.save(update_fields=["status", "payment_route", "order", "decided_at", "updated_at"])
        except IntegrityError as exc:
            raise QuoteRefused(_("Another quote was accepted already."), code="accepted") from exc
        record = quote_accepted_record(quote=locked, accepted_by=buyer, accepted_at=now)
        locked.record_position = record.position
        locked.save(update_fields=["record_position"])
        request_transition(request=request, to=RequestStatus.ACCEPTED)
        from quotes.services.mail import decision_notify

        transaction.on_commit(lambda: decision_notify(quote_id=locked.pk))
    return locked


@transaction.atomic
def quote_decline(*, quote: Quote, buyer, reason: str) -> Quote:
    """The buyer declines the quote with a reason the company reads. Side effects: the status; after commit
    an e-mail to the company's members in their language."""
    reason = (reason or "").strip()
    if not reason or len(reason) > 1000:
        raise QuoteRefused({"reason": [_("Give a reason of at most 1000 characters.")]})
    request = _buyer_request(quote, buyer)
    locked = Quote.objects.select_for_update().get(pk=quote.pk, request=request)
    if locked.status != QuoteStatus.SUBMITTED:
        raise QuoteRefused(_("This quote can no longer be declined."), code="quote_state")
    locked.status = QuoteStatus.DECLINED
    locked.decline_reason = reason
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decline_reason", "decided_at", "updated_at"])
    from quotes.services.mail import decision_notify

    transaction.on_commit(lambda: decision_notify(quote_id=locked.pk))
    return locked
