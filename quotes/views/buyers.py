"""The buyer's pages: post a request (to a booth or the fair), their requests, one request with its quotes
side by side, and the moves on them (close, withdraw, extend, reveal; discuss, accept, decline a quote)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exhibitors.selectors.booths import booths_live, fair_original_by_id
from exhibitors.views.files import private_file_response
from quotes.enums import QuoteStatus
from quotes.forms import AcceptForm, DeclineForm, ExtendForm, RequestForm, end_of_day
from quotes.models import Quote
from quotes.selectors.requests import (
    buyer_request_or_404,
    buyer_requests,
    quotes_to_compare,
    request_attachment_or_404,
    request_attachments,
)
from quotes.services.quotes import quote_accept, quote_decline, quote_discuss
from quotes.services.requests import (
    request_close,
    request_create,
    request_extend,
    request_reveal,
    request_withdraw,
)
from quotes.views.common import errors_to_form, with_urls


def _new(request, *, fair, booth):
    form = RequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = request_create(
                buyer=request.user,
                fair=fair,
                booth=booth,
                data=form.to_input(),
                uploads=request.FILES.getlist("attachments"),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Your request for quotation is sent."))
            return redirect("quotes:request_detail", created.pk)
    if form.errors and request.FILES:
        form.add_error(None, _("Nothing was sent. Please choose your files again after correcting the form."))
    return render(request, "quotes/request_form.html", {"form": form, "fair": fair, "booth": booth})


@login_required
@require_http_methods(["GET", "POST"])
def request_new_fair(request, fair_id: int):
    fair = fair_original_by_id(fair_id)
    if fair is None:
        raise Http404
    return _new(request, fair=fair, booth=None)


@login_required
@require_http_methods(["GET", "POST"])
def request_new_booth(request, booth_id: int):
    booth = get_object_or_404(booths_live().select_related("company", "fair"), pk=booth_id)
    if booth.company.memberships.filter(user=request.user).exists():
        raise Http404
    return _new(request, fair=booth.fair, booth=booth)


@login_required
def request_list(request):
    return render(request, "quotes/request_list.html", {"requests": list(buyer_requests(buyer=request.user))})


@login_required
def request_detail(request, request_id: int):
    rfq = buyer_request_or_404(buyer=request.user, request_id=request_id)
    quotes = quotes_to_compare(request=rfq)
    width = max((len(quote.lines.all()) for quote in quotes), default=0)
    return render(
        request,
        "quotes/request_detail.html",
        {
            "rfq": rfq,
            "attachments": with_urls(request_attachments(request=rfq), "quotes:request_attachment", rfq.pk),
            "quotes": quotes,
            "line_range": range(width),
            "accept_form": AcceptForm(),
            "decline_form": DeclineForm(),
            "extend_form": ExtendForm(),
            "recipient_count": rfq.recipients.count(),
            "can_accept": rfq.status in ("open", "closed", "expired"),
        },
    )


@login_required
@require_GET
def request_attachment(request, request_id: int, attachment_id: int):
    """One of the buyer's own request's attachments; anyone else's: 404."""
    rfq = buyer_request_or_404(buyer=request.user, request_id=request_id)
    return private_file_response(
        request_attachment_or_404(request_id=rfq.pk, attachment_id=attachment_id).file
    )


ACTIONS = {"close": request_close, "withdraw": request_withdraw, "reveal": request_reveal}


@login_required
@require_POST
def request_action(request, request_id: int, action: str):
    rfq = buyer_request_or_404(buyer=request.user, request_id=request_id)
    try:
        if action == "extend":
            form = ExtendForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors["closes_on"])
            request_extend(
                request=rfq, buyer=request.user, closes_at=end_of_day(form.cleaned_data["closes_on"])
            )
        elif action in ACTIONS:
            ACTIONS[action](request=rfq, buyer=request.user)
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Saved."))
    return redirect("quotes:request_detail", rfq.pk)


def _quote(request, request_id: int, quote_id: int) -> Quote:
    rfq = buyer_request_or_404(buyer=request.user, request_id=request_id)
    quote = Quote.objects.select_related("company", "request").filter(pk=quote_id, request=rfq).first()
    if quote is None or quote.status == QuoteStatus.WITHDRAWN:
        raise Http404
    return quote


@login_required
@require_POST
def quote_accept_view(request, request_id: int, quote_id: int):
    quote = _quote(request, request_id, quote_id)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how you will pay."))
        return redirect("quotes:request_detail", request_id)
    try:
        accepted = quote_accept(quote=quote, buyer=request.user, route=form.cleaned_data["route"])
    except (ValidationError, PermissionDenied) as error:
        for message in getattr(error, "messages", [_("This quote can no longer be accepted.")]):
            messages.error(request, message)
        return redirect("quotes:request_detail", request_id)
    messages.success(request, _("You accepted the quote. The exhibitor now sees who you are."))
    return redirect("payments:buyer_order", accepted.order_id)


@login_required
@require_POST
def quote_decline_view(request, request_id: int, quote_id: int):
    quote = _quote(request, request_id, quote_id)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason of at most 1000 characters."))
        return redirect("quotes:request_detail", request_id)
    try:
        quote_decline(quote=quote, buyer=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The exhibitor is told that you declined."))
    return redirect("quotes:request_detail", request_id)


@login_required
@require_POST
def quote_discuss_view(request, request_id: int, quote_id: int):
    quote = _quote(request, request_id, quote_id)
    try:
        conversation = quote_discuss(quote=quote, buyer=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("quotes:request_detail", request_id)
    return redirect("chat:conversation", conversation.pk)
