"""Buyer payments as pages: the exhibitor's payment requests and orders (with refunds, disputes and its
ledger as CSV), the payment-request form of a conversation, and the buyer's own payments with Pay.

Someone else's order, company or conversation answers 404.
"""

import stripe
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exhibitors.enums import MembershipRole
from exhibitors.forms.booths import add_service_errors
from exhibitors.permissions import membership_or_404
from exhibitors.records.selectors import records_for_subjects
from exhibitors.spreadsheets import csv_response
from fair.chat.enums import Side
from fair.chat.selectors.conversations import conversation_for
from payments.enums import OrderKind, RefundStatus
from payments.forms.bank import MoneyReceivedForm
from payments.forms.orders import PaymentRequestForm, RefundForm
from payments.models import ConnectedAccount, Order, Receipt
from payments.money import to_decimal
from payments.selectors.booth_fees import order_history
from payments.selectors.ledger import ledger_for, ledger_summary, ledger_totals
from payments.selectors.orders import STATE_LABELS, buyer_order_state, buyer_orders, company_orders
from payments.services.bank import bank_transfer_record, order_takes_bank_receipts
from payments.services.booth_fees import received_amount
from payments.services.buyer_checkout import buyer_checkout_return, buyer_checkout_start
from payments.services.connect import can_take_payments
from payments.services.orders import BuyerPaymentRefused, payment_request_cancel, payment_request_create
from payments.services.records import order_subject
from payments.services.refunds import refund_create, refund_send, refundable_amount
from payments.stripe_client import stripe_configured

LIST_LIMIT = 200


def _with_states(orders) -> list[Order]:
    now = timezone.now()
    rows = list(orders[:LIST_LIMIT])
    for order in rows:
        order.state = buyer_order_state(order, now)
        order.state_label = STATE_LABELS.get(order.state, order.state)
    return rows


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Exhibitor side ---------------------------------------------------------------------------------------


@login_required
@require_GET
def company_payments(request, company_id: int):
    """GET: the company's payment requests and orders with their states, and its Stripe account summary."""
    membership = membership_or_404(user=request.user, company_id=company_id)
    company = membership.company
    context = {
        "company": company,
        "is_owner": membership.role == MembershipRole.OWNER,
        "account": ConnectedAccount.objects.filter(company=company).first(),
        "stripe_on": stripe_configured(),
        "orders": _with_states(company_orders(company)),
    }
    return TemplateResponse(request, "payments/orders/company_list.html", context)


def _company_order_or_404(request, company_id: int, order_id: int, *, owner: bool = False):
    membership = membership_or_404(user=request.user, company_id=company_id, owner=owner)
    order = get_object_or_404(
        Order.objects.select_related("payer_user", "conversation", "fair"),
        pk=order_id,
        kind=OrderKind.BUYER_PAYMENT,
        payee_company=membership.company,
    )
    return membership, order


def _company_order_page(request, membership, order, *, refund_form=None, received_form=None, status=200):
    order = (
        Order.objects.prefetch_related("refunds", "disputes", "attempts", "lines", "tax_lines")
        .select_related("payer_user", "conversation", "fair")
        .get(pk=order.pk)
    )
    state = buyer_order_state(order)
    refundable = refundable_amount(order) if order.paid_at else 0
    context = {
        "company": membership.company,
        "is_owner": membership.role == MembershipRole.OWNER,
        "order": order,
        "state": state,
        "state_label": STATE_LABELS.get(state, state),
        "refunds": list(order.refunds.all()),
        "disputes": list(order.disputes.all()),
        "refundable": refundable,
        "refund_form": refund_form
        or RefundForm(currency=order.currency, initial={"amount": to_decimal(refundable, order.currency)}),
        "receipt": Receipt.objects.filter(order=order).first(),
        "unsent": RefundStatus.CREATED,
        "history": order_history(order),
        "records": records_for_subjects(subjects=[order_subject(order)], user=request.user),
    }
    if order_takes_bank_receipts(order) and not order.paid_at and not order.cancelled_at:
        due = order.total_amount - received_amount(order)
        context["bank_due"] = due
        context["money_recorded"] = due < order.total_amount
        context["received_form"] = received_form or MoneyReceivedForm(
            currency=order.currency, initial={"amount": to_decimal(due, order.currency)}
        )
    return TemplateResponse(request, "payments/orders/company_order.html", context, status=status)


@login_required
@require_GET
def company_order(request, company_id: int, order_id: int):
    """GET: one order: lines, payments, refunds (the owner can refund), disputes."""
    membership, order = _company_order_or_404(request, company_id, order_id)
    return _company_order_page(request, membership, order)


