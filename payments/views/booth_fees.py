"""The company's booth-fee pages: what is due, card payment through Stripe Checkout, bank transfer with proof,
and receipts. Another company's booth or receipt answers 404."""

import logging

import stripe
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exhibitors.forms.booths import add_service_errors
from exhibitors.models import Membership
from exhibitors.permissions import booth_or_404
from exhibitors.records.selectors import records_for_subjects
from payments.enums import AttemptStatus, OrderKind
from payments.forms.bank import BankProofForm
from payments.models import Order, PaymentSettings, Receipt
from payments.selectors.booth_fees import booth_fee_order, booth_fee_page
from payments.services.bank import bank_transfer_proof_add
from payments.services.checkout import checkout_return, checkout_start
from payments.services.records import order_subject
from payments.stripe_client import stripe_configured

logger = logging.getLogger("feria.payments")


def _render(request, booth, order, proof_form=None, status=200):
    context = {
        "booth": booth,
        "fair": booth.fair,
        "stripe_on": stripe_configured(),
        "bank": PaymentSettings.for_request(request),
        "proof_form": proof_form or BankProofForm(),
    }
    if order is not None:
        context.update(booth_fee_page(order=order))
        context["records"] = records_for_subjects(subjects=[order_subject(order)], user=request.user)
    return render(request, "payments/booth_fee.html", context, status=status)


@login_required
def booth_fee(request, booth_id: int):
    """What the booth costs (net, taxes, total), how to pay it, and what was paid. Reads only: the order is
    made when the application or the package changes."""
    booth = booth_or_404(user=request.user, booth_id=booth_id)
    order = booth_fee_order(booth=booth)
    if request.GET.get("cancelled"):
        messages.info(request, _("The card payment was cancelled. Nothing was charged."))
    return _render(request, booth, order)


def _order_or_404(request, booth_id: int) -> tuple:
    booth = booth_or_404(user=request.user, booth_id=booth_id)
    order = booth_fee_order(booth=booth)
    if order is None:
        raise Http404
    return booth, order


@login_required
@require_POST
def booth_fee_checkout(request, booth_id: int):
    booth, order = _order_or_404(request, booth_id)
    page = request.build_absolute_uri(reverse("payments:booth_fee", args=[booth.pk]))
    success_url = (
        request.build_absolute_uri(reverse("payments:booth_fee_return", args=[booth.pk]))
        + "?session_id={CHECKOUT_SESSION_ID}"
    )
    try:
        attempt = checkout_start(
            order=order,
            by=request.user,
            success_url=success_url,
            cancel_url=page + "?cancelled=1",
            language=get_language() or "en",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("payments:booth_fee", booth.pk)
    return redirect(attempt.checkout_url)


@login_required
def booth_fee_return(request, booth_id: int):
    """Stripe sends the payer back here after paying: confirm the payment now, not when the event comes."""
    booth, order = _order_or_404(request, booth_id)
    session_id = request.GET.get("session_id", "")[:255]
    try:
        attempt = checkout_return(order=order, session_id=session_id)
    except stripe.StripeError as exc:
        logger.warning("Could not confirm Checkout Session %s: %s", session_id, exc)
        attempt = None
    order.refresh_from_db()
    if order.paid_at:
        messages.success(request, _("Thank you: your booth fee is paid. Your receipt is below."))
    elif attempt is not None and attempt.status == AttemptStatus.PROCESSING:
        messages.info(
            request, _("Your payment is being processed. We will e-mail your receipt once it arrives.")
        )
    else:
        messages.info(
            request, _("Stripe has not confirmed your payment yet. This page will show it once it does.")
        )
    return redirect("payments:booth_fee", booth.pk)


@login_required
@require_POST
def booth_fee_proof(request, booth_id: int):
    booth, order = _order_or_404(request, booth_id)
    form = BankProofForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            bank_transfer_proof_add(
                order=order,
                upload=form.cleaned_data["proof"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you: the chamber will check your transfer and record it."))
            return redirect("payments:booth_fee", booth.pk)
    return _render(request, booth, order, proof_form=form, status=400)


@login_required
def receipt(request, receipt_id: int):
    """A receipt: for a booth fee only the paying company's members may see it; anyone else gets 404."""
    found = get_object_or_404(Receipt.objects.select_related("order"), pk=receipt_id)
    order: Order = found.order
    if order.kind == OrderKind.BOOTH_FEE:
        allowed = Membership.objects.filter(user=request.user, company_id=order.payer_company_id).exists()
    else:
        allowed = (
            order.payer_user_id == request.user.pk
            or Membership.objects.filter(user=request.user, company_id=order.payee_company_id).exists()
        )
    if not allowed:
        raise Http404
    records = records_for_subjects(subjects=[order_subject(order)], user=request.user)
    return render(request, "payments/receipt.html", {"receipt": found, "order": order, "records": records})
