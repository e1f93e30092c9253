from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from quotes.enums import Incoterm, Unit
from quotes.services.quotes import QuoteInput, QuoteLineInput, quote_submit
from quotes.services.requests import RequestInput, request_create


def request_input(**changes) -> RequestInput:
    values = {
        "description": "Green coffee, washed arabica, grade 1",
        "hs_code": "0901",
        "quantity": Decimal("18000"),
        "unit": Unit.KGM,
        "incoterm": Incoterm.FOB,
        "destination_country": "DE",
        "destination_port": "Hamburg",
        "wanted_by": timezone.localdate() + timedelta(days=60),
        "closes_at": timezone.now() + timedelta(days=10),
    }
    values.update(changes)
    return RequestInput(**values)


def post_request(*, buyer, fair, booth=None, uploads=(), **changes):
    return request_create(buyer=buyer, fair=fair, booth=booth, data=request_input(**changes), uploads=uploads)


def quote_input(*, unit_amount=450, quantity=18000, currency="USD", **changes) -> QuoteInput:
    values = {
        "currency": currency,
        "incoterm": Incoterm.FOB,
        "lead_time_days": 30,
        "valid_until": timezone.localdate() + timedelta(days=20),
        "terms": "30 % advance, balance against documents.",
        "lines": [
            QuoteLineInput(
                description="Green coffee", quantity=quantity, unit=Unit.KGM, unit_amount=unit_amount
            )
        ],
    }
    values.update(changes)
    return QuoteInput(**values)


def send_quote(*, request, company, by, **changes):
    return quote_submit(request=request, company=company, by=by, data=quote_input(**changes))
