"""The payments' part in closing a company (registered in exhibitors.services.closing from PaymentsConfig).

Only unpaid, uncancelled payment requests to buyers are withdrawn; paid orders, receipts and the ledger stay
exactly as they are (they carry the company's legal name and tax id, which tax law and the buyer need)."""

from payments.models import Order
from payments.services.orders import KIND, payment_request_cancel


def _open_requests(company):
    return Order.objects.filter(
        kind=KIND, payee_company=company, paid_at__isnull=True, cancelled_at__isnull=True
    )


def payments_close_preview(*, company) -> dict[str, int]:
    """How many open payment requests closing the company would cancel."""
    return {"payment_requests": _open_requests(company).count()}


def payments_company_close(*, company, by, reason: str) -> dict[str, int]:
    """Withdraw each open payment request through payment_request_cancel (its open checkout attempts are
    cancelled with it). A request whose payment Stripe is processing right now refuses, and so does the
    closing: the owner tries again once it has settled."""
    cancelled = 0
    for order in _open_requests(company).order_by("pk"):
        payment_request_cancel(order=order, by=by)
        cancelled += 1
    return {"payment_requests_cancelled": cancelled}
