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


def _mask(value: str, keep: int = 4) -> str:
    """An identifier with only its last `keep` characters shown ("…1234")."""
    return f"…{value[-keep:]}" if value else ""


def _bank_transfer_rows(filter_q: Q) -> list[dict]:
    from payments.enums import AttemptMethod
    from payments.models import BankTransferProof, BankTransferReceipt, PaymentAttempt

    rows = []
    attempts = (
        PaymentAttempt.objects.filter(filter_q, method=AttemptMethod.BANK_TRANSFER)
        .select_related("order")
        .order_by("created_at", "id")
    )
    for attempt in attempts:
        rows.append(
            {
                "order_id": attempt.order_id,
                "reference": attempt.order.reference,
                "status": attempt.status,
                "amount": attempt.amount,
                "currency": attempt.currency,
                "created_at": attempt.created_at,
                "proofs": [
                    {"file_name": proof.file.name, "note": proof.note, "uploaded_at": proof.uploaded_at}
                    for proof in BankTransferProof.objects.filter(attempt=attempt).select_related("file")
                ],
                "received": [
                    {
                        "amount": item.amount,
                        "received_on": item.received_on,
                        "bank_reference": item.bank_reference,
                    }
                    for item in BankTransferReceipt.objects.filter(attempt=attempt)
                ],
            }
        )
    return rows


def person_bank_transfers(*, person) -> list[dict]:
    """Bank transfers the person announced (or uploaded a proof for) on orders they or their company pay."""
    from payments.models import BankTransferProof

    attempt_ids = BankTransferProof.objects.filter(uploaded_by=person).values("attempt_id")
    return _bank_transfer_rows(Q(created_by=person) | Q(pk__in=attempt_ids))


def company_bank_transfers(*, company: Company) -> list[dict]:
    return _bank_transfer_rows(Q(order__payer_company=company))


def company_stripe_account(*, company: Company) -> list[dict]:
    """The company's connected Stripe account as its payments page shows it (status), the id masked."""
    from payments.models import ConnectedAccount

    return [
        {
            "stripe_account": _mask(account.stripe_account_id),
            "charges_enabled": account.charges_enabled,
            "payouts_enabled": account.payouts_enabled,
            "details_submitted": account.details_submitted,
            "requirements_due": account.requirements_due,
            "created_at": account.created_at,
        }
        for account in ConnectedAccount.objects.filter(company=company)
    ]


def export_sections_register() -> None:
    from exhibitors.services.exports import export_section_register

    export_section_register("orders", person=person_orders, company=company_orders)
    export_section_register("receipts", person=person_receipts, company=company_receipts)
    export_section_register("ledger", company=company_ledger)
    export_section_register("bank_transfers", person=person_bank_transfers, company=company_bank_transfers)
    export_section_register("stripe_account", company=company_stripe_account)
