"""The "quote" chat message kind: a card showing a quote in the buyer's conversation with the company. It is
sent only by quotes.services.quotes.quote_discuss (never from a socket frame), on the company's side, when
the buyer opens the chat about a quote (docs/rfq.md, docs/chat-protocol.md)."""

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from fair.chat.enums import MessageKind, Side
from fair.chat.kinds import KindSpec, register

TEMPLATE = "chat/kinds/quote.html"


def _bad() -> ValidationError:
    return ValidationError(_("This quote is not valid."), code="payload")


def _int(value, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _bad()
    return value


def _text(value, max_length: int, *, blank: bool = True) -> str:
    if not isinstance(value, str) or len(value) > max_length or (not blank and not value.strip()):
        raise _bad()
    return value


def clean_quote(payload: dict) -> dict:
    """Check the snapshot stored with the message: the quote's id and what the card shows."""
    if not isinstance(payload, dict):
        raise _bad()
    lines = payload.get("lines")
    if (
        not isinstance(lines, list)
        or not 1 <= len(lines) <= 20
        or not all(isinstance(x, dict) for x in lines)
    ):
        raise _bad()
    currency = _text(payload.get("currency"), 3, blank=False)
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        raise _bad()
    valid_until = _text(payload.get("valid_until"), 10, blank=False)
    if parse_date(valid_until) is None:
        raise _bad()
    return {
        "quote_id": _int(payload.get("quote_id"), minimum=1),
        "request_id": _int(payload.get("request_id"), minimum=1),
        "reference": _text(payload.get("reference"), 40, blank=False),
        "currency": currency,
        "incoterm": _text(payload.get("incoterm"), 3, blank=False),
        "lead_time_days": _int(payload.get("lead_time_days")),
        "valid_until": valid_until,
        "lines": [
            {
                "description": _text(line.get("description"), 200, blank=False),
                "quantity": _int(line.get("quantity"), minimum=1),
                "unit": _text(line.get("unit"), 3, blank=False),
                "unit_amount": _int(line.get("unit_amount"), minimum=1),
            }
            for line in lines
        ],
        "total": _int(payload.get("total"), minimum=1),
    }


def register_quote_kind() -> None:
    register(
        KindSpec(
            kind=MessageKind.QUOTE,
            template=TEMPLATE,
            senders=frozenset({Side.COMPANY}),
            clean_payload=clean_quote,
            from_socket=False,
        )
    )