@login_required
@require_POST
def company_money_received(request, company_id: int, order_id: int):
    """POST (owner): record an amount that arrived by bank transfer or letter of credit for an order that is
    paid outside Stripe (an accepted quote's); amounts add up until the order is paid."""
    membership, order = _company_order_or_404(request, company_id, order_id, owner=True)
    if not order_takes_bank_receipts(order):
        raise Http404
    form = MoneyReceivedForm(request.POST, currency=order.currency)
    if form.is_valid():
        try:
            bank_transfer_record(
                order=order,
                amount=form.cleaned_data["amount"],
                received_on=form.cleaned_data["received_on"],
                bank_reference=form.cleaned_data["bank_reference"],
                note=form.cleaned_data["note"],
                submission=form.cleaned_data["submission"],
                by=request.user,
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Paid or cancelled meanwhile (a second submit, a colleague): the page says what it is now.
                messages.error(request, " ".join(error.messages))
                return redirect("payments:company_order", membership.company.pk, order.pk)
            add_service_errors(form, error)
        else:
            if order.paid_at:
                messages.success(request, _("Recorded. The order is paid; the buyer gets the receipt."))
            else:
                messages.success(request, _("Recorded."))
            return redirect("payments:company_order", membership.company.pk, order.pk)
    return _company_order_page(request, membership, order, received_form=form, status=400)


@login_required
@require_POST
def company_refund(request, company_id: int, order_id: int):
    """POST (owner): refund part or all of a paid order."""
    membership, order = _company_order_or_404(request, company_id, order_id, owner=True)
    form = RefundForm(request.POST, currency=order.currency)
    if form.is_valid():
        try:
            refund = refund_create(
                order=order,
                by=request.user,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except BuyerPaymentRefused as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    for item in errors:
                        form.add_error(field if field in form.fields else None, item)
            else:
                form.add_error(None, error)
        else:
            if refund.status == RefundStatus.FAILED:
                messages.error(request, _("Stripe refused the refund."))
            else:
                messages.success(request, _("The refund was sent to Stripe."))
            return redirect("payments:company_order", company_id, order.pk)
    return _company_order_page(request, membership, order, refund_form=form, status=400)


@login_required
@require_POST
def company_refund_retry(request, company_id: int, order_id: int, refund_id: int):
    """POST (owner): send again a refund Stripe could not be reached for (same idempotency key)."""
    _membership, order = _company_order_or_404(request, company_id, order_id, owner=True)
    refund = get_object_or_404(order.refunds, pk=refund_id)
    try:
        refund_send(refund=refund)
    except BuyerPaymentRefused as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The refund was sent to Stripe."))
    return redirect("payments:company_order", company_id, order.pk)


@login_required
@require_POST
def company_request_cancel(request, company_id: int, order_id: int):
    """POST (any member): withdraw an unpaid payment request."""
    _membership, order = _company_order_or_404(request, company_id, order_id)
    try:
        payment_request_cancel(order=order, by=request.user)
    except BuyerPaymentRefused as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The payment request was withdrawn."))
    return redirect("payments:company_order", company_id, order.pk)


SUMMARY_ROWS = ("gross", "stripe_fee", "commission", "other")


def ledger_csv_response(entries, filename: str) -> HttpResponse:
    """The ledger rows as CSV (exhibitors.spreadsheets: UTF-8 with BOM, formula-like cells neutralised),
    one movement per row, then per currency the rows total_gross, total_stripe_fee, total_commission,
    total_other (which add up to) total, the net."""
    entries = entries.prefetch_related("order__lines")
    header = [
        "date",
        "kind",
        "order",
        "company",
        "items",
        "description",
        "currency",
        "amount",
        "amount_minor_units",
        "stripe_object",
        "entry",
    ]
    rows = [
        [
            entry.created_at.isoformat(),
            entry.kind,
            entry.order.reference if entry.order else "",
            entry.company.legal_name if entry.company else "",
            "; ".join(line.description for line in entry.order.lines.all()) if entry.order else "",
            entry.description,
            entry.currency,
            to_decimal(entry.amount, entry.currency),
            entry.amount,
            entry.stripe_object_id,
            entry.key,
        ]
        for entry in entries
    ]
    for currency, summary in sorted(ledger_summary(ledger_totals(entries)).items()):
        for name in (*SUMMARY_ROWS, "net"):
            kind = "total" if name == "net" else f"total_{name}"
            amount = summary[name]
            rows.append(["", kind, "", "", "", "", currency, to_decimal(amount, currency), amount, "", ""])
    return csv_response(filename=filename, header=header, rows=rows)


@login_required
@require_GET
def company_ledger(request, company_id: int):
    """GET: the company's ledger (its own book only) with totals per currency; ?format=csv downloads it."""
    membership = membership_or_404(user=request.user, company_id=company_id)
    entries = ledger_for(company=membership.company)
    if request.GET.get("format") == "csv":
        stamp = timezone.localdate().isoformat()
        return ledger_csv_response(entries, f"ledger-{membership.company.slug}-{stamp}.csv")
    context = {
        "company": membership.company,
        "entries": list(entries.order_by("-created_at", "-id")[:500]),
        "totals": sorted(ledger_summary(ledger_totals(entries)).items()),
    }
    return TemplateResponse(request, "payments/orders/company_ledger.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def payment_request_new(request, conversation_id: int):
    """GET/POST (exhibitor members of the conversation): the payment-request form; on success the request
    is sent in the conversation as a card and the page goes back to the conversation."""
    found = conversation_for(user=request.user, conversation_id=conversation_id)
    if found is None or found[1] != Side.COMPANY:
        raise Http404
    conversation = found[0]
    connected = can_take_payments(conversation.company)
    form = PaymentRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                order = payment_request_create(
                    conversation=conversation,
                    by=request.user,
                    lines=data["lines"],
                    taxes=data["taxes"],
                    currency=data["currency"],
                    note=data["note"],
                    expires_at=data["expires_at"],
                    client_id=data["client_id"],
                )
            except PermissionDenied as exc:
                raise Http404 from exc
            except ValidationError as error:
                for item in error.messages:
                    form.add_error(None, item)
            else:
                messages.success(request, _("Your payment request was sent."))
                url = reverse("chat:conversation", args=[conversation.pk])
                return HttpResponseRedirect(f"{url}#m{order.message_id}")
        status = 400
    context = {
        "conversation": conversation,
        "company": conversation.company,
        "form": form,
        "connected": connected,
        "stripe_on": stripe_configured(),
    }
    return TemplateResponse(request, "payments/orders/request_form.html", context, status=status)


# --- Buyer side -------------------------------------------------------------------------------------------


def _buyer_order_or_404(request, order_id: int) -> Order:
    return get_object_or_404(
        Order.objects.select_related("payee_company", "conversation").prefetch_related(
            "lines", "tax_lines", "refunds", "disputes", "attempts"
        ),
        pk=order_id,
        kind=OrderKind.BUYER_PAYMENT,
        payer_user=request.user,
    )


@login_required
@require_GET
def buyer_payments(request):
    """GET: the payment requests the person received as a buyer, and their states."""
    return TemplateResponse(
        request, "payments/orders/buyer_list.html", {"orders": _with_states(buyer_orders(request.user))}
    )


@login_required
@require_GET
def buyer_order(request, order_id: int):
    """GET: one payment request for the buyer: lines, state, Pay, and the receipt once paid."""
    order = _buyer_order_or_404(request, order_id)
    state = buyer_order_state(order)
    by_bank = order_takes_bank_receipts(order)
    context = {
        "order": order,
        "state": state,
        "state_label": STATE_LABELS.get(state, state),
        "by_bank": by_bank,
        "received": received_amount(order) if by_bank and not order.paid_at else 0,
        "can_pay": state == "unpaid" and stripe_configured() and not by_bank,
        "stripe_on": stripe_configured(),
        "receipt": Receipt.objects.filter(order=order).first(),
        "refunds": [r for r in order.refunds.all() if r.status == RefundStatus.SUCCEEDED],
        "history": order_history(order),
        "records": records_for_subjects(subjects=[order_subject(order)], user=request.user),
    }
    return TemplateResponse(request, "payments/orders/buyer_order.html", context)


@login_required
@require_POST
def buyer_pay(request, order_id: int):
    """POST (the buyer): open Stripe's payment page for the request."""
    order = _buyer_order_or_404(request, order_id)
    return_url = request.build_absolute_uri(reverse("payments:buyer_pay_return", args=[order.pk]))
    try:
        attempt = buyer_checkout_start(
            order=order,
            by=request.user,
            success_url=f"{return_url}?session_id={{CHECKOUT_SESSION_ID}}",
            cancel_url=request.build_absolute_uri(reverse("payments:buyer_order", args=[order.pk])),
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("payments:buyer_order", order.pk)
    return HttpResponseRedirect(attempt.checkout_url)


@login_required
@require_GET
def buyer_pay_return(request, order_id: int):
    """GET: back from Stripe's page; the payment is applied now if Stripe says it is paid (the event does
    the same, whichever comes first)."""
    order = _buyer_order_or_404(request, order_id)
    try:
        attempt = buyer_checkout_return(order=order, session_id=request.GET.get("session_id", ""))
    except stripe.StripeError:
        messages.info(
            request, _("We could not confirm your payment with Stripe yet; this page updates once it does.")
        )
        return redirect("payments:buyer_order", order.pk)
    order.refresh_from_db()
    if order.paid_at:
        messages.success(request, _("Thank you: your payment was received."))
    elif attempt is not None:
        messages.info(
            request, _("Your payment is being processed. We will e-mail your receipt once it arrives.")
        )
    return redirect("payments:buyer_order", order.pk)
