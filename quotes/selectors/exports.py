"""The quotes app's section of a data export (registered in quotes.apps) and its erasure hook: a person's
own requests with their attachments and the quotes they received; a company's quotes and the requests it
received, with the buyer anonymised exactly as the company saw them."""

from django.db import transaction
from django.db.models import Prefetch

from exhibitors.models import Company, PrivateFile
from exhibitors.services.erasure import ERASURE_HOOKS
from exhibitors.services.exports import export_section_register
from quotes.enums import RequestStatus
from quotes.models import Quote, QuoteRequest, RequestAttachment, RequestRecipient
from quotes.selectors.requests import buyer_as_seen


def _request_row(request: QuoteRequest) -> dict:
    return {
        "reference": request.reference,
        "fair": str(request.fair),
        "description": request.description,
        "hs_code": request.hs_code,
        "quantity": str(request.quantity),
        "unit": request.unit,
        "incoterm": request.incoterm,
        "destination_country": str(request.destination_country),
        "destination_port": request.destination_port,
        "wanted_by": request.wanted_by,
        "target_currency": request.target_currency,
        "target_amount": request.target_amount,
        "closes_at": request.closes_at,
        "status": request.status,
        "revealed_at": request.revealed_at,
        "created_at": request.created_at,
        # The files themselves are not put in the export: the buyer downloads them from the request's page.
        "attachments": [
            {
                "file_name": attachment.file.name,
                "content_type": attachment.file.content_type,
                "size": attachment.file.size,
                "uploaded_at": attachment.created_at,
            }
            for attachment in request.attachments.all()
        ],
    }


def _quote_row(quote: Quote) -> dict:
    return {
        "reference": quote.reference,
        "request": quote.request.reference,
        "company": quote.company.legal_name,
        "currency": quote.currency,
        "total_amount": quote.total_amount,
        "incoterm": quote.incoterm,
        "lead_time_days": quote.lead_time_days,
        "valid_until": quote.valid_until,
        "terms": quote.terms,
        "status": quote.status,
        "decline_reason": quote.decline_reason,
        "payment_route": quote.payment_route,
        "lines": [
            {
                "description": line.description,
                "quantity": line.quantity,
                "unit": line.unit,
                "unit_amount": line.unit_amount,
            }
            for line in quote.lines.all()
        ],
        "created_at": quote.created_at,
        "decided_at": quote.decided_at,
    }


def person_quotes(*, person) -> list[dict]:
    requests = (
        QuoteRequest.objects.filter(buyer=person)
        .select_related("fair")
        .prefetch_related(
            Prefetch("attachments", queryset=RequestAttachment.objects.select_related("file")),
            Prefetch(
                "quotes",
                queryset=Quote.objects.select_related("company", "request").prefetch_related("lines"),
            ),
        )
        .order_by("created_at", "id")
    )
    return [
        _request_row(request) | {"quotes": [_quote_row(quote) for quote in request.quotes.all()]}
        for request in requests
    ]


def company_quotes(*, company: Company) -> list[dict]:
    rows = []
    recipients = (
        RequestRecipient.objects.filter(company=company)
        .select_related("request__fair", "request__buyer__buyer_profile")
        .prefetch_related(
            Prefetch("request__attachments", queryset=RequestAttachment.objects.select_related("file"))
        )
        .order_by("created_at", "id")
    )
    quotes = {
        quote.request_id: quote
        for quote in Quote.objects.filter(company=company)
        .select_related("request", "company")
        .prefetch_related("lines")
    }
    for recipient in recipients:
        request = recipient.request
        quote = quotes.get(request.pk)
        seen = buyer_as_seen(request=request, quote=quote)
        row = _request_row(request)
        row.pop("revealed_at")
        rows.append(
            row
            | {
                "buyer": seen.name if seen.revealed else "",
                "buyer_company": seen.company_name if seen.revealed else "",
                "buyer_email": seen.email if seen.revealed else "",
                "buyer_country": seen.country,
                "quote": _quote_row(quote) if quote else None,
            }
        )
    return rows


def quotes_erase(user) -> None:
    """Erasure: the person's open requests are withdrawn and their country forgotten; the requests and quotes
    stay for the companies that answered (the account then reads "A deleted account"), as do accepted
    quotes and their record entries, which both sides rely on. The attachments of requests that were not
    accepted go (a letterhead or a file's properties may name the person): rows at once, files from private
    storage after commit; an accepted request keeps them, as the basis of its order."""
    QuoteRequest.objects.filter(buyer=user, status=RequestStatus.OPEN).update(status=RequestStatus.WITHDRAWN)
    QuoteRequest.objects.filter(buyer=user).update(buyer_country="")
    attachments = RequestAttachment.objects.filter(request__buyer=user).exclude(
        request__status=RequestStatus.ACCEPTED
    )
    file_ids = list(attachments.values_list("file_id", flat=True))
    if not file_ids:
        return
    files = PrivateFile.objects.filter(pk__in=file_ids)
    stored = [(found.file.storage, found.file.name) for found in files]
    attachments.delete()
    files.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in stored])


def export_sections_register() -> None:
    export_section_register("quotes", person=person_quotes, company=company_quotes)
    if quotes_erase not in ERASURE_HOOKS:
        ERASURE_HOOKS.append(quotes_erase)
