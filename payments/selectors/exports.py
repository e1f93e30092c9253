"""The payments app's sections of a data export (registered in payments.apps): orders and receipts of a
person (buyer payments they made) or of a company (what it paid and was paid), and a company's ledger."""

from django.db.models import Q

from exhibitors.models import Company
from payments.enums import LedgerBook
from payments.models import LedgerEntry, Order, Receipt


def _order_row(order: Order) -> dict:
    return {
        "id": order.pk,
        "kind": order.kind,
        "reference": order.reference,
        "payer": str(order.payer_company or order.payer_user or ""),
        "payee": str(order.payee_company) if order.payee_company_id else "chamber",
        "currency": order.currency,
        "net_amount": order.net_amount,
        "tax_amount": order.tax_amount,
        "total_amount": order.total_amount,
        "note": order.note,
        "lines": [
            {"description": line.description, "quantity": line.quantity, "amount": line.amount}
            for line in order.lines.all()
        ],
        "created_at": order.created_at,
        "paid_at": order.paid_at,
        "cancelled_at": order.cancelled_at,
    }


def _receipt_row(receipt: Receipt) -> dict:
    return {
        "order_id": receipt.order_id,
        "number": receipt.display_number,
        "issuer_name": receipt.issuer_name,
        "issuer_tax_id": receipt.issuer_tax_id,
        "recipient_name": receipt.recipient_name,
        "recipient_tax_id": receipt.recipient_tax_id,
        "currency": receipt.currency,
        "net_amount": receipt.net_amount,
        "tax_amount": receipt.tax_amount,
        "total_amount": receipt.total_amount,
        "lines": receipt.lines,
        "payments": receipt.payments,
        "issued_at": receipt.issued_at,
    }


def _orders(filter_q: Q) -> list[dict]:
    orders = (
        Order.objects.filter(filter_q)
        .select_related("payer_company", "payer_user", "payee_company")
        .prefetch_related("lines")
        .order_by("created_at", "id")
    )
    return [_order_row(order) for order in orders]


def person_orders(*, person) -> list[dict]:
    return _orders(Q(payer_user=person))


def person_receipts(*, person) -> list[dict]:
    return [
        _receipt_row(r) for r in Receipt.objects.filter(order__payer_user=person).order_by("issued_at", "id")
    ]


def company_orders(*, company: Company) -> list[dict]:
    return _orders(Q(payer_company=company) | Q(payee_company=company))


def company_receipts(*, company: Company) -> list[dict]:
    receipts = Receipt.objects.filter(Q(order__payer_company=company) | Q(order__payee_company=company))
    return [_receipt_row(receipt) for receipt in receipts.order_by("issued_at", "id")]


def company_ledger(*, company: Company) -> list[dict]:
    return [
        {
            "kind": entry.kind,
            "order_id": entry.order_id,
            "amount": entry.amount,
            "currency": entry.currency,
            "description": entry.description,
            "created_at": entry.created_at,
        }
        for entry in LedgerEntry.objects.filter(book=LedgerBook.EXHIBITOR, company=company).order_by(
            "created_at", "id"
        )
    ]


def export_sections_register() -> None:
    from exhibitors.services.exports import export_section_register

    export_section_register("orders", person=person_orders, company=company_orders)
    export_section_register("receipts", person=person_receipts, company=company_receipts)
    export_section_register("ledger", company=company_ledger)
