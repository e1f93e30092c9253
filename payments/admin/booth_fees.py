"""The chamber staff's booth-fee screens in the Wagtail admin: booth fees due and paid per fair, and
recording an amount received by bank transfer. Views translate HTTP into payments.services calls."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exhibitors.forms.booths import add_service_errors
from exhibitors.integers import parse_id
from fair.models import FairPage
from payments.enums import OrderKind
from payments.forms.bank import BankReceiptForm
from payments.models import BankTransferReceipt, Order
from payments.selectors.booth_fees import booth_fee_page, booth_fees_for_admin
from payments.services.bank import bank_transfer_record

# Lazy: evaluated in each request's language, not once at import.
STATES = [
    ("", gettext_lazy("All")),
    ("unpaid", gettext_lazy("Nothing received")),
    ("partial", gettext_lazy("Partly paid")),
    ("paid", gettext_lazy("Paid")),
    ("proof_unrecorded", gettext_lazy("Proof uploaded, not yet recorded")),
]


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def booth_fees_index(request):
    _require(request, "payments.view_order")
    fairs = FairPage.objects.filter(pk__in=Order.objects.filter(kind=OrderKind.BOOTH_FEE).values("fair"))
    fair_id = parse_id(request.GET.get("fair")) or 0
    state = request.GET.get("state", "")
    if state not in dict(STATES):
        state = ""
    rows = booth_fees_for_admin(fair_id=fair_id or None, state=state)
    return TemplateResponse(
        request,
        "payments/admin/booth_fees.html",
        {"rows": rows, "fairs": fairs, "fair_id": fair_id, "state": state, "states": STATES},
    )


def booth_fee_record(request, order_id: int):
    _require(request, "payments.add_banktransferreceipt")
    order = get_object_or_404(
        Order.objects.select_related("payer_company", "fair", "booth__package"),
        pk=order_id,
        kind=OrderKind.BOOTH_FEE,
    )
    form = BankReceiptForm(request.POST or None, currency=order.currency)
    if request.method == "POST" and form.is_valid():
        try:
            bank_transfer_record(
                order=order,
                amount=form.cleaned_data["amount"],
                received_on=form.cleaned_data["received_on"],
                bank_reference=form.cleaned_data["bank_reference"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            from wagtail.admin import messages

            messages.success(
                request, _("Amount recorded for %(reference)s.") % {"reference": order.reference}
            )
            return redirect("payments_admin:booth_fee_record", order.pk)
    context = {"form": form, **booth_fee_page(order=order)}
    context["recorded"] = BankTransferReceipt.objects.filter(attempt__order=order).select_related(
        "recorded_by"
    )
    return TemplateResponse(request, "payments/admin/booth_fee_record.html", context)
