"""The chamber staff's screen for requests for quotation in the Wagtail admin: per fair, every request
with the buyer's identity (staff always see who asked) and its quotes."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from exhibitors.integers import parse_id
from exhibitors.views.files import private_file_response
from fair.models import FairPage
from quotes.models import Quote, QuoteRequest, RequestAttachment
from quotes.selectors.requests import request_attachment_or_404

PAGE_SIZE = 200


def requests_index(request):
    """Requests of the chosen fair (or of all fairs), newest first, each with its quotes and attachments:
    five queries."""
    if not request.user.has_perm("quotes.view_quoterequest"):
        raise PermissionDenied
    fairs = FairPage.objects.filter(pk__in=QuoteRequest.objects.values("fair")).order_by("title")
    fair_id = parse_id(request.GET.get("fair")) or 0
    rows = QuoteRequest.objects.select_related("fair", "buyer", "booth__company").prefetch_related(
        Prefetch("quotes", queryset=Quote.objects.select_related("company").order_by("total_amount", "pk")),
        Prefetch("attachments", queryset=RequestAttachment.objects.select_related("file").order_by("pk")),
    )
    if fair_id:
        rows = rows.filter(fair_id=fair_id)
    return TemplateResponse(
        request,
        "quotes/admin/requests.html",
        {"rows": list(rows.order_by("-created_at", "-pk")[:PAGE_SIZE]), "fairs": fairs, "fair_id": fair_id},
    )


@require_GET
def request_attachment(request, request_id: int, attachment_id: int):
    """An attachment of any request, to staff who may view requests; to anyone else (and for an attachment
    of another request): 404."""
    if not request.user.has_perm("quotes.view_quoterequest"):
        raise Http404
    attachment = request_attachment_or_404(request_id=request_id, attachment_id=attachment_id)
    return private_file_response(attachment.file)
