"""The exhibitor's pages: the requests their company received (the buyer anonymous until revealed), and
their quote on one (submit, edit until decided, withdraw). Another company's ids answer 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exhibitors.models import Product
from exhibitors.permissions import company_or_404
from exhibitors.views.files import private_file_response
from fair.matchmaking.selectors.facts import names_for_reasons
from quotes.enums import QuoteStatus, RequestStatus
from quotes.forms import QuoteForm, quote_initial
from quotes.selectors.matching import reasons_text
from quotes.selectors.requests import (
    buyer_as_seen,
    company_quote,
    company_recipient_or_404,
    company_requests,
    request_attachment_or_404,
    request_attachments,
)
from quotes.services.quotes import quote_submit, quote_withdraw
from quotes.views.common import errors_to_form, with_urls


@login_required
def company_request_list(request, company_id: int):
    company = company_or_404(user=request.user, company_id=company_id)
    recipients = list(company_requests(company=company))
    names = names_for_reasons() if any(r.reasons for r in recipients) else {}
    for recipient in recipients:
        recipient.reason_texts = reasons_text(recipient.reasons, names=names)
        recipient.own_quote = recipient.request.own_quotes[0] if recipient.request.own_quotes else None
    return render(request, "quotes/company_list.html", {"company": company, "recipients": recipients})


@login_required
@require_http_methods(["GET", "POST"])
def company_request(request, company_id: int, request_id: int):
    company = company_or_404(user=request.user, company_id=company_id)
    recipient = company_recipient_or_404(company=company, request_id=request_id)
    rfq = recipient.request
    quote = company_quote(company=company, request=rfq)
    products = list(Product.objects.filter(company=company).only("pk", "name").order_by("name", "pk"))
    editable = rfq.status == RequestStatus.OPEN and (
        quote is None or quote.status in (QuoteStatus.SUBMITTED, QuoteStatus.WITHDRAWN)
    )
    if request.method == "POST":
        form = QuoteForm(request.POST, products=products)
        if editable and form.is_valid():
            try:
                quote_submit(request=rfq, company=company, by=request.user, data=form.to_input())
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Your quote is sent to the buyer."))
                return redirect("quotes:company_request", company.pk, rfq.pk)
        elif not editable:
            form.add_error(None, _("This quote can no longer be changed."))
    else:
        form = QuoteForm(initial=quote_initial(quote) if quote else {}, products=products)
    return render(
        request,
        "quotes/company_request.html",
        {
            "company": company,
            "rfq": rfq,
            "attachments": with_urls(
                request_attachments(request=rfq), "quotes:company_request_attachment", company.pk, rfq.pk
            ),
            "quote": quote,
            "buyer": buyer_as_seen(request=rfq, quote=quote),
            "reasons": reasons_text(recipient.reasons),
            "form": form,
            "editable": editable,
        },
    )


@login_required
@require_GET
def company_request_attachment(request, company_id: int, request_id: int, attachment_id: int):
    """An attachment of a request the company received, to its members (under its neutral name, so the
    buyer stays anonymous); another company's or request's: 404."""
    company = company_or_404(user=request.user, company_id=company_id)
    recipient = company_recipient_or_404(company=company, request_id=request_id)
    attachment = request_attachment_or_404(request_id=recipient.request_id, attachment_id=attachment_id)
    return private_file_response(attachment.file)


@login_required
@require_POST
def company_quote_withdraw(request, company_id: int, request_id: int):
    company = company_or_404(user=request.user, company_id=company_id)
    recipient = company_recipient_or_404(company=company, request_id=request_id)
    quote = company_quote(company=company, request=recipient.request)
    if quote is None:
        return redirect("quotes:company_request", company.pk, request_id)
    try:
        quote_withdraw(quote=quote, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your quote is withdrawn."))
    return redirect("quotes:company_request", company.pk, request_id)
