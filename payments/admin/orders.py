"""The chamber's view of buyer payments in the Wagtail admin (read-only): every payment request with its
state and commission, the disputes, and the chamber's ledger as CSV. Chamber staff need "view order".

Registered from PaymentsConfig.ready (hooks of this module, beside payments.wagtail_hooks)."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from payments.enums import OrderKind
from payments.models import Dispute, Order
from payments.selectors.ledger import ledger_for, ledger_summary, ledger_totals
from payments.selectors.orders import STATE_LABELS, buyer_order_state
from payments.views.orders import ledger_csv_response

PERMISSION = "payments.view_order"
LIMIT = 300


def _require(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def buyer_payments_index(request):
    """GET: buyer payments (newest first), open disputes first, and the chamber's ledger totals."""
    _require(request)
    now = timezone.now()
    orders = list(
        Order.objects.filter(kind=OrderKind.BUYER_PAYMENT)
        .select_related("payee_company", "payer_user", "fair")
        .prefetch_related("attempts", "refunds", "disputes")
        .order_by("-created_at", "-id")[:LIMIT]
    )
    for order in orders:
        order.state = buyer_order_state(order, now)
        order.state_label = STATE_LABELS.get(order.state, order.state)
    disputes = list(
        Dispute.objects.select_related("order__payee_company").order_by("closed_at", "-created_at")[:LIMIT]
    )
    context = {
        "orders": orders,
        "disputes": disputes,
        "totals": sorted(ledger_summary(ledger_totals(ledger_for())).items()),
    }
    return TemplateResponse(request, "payments/connect/admin_index.html", context)


def chamber_ledger_csv(request):
    """GET: the chamber's whole ledger (booth fees, commissions, refunds, disputes) as CSV."""
    _require(request)
    return ledger_csv_response(ledger_for(), f"ledger-chamber-{timezone.localdate().isoformat()}.csv")


admin_urls = (
    [
        path("", buyer_payments_index, name="index"),
        path("ledger.csv", chamber_ledger_csv, name="ledger_csv"),
    ],
    "payments_connect_admin",
)


@hooks.register("register_admin_urls")
def register_buyer_payments_admin_urls():
    return [path("buyer-payments/", include(admin_urls))]


class _PermissionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def register_buyer_payments_menu_item():
    return _PermissionMenuItem(
        _("Buyer payments"), reverse("payments_connect_admin:index"), icon_name="form", order=260
    )
