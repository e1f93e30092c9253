"""Receipts: numbered without gaps per series (a fair's booth fees, or one exhibitor's sales)."""

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Site

from payments.enums import AttemptMethod, AttemptStatus, OrderKind
from payments.models import BankTransferReceipt, Order, PaymentSettings, Receipt, ReceiptCounter


def _next_number(*, fair=None, company=None) -> int:
    """Take the series' next number: the counter row stays locked until the transaction ends, so concurrent
    receipts wait for each other and a rolled-back receipt gives its number back."""
    lookup = {"fair": fair} if fair is not None else {"company": company}
    try:
        with transaction.atomic():
            ReceiptCounter.objects.get_or_create(**lookup)
    except IntegrityError:
        pass  # created by a concurrent receipt a moment ago
    counter = ReceiptCounter.objects.select_for_update().get(**lookup)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def chamber_details() -> dict:
    """The chamber's name, tax id and address from its site settings (cms.ChamberSettings, read by name)."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return {"name": "", "tax_id": "", "address": "", "footer": ""}
    chamber = apps.get_model("cms", "ChamberSettings").for_site(site)
    payment_settings = PaymentSettings.for_site(site)
    return {
        "name": chamber.chamber_name,
        "tax_id": chamber.tax_id,
        "address": chamber.address,
        "footer": payment_settings.receipt_footer,
    }


def receipt_payments(order: Order) -> list[dict]:
    """The payments that make up the order's total, oldest first: each bank transfer the chamber recorded and
    each card payment that succeeded ({"method", "amount", "date"})."""
    payments = [
        {
            "method": AttemptMethod.BANK_TRANSFER.value,
            "amount": item.amount,
            "date": item.received_on.isoformat(),
        }
        for item in BankTransferReceipt.objects.filter(attempt__order=order).order_by("received_on", "pk")
    ]
    payments += [
        {
            "method": AttemptMethod.CHECKOUT.value,
            "amount": attempt.amount,
            "date": timezone.localdate(attempt.succeeded_at).isoformat(),
        }
        for attempt in order.attempts.filter(
            method=AttemptMethod.CHECKOUT, status=AttemptStatus.SUCCEEDED
        ).order_by("succeeded_at", "pk")
    ]
    return sorted(payments, key=lambda item: item["date"])


def receipt_issue(*, order: Order, method: str) -> Receipt:
    """Issue the paid order's receipt once (a second call returns the first). Booth fees: issued by the
    chamber, numbered per fair. Buyer payments: issued by the exhibitor, numbered per exhibitor.
    Must run inside the transaction that marks the order paid. Side effects: a Receipt row, a counter bump."""
    existing = Receipt.objects.filter(order=order).first()
    if existing is not None:
        return existing
    lines = [
        {
            "description": line.description,
            "quantity": line.quantity,
            "unit_amount": line.unit_amount,
            "amount": line.amount,
        }
        for line in order.lines.all()
    ]
    tax_lines = [
        {"name": tax.name, "rate": str(tax.rate.normalize()), "amount": tax.amount}
        for tax in order.tax_lines.all()
    ]
    if order.kind == OrderKind.BOOTH_FEE:
        chamber = chamber_details()
        number = _next_number(fair=order.fair)
        series = {"series_fair": order.fair}
        issuer = {
            "issuer_name": chamber["name"],
            "issuer_tax_id": chamber["tax_id"],
            "issuer_address": chamber["address"],
        }
        recipient = {
            "recipient_name": order.payer_company.legal_name,
            "recipient_tax_id": order.payer_company.tax_id,
        }
        display = f"F{order.fair_id}-{number:06d}"
        footer = chamber["footer"]
    else:
        seller = order.payee_company
        number = _next_number(company=seller)
        series = {"series_company": seller}
        issuer = {
            "issuer_name": seller.legal_name,
            "issuer_tax_id": seller.tax_id,
            "issuer_address": ", ".join(filter(None, [seller.city, str(seller.country.name)])),
        }
        payer = order.payer_user
        profile = getattr(payer, "buyer_profile", None)
        recipient = {
            "recipient_name": profile.company_name if profile else str(payer),
            "recipient_tax_id": "",
        }
        display = f"S{seller.pk}-{number:06d}"
        footer = ""
    return Receipt.objects.create(
        order=order,
        number=number,
        display_number=display,
        lines=lines,
        tax_lines=tax_lines,
        currency=order.currency,
        net_amount=order.net_amount,
        tax_amount=order.tax_amount,
        total_amount=order.total_amount,
        payment_method=method,
        payments=receipt_payments(order),
        footer=footer,
        issued_at=timezone.now(),
        **series,
        **issuer,
        **recipient,
    )
