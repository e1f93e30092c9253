"""Booth fees: what a company owes the chamber for its booth package, and the moment it is paid.

The order is made (or brought up to date while nothing was paid) when the booth's application is submitted,
approved or sent back, and when its package changes (exhibitors.services.applications.BOOTH_TERMS_CHANGED);
the booth-fee page only reads it. It is paid by card (payments.services.checkout) or by bank transfer
(payments.services.bank), and both end in `order_settle`: once the money received covers the total, the
order is marked paid, the chamber issues a receipt numbered in the fair's series (listing every payment that
made up the total), the ledger records it, and the company's members get the receipt by e-mail.
"""

from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exhibitors.enums import ApplicationStatus
from exhibitors.models import Booth
from payments.enums import AttemptMethod, AttemptStatus, LedgerBook, LedgerKind, OrderKind
from payments.models import BankTransferReceipt, Order, OrderLine, OrderTaxLine, TaxRate
from payments.services.attempts import attempt_transition
from payments.services.ledger import ledger_write
from payments.services.records import order_paid_record

PAYABLE_STATUSES = {ApplicationStatus.PENDING, ApplicationStatus.APPROVED}


def tax_amount(net: int, rate: Decimal) -> int:
    """Tax on `net` minor units at `rate` percent, rounded half up to a whole minor unit."""
    return int((Decimal(net) * rate / Decimal(100)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def booth_fee_reference(booth: Booth) -> str:
    return f"BF-{booth.fair_id}-{booth.pk}"


def booth_fee_payable(booth: Booth) -> bool:
    application = getattr(booth, "application", None)
    return (
        booth.package.price_amount > 0 and application is not None and application.status in PAYABLE_STATUSES
    )


def received_amount(order: Order) -> int:
    """Money in for the order: card payments that succeeded plus bank transfers recorded by staff."""
    card = (
        order.attempts.filter(method=AttemptMethod.CHECKOUT, status=AttemptStatus.SUCCEEDED).aggregate(
            total=Sum("amount")
        )["total"]
        or 0
    )
    bank = (
        BankTransferReceipt.objects.filter(attempt__order=order).aggregate(total=Sum("amount"))["total"] or 0
    )
    return card + bank


def _money_received(order: Order) -> bool:
    return (
        order.attempts.filter(status__in=[AttemptStatus.SUCCEEDED, AttemptStatus.PROCESSING]).exists()
        or BankTransferReceipt.objects.filter(attempt__order=order).exists()
    )


@transaction.atomic
def booth_fee_order_ensure(*, booth: Booth, by=None) -> Order | None:
    """The booth's fee order, made from its package and the active booth-fee tax rates; None when nothing
    is payable (free package, or an application that is withdrawn or rejected).

    While no money has come in, the order follows the booth's current package and tax rates (the company
    may have changed package when it applied again); open card attempts for an old amount are cancelled.
    Side effects: creates or rewrites the Order with its lines and tax lines.
    """
    booth = Booth.objects.select_related("package", "fair", "company", "application").get(pk=booth.pk)
    existing = Order.objects.select_for_update().filter(booth=booth, kind=OrderKind.BOOTH_FEE).first()
    if not booth_fee_payable(booth):
        return existing
    package = booth.package
    net = package.price_amount
    rates = list(TaxRate.objects.filter(active=True, applies_to_booth_fees=True))
    taxes = [(rate, tax_amount(net, rate.rate)) for rate in rates]
    tax_total = sum(amount for _rate, amount in taxes)
    wanted = (package.currency, net, tax_total)
    if existing is not None:
        if existing.paid_at or (existing.currency, existing.net_amount, existing.tax_amount) == wanted:
            return existing
        if _money_received(existing):
            return existing
        for attempt in existing.attempts.select_for_update().filter(
            status__in=[AttemptStatus.CREATED, AttemptStatus.OPEN]
        ):
            attempt_transition(attempt=attempt, to=AttemptStatus.CANCELLED, reason="The amount due changed.")
        order = existing
        order.lines.all().delete()
        order.tax_lines.all().delete()
    else:
        order = Order(
            kind=OrderKind.BOOTH_FEE,
            fair=booth.fair,
            booth=booth,
            payer_company=booth.company,
            reference=booth_fee_reference(booth),
            created_by=by,
        )
    order.currency = package.currency
    order.net_amount = net
    order.tax_amount = tax_total
    order.total_amount = net + tax_total
    order.save()
    OrderLine.objects.create(
        order=order, description=package.name[:200], quantity=1, unit_amount=net, amount=net
    )
    for index, (rate, amount) in enumerate(taxes):
        OrderTaxLine.objects.create(
            order=order, name=rate.name, rate=rate.rate, amount=amount, sort_order=index
        )
    return order


def booth_fee_order_follow(*, booth: Booth) -> None:
    """Listener of exhibitors' BOOTH_TERMS_CHANGED: keep the booth's fee order in step with its application
    and package. Side effects: as booth_fee_order_ensure."""
    booth_fee_order_ensure(booth=booth)


def order_settle(*, order: Order, method: str) -> bool:
    """If the money received covers the order's total and it is not marked paid yet, mark it paid, issue
    its receipt and queue the receipt e-mail after commit. Returns True when this call settled it.

    Must run inside a transaction with the order row locked (select_for_update).
    """
    if order.paid_at is not None or received_amount(order) < order.total_amount:
        return False
    order.paid_at = timezone.now()
    order.save(update_fields=["paid_at", "updated_at"])
    from payments.services.receipts import receipt_issue

    receipt = receipt_issue(order=order, method=method)
    order_paid_record(order=order, receipt=receipt)
    if order.kind == OrderKind.BOOTH_FEE:
        ledger_write(
            key=f"tax-order-{order.pk}",
            book=LedgerBook.CHAMBER,
            kind=LedgerKind.TAX,
            # Collected for the tax authority: out of the chamber's own money.
            amount=-order.tax_amount,
            currency=order.currency,
            fair=order.fair,
            order=order,
            description=f"Tax collected on {order.reference}",
        )
    from payments.tasks import receipt_email

    transaction.on_commit(partial(receipt_email.enqueue, receipt_id=receipt.pk))
    return True


class OrderNotPayable(ValidationError):
    pass


def check_payable(order: Order) -> None:
    """Refuse to take money for an order that is paid, cancelled or expired."""
    if order.paid_at is not None:
        raise OrderNotPayable(_("This is paid already."), code="already_paid")
    if order.cancelled_at is not None:
        raise OrderNotPayable(_("This payment was cancelled."), code="cancelled")
    if order.expires_at is not None and order.expires_at <= timezone.now():
        raise OrderNotPayable(_("This payment request has expired."), code="expired")
