"""The quotes app's entry in the record log (exhibitors/records, docs/records.md): a quote accepted."""

from django.utils.translation import gettext_lazy as _

from exhibitors.records.chain import time_text
from exhibitors.records.kinds import record_kind_register, record_subject
from exhibitors.records.models import Record
from exhibitors.records.services import record_append

KIND_ACCEPTED = "quote.accepted"


def quote_record_kinds_register() -> None:
    """Called once at start-up (quotes.apps)."""
    record_kind_register(KIND_ACCEPTED, _("Quote accepted"))


def quote_accepted_record(*, quote, accepted_by, accepted_at) -> Record:
    """Side effect: a `quote.accepted` entry whose parties are the buyer and the quoting company: who
    accepted and who quoted, what (lines, totals, terms) and when."""
    request = quote.request
    facts = {
        "request": request.reference,
        "quote": quote.reference,
        "fair_id": request.fair_id,
        "buyer_user_id": request.buyer_id,
        "accepted_by_user_id": accepted_by.pk,
        "accepted_at": time_text(accepted_at),
        "company_id": quote.company_id,
        "quoted_by_user_id": quote.created_by_id,
        "quoted_at": time_text(quote.updated_at),
        "hs_code": request.hs_code,
        "incoterm": quote.incoterm,
        "destination": f"{request.destination_port}, {request.destination_country}",
        "currency": quote.currency,
        "total_amount": quote.total_amount,
        "lead_time_days": quote.lead_time_days,
        "valid_until": quote.valid_until.isoformat(),
        "terms": quote.terms,
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
    }
    return record_append(
        kind=KIND_ACCEPTED,
        facts=facts,
        subject=record_subject("quotes.quote", quote.pk),
        users=[request.buyer_id],
        companies=[quote.company_id],
    )
