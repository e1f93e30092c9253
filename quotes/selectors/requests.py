"""Reads for the request and quote pages. Exhibitors see a request as `request_as_seen_by_company` shows it:
the buyer is "a buyer from <country>" until they accept that company's quote or reveal themselves."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from exhibitors.certificates.selectors import verified_certificates_prefetch
from quotes.enums import QuoteStatus
from quotes.models import Quote, QuoteLine, QuoteRequest, RequestAttachment, RequestRecipient


def buyer_requests(*, buyer) -> QuerySet[QuoteRequest]:
    """The buyer's requests with their fair, booth company and quote count: one query."""
    return (
        QuoteRequest.objects.filter(buyer=buyer)
        .select_related("fair", "booth__company")
        .annotate(quote_count=Count("quotes", filter=~Q(quotes__status=QuoteStatus.WITHDRAWN)))
        .order_by("-created_at", "-id")
    )


def buyer_request_or_404(*, buyer, request_id: int) -> QuoteRequest:
    request = (
        QuoteRequest.objects.select_related("fair", "booth__company")
        .filter(pk=request_id, buyer=buyer)
        .first()
    )
    if request is None or not buyer.is_authenticated:
        raise Http404
    return request


def request_attachments(*, request: QuoteRequest) -> list[RequestAttachment]:
    """The request's attachments with their files (neutral name, type, size): one query."""
    return list(request.attachments.select_related("file").order_by("id"))


def request_attachment_or_404(*, request_id: int, attachment_id: int) -> RequestAttachment:
    """One attachment of a request the caller already checked the reader may see; another request's: 404."""
    return get_object_or_404(
        RequestAttachment.objects.select_related("file"), pk=attachment_id, request_id=request_id
    )


def quotes_to_compare(*, request: QuoteRequest) -> list[Quote]:
    """The request's quotes (not withdrawn), cheapest first, with lines, company and the company's verified,
    unexpired certificates (`quote.company.verified_certificates`): three queries."""
    return list(
        request.quotes.exclude(status=QuoteStatus.WITHDRAWN)
        .select_related("company")
        .prefetch_related(
            Prefetch("lines", queryset=QuoteLine.objects.order_by("sort_order", "id")),
            verified_certificates_prefetch("company__certificates"),
        )
        .order_by("currency", "total_amount", "id")
    )


def company_requests(*, company) -> QuerySet[RequestRecipient]:
    """The requests a company received, newest first, with the company's own quote: two queries."""
    own = Quote.objects.filter(company=company)
    return (
        RequestRecipient.objects.filter(company=company)
        .select_related("request__fair")
        .prefetch_related(Prefetch("request__quotes", queryset=own, to_attr="own_quotes"))
        .order_by("-request__created_at", "-request_id")
    )


def company_recipient_or_404(*, company, request_id: int) -> RequestRecipient:
    recipient = (
        RequestRecipient.objects.select_related("request__fair", "request__buyer", "request__booth")
        .filter(company=company, request_id=request_id)
        .first()
    )
    if recipient is None:
        raise Http404
    return recipient


def company_quote(*, company, request: QuoteRequest) -> Quote | None:
    return (
        Quote.objects.filter(company=company, request=request)
        .prefetch_related(Prefetch("lines", queryset=QuoteLine.objects.order_by("sort_order", "id")))
        .first()
    )


@dataclass
class BuyerAsSeen:
    """Who the buyer is to a company: `name` and `email` only once revealed to it."""

    revealed: bool
    country: str
    name: str = ""
    company_name: str = ""
    email: str = ""


def buyer_as_seen(*, request: QuoteRequest, quote: Quote | None) -> BuyerAsSeen:
    """Revealed when the buyer chose to reveal themselves or accepted this company's quote."""
    revealed = request.revealed_at is not None or (quote is not None and quote.status == QuoteStatus.ACCEPTED)
    country = request.buyer_country.name if request.buyer_country else ""
    if not revealed:
        return BuyerAsSeen(revealed=False, country=country)
    buyer = request.buyer
    profile = getattr(buyer, "buyer_profile", None)
    return BuyerAsSeen(
        revealed=True,
        country=country,
        name=buyer.get_full_name() or buyer.email,
        company_name=getattr(profile, "company_name", "") if profile else "",
        email=buyer.email,
    )
