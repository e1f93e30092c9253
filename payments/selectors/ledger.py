"""Reads of the ledger: an exhibitor's or the chamber's book, its totals and summary per currency."""

from django.db.models import Sum

from exhibitors.models import Company
from payments.enums import LedgerBook, LedgerKind
from payments.models import LedgerEntry


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
