"""Requests for quotation: posting one (to a booth's company or to every matching exhibitor of the fair),
and the buyer's moves on it: close, withdraw, extend, reveal. Expiry is in expiry.py."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exhibitors.hs import hs_lookup
from exhibitors.integers import is_ascii_digits
from exhibitors.models import Booth, BuyerProfile
from exhibitors.services.uploads import private_file_store, upload_atomic
from exhibitors.uploads import UploadRefused, image_metadata_strip, pdf_or_image_check
from payments.money import max_amount, stripe_supports_currency
from quotes.enums import Incoterm, RequestStatus, Unit
from quotes.models import QuoteRequest, RequestAttachment, RequestRecipient

REQUEST_MAX_DAYS = 90
MAX_QUANTITY = Decimal("999999999")
MAX_ATTACHMENTS = 5


class RequestRefused(ValidationError):
    pass


# The allowed moves of a request (docs/rfq.md, "States").
TRANSITIONS = {
    RequestStatus.OPEN: {
        RequestStatus.ACCEPTED,
        RequestStatus.CLOSED,
        RequestStatus.WITHDRAWN,
        RequestStatus.EXPIRED,
    },
    RequestStatus.EXPIRED: {RequestStatus.OPEN, RequestStatus.ACCEPTED},
    RequestStatus.CLOSED: {RequestStatus.ACCEPTED},
    RequestStatus.ACCEPTED: set(),
    RequestStatus.WITHDRAWN: set(),
}


@dataclass
class RequestInput:
    description: str
    hs_code: str
    quantity: Decimal
    unit: str
    incoterm: str
    destination_country: str
    destination_port: str
    wanted_by: date
    closes_at: datetime
    target_currency: str = ""
    target_amount: int | None = None


def hs_code_valid(code: str) -> bool:
    """A 4-digit heading or 6-digit subheading of HS 2022."""
    return is_ascii_digits(code) and len(code) in (4, 6) and hs_lookup(code) is not None


def request_validate(data: RequestInput, *, now=None) -> None:
    """Raise RequestRefused with every field's errors at once."""
    now = now or timezone.now()
    errors: dict[str, list] = {}

    def add(field: str, message) -> None:
        errors.setdefault(field, []).append(message)

    if not data.description.strip() or len(data.description) > 2000:
        add("description", _("Describe the product in at most 2000 characters."))
    if not hs_code_valid(data.hs_code):
        add("hs_code", _("Enter an HS 2022 heading (4 digits) or subheading (6 digits) that exists."))
    if data.unit not in Unit.values:
        add("unit", _("Choose a unit from the list."))
    if data.incoterm not in Incoterm.values:
        add("incoterm", _("Choose an Incoterm from the list."))
    if not isinstance(data.quantity, Decimal) or not data.quantity.is_finite() or data.quantity <= 0:
        add("quantity", _("Enter a quantity above zero."))
    elif data.quantity > MAX_QUANTITY or data.quantity != data.quantity.quantize(Decimal("0.001")):
        add("quantity", _("Enter a quantity up to 999,999,999 with at most three decimals."))
    if not data.destination_country:
        add("destination_country", _("Choose the destination country."))
    port = data.destination_port.strip()
    if not port or len(port) > 120 or any(ord(ch) < 32 for ch in port):
        add("destination_port", _("Enter the port or place on one line, at most 120 characters."))
    today = timezone.localdate(now)
    if data.wanted_by is None or data.wanted_by <= today:
        add("wanted_by", _("The delivery date must be after today."))
    if data.closes_at is None or data.closes_at <= now:
        add("closes_at", _("The request must close in the future."))
    elif data.closes_at > now + timedelta(days=REQUEST_MAX_DAYS):
        add("closes_at", _("A request stays open for at most %(days)d days.") % {"days": REQUEST_MAX_DAYS})
    if data.target_amount is not None or data.target_currency:
        if not stripe_supports_currency(data.target_currency):
            add("target_currency", _("Choose a currency from the list."))
        elif data.target_amount is None or data.target_amount <= 0:
            add("target_amount", _("Enter an amount above zero."))
        elif data.target_amount > max_amount(data.target_currency):
            add("target_amount", _("That amount is too large for one payment."))
    if errors:
        raise RequestRefused(errors)


def _recipients_for_fair(request: QuoteRequest) -> list[tuple[int, list]]:
    from quotes.selectors.matching import matching_companies

    return matching_companies(request=request)


def attachments_check(uploads) -> list[tuple]:
    """Check up to MAX_ATTACHMENTS uploads (PDF or picture, exhibitors/uploads.py) before anything is
    written; returns (upload, kind) pairs, a picture replaced by its copy without metadata (a PDF is kept as
    it is, with its document properties). Raises RequestRefused on the "attachments" field, naming the file
    that was refused."""
    uploads = [upload for upload in uploads or () if upload]
    if len(uploads) > MAX_ATTACHMENTS:
        raise RequestRefused(
            {"attachments": [_("At most %(count)d files.") % {"count": MAX_ATTACHMENTS}]}, code="too_many"
        )
    checked = []
    for upload in uploads:
        try:
            kind = pdf_or_image_check(upload)
            # A picture is stored without its EXIF, XMP and text (camera owner, GPS position, author).
            checked.append((upload if kind == "pdf" else image_metadata_strip(upload, kind), kind))
        except UploadRefused as refused:
            if refused.code == "image_type":  # neither a PDF nor a picture, whatever its name says
                reason = _("This file is neither a PDF nor a PNG, JPEG, GIF or WebP picture.")
            else:
                reason = " ".join(refused.messages)
            name = PurePath(upload.name or "").name[:100]
            raise RequestRefused(
                {"attachments": [_("%(file)s: %(reason)s") % {"file": name, "reason": reason}]},
                code=refused.code,
            ) from refused
    return checked


def request_create(
    *, buyer, fair, data: RequestInput, booth: Booth | None = None, uploads=()
) -> QuoteRequest:
    """A buyer's request for quotation. To a booth: that booth's company receives it. To the fair: every
    exhibitor whose catalogue matches (fair.matchmaking's rules) receives it with the reasons. `uploads`:
    up to five PDFs or pictures, all checked before anything is written, stored under neutral names
    ("rfq-<id>-<n>.pdf") so the exhibitors do not learn the buyer's file names.

    Side effects: QuoteRequest and RequestRecipient rows; the attachments' files, PrivateFile and
    RequestAttachment rows; e-mails to the recipients' members after commit. A refusal writes nothing."""
    if not buyer.is_authenticated:
        raise PermissionDenied
    request_validate(data)
    if booth is not None:
        if booth.fair_id != fair.pk:
            raise RequestRefused(_("This booth is not at this fair."))
        if booth.company.memberships.filter(user=buyer).exists():
            raise RequestRefused(_("You cannot ask your own company for a quote."), code="own_company")
    checked = attachments_check(uploads)
    with upload_atomic():
        return _request_write(buyer=buyer, fair=fair, data=data, booth=booth, checked=checked)


def _request_write(*, buyer, fair, data: RequestInput, booth: Booth | None, checked: list) -> QuoteRequest:
    profile = BuyerProfile.objects.filter(user=buyer).only("country").first()
    request = QuoteRequest.objects.create(
        fair=fair,
        booth=booth,
        buyer=buyer,
        buyer_country=str(profile.country) if profile and profile.country else "",
        description=data.description.strip(),
        hs_code=data.hs_code,
        quantity=data.quantity,
        unit=data.unit,
        incoterm=data.incoterm,
        destination_country=data.destination_country,
        destination_port=data.destination_port.strip(),
        wanted_by=data.wanted_by,
        closes_at=data.closes_at,
        target_currency=data.target_currency if data.target_amount else "",
        target_amount=data.target_amount or None,
    )
    if booth is not None:
        found = [(booth.company_id, [])]
    else:
        found = _recipients_for_fair(request)
    own = set(buyer.memberships.values_list("company_id", flat=True))
    RequestRecipient.objects.bulk_create(
        [
            RequestRecipient(request=request, company_id=company_id, reasons=reasons)
            for company_id, reasons in found
            if company_id not in own
        ]
    )
    for number, (upload, kind) in enumerate(checked, start=1):
        stored = private_file_store(
            upload=upload, kind=kind, company=None, user=buyer, name=f"{request.reference}-{number}"
        )
        RequestAttachment.objects.create(request=request, file=stored)
    from quotes.services.mail import request_notify

    transaction.on_commit(lambda: request_notify(request_id=request.pk))
    return request


def _locked(request: QuoteRequest, buyer) -> QuoteRequest:
    locked = QuoteRequest.objects.select_for_update().filter(pk=request.pk, buyer=buyer).first()
    if locked is None:
        raise PermissionDenied
    return locked


def request_transition(*, request: QuoteRequest, to: str) -> QuoteRequest:
    """Move a (locked) request to `to`, or raise RequestRefused when the move is not allowed."""
    if to not in TRANSITIONS[RequestStatus(request.status)]:
        raise RequestRefused(_("This request can no longer change this way."), code="transition")
    request.status = to
    request.save(update_fields=["status", "updated_at"])
    return request


@transaction.atomic
def request_close(*, request: QuoteRequest, buyer) -> QuoteRequest:
    """The buyer takes no more quotes; those received can still be accepted. Side effects: the status."""
    return request_transition(request=_locked(request, buyer), to=RequestStatus.CLOSED)


@transaction.atomic
def request_withdraw(*, request: QuoteRequest, buyer) -> QuoteRequest:
    """The buyer no longer wants anything; no quote can be accepted. Side effects: the status."""
    return request_transition(request=_locked(request, buyer), to=RequestStatus.WITHDRAWN)


@transaction.atomic
def request_extend(*, request: QuoteRequest, buyer, closes_at: datetime) -> QuoteRequest:
    """A new, later closing time; an expired request opens again. Side effects: closes_at, the status."""
    locked = _locked(request, buyer)
    now = timezone.now()
    if locked.status not in (RequestStatus.OPEN, RequestStatus.EXPIRED):
        raise RequestRefused(_("This request can no longer change this way."), code="transition")
    if closes_at <= max(now, locked.closes_at):
        raise RequestRefused({"closes_at": [_("Choose a later closing date than the current one.")]})
    if closes_at > now + timedelta(days=REQUEST_MAX_DAYS):
        raise RequestRefused(
            {"closes_at": [_("A request stays open for at most %(days)d days.") % {"days": REQUEST_MAX_DAYS}]}
        )
    locked.closes_at = closes_at
    locked.status = RequestStatus.OPEN
    locked.save(update_fields=["closes_at", "status", "updated_at"])
    return locked


@transaction.atomic
def request_reveal(*, request: QuoteRequest, buyer) -> QuoteRequest:
    """The buyer shows their name and company to every recipient. Side effects: revealed_at."""
    locked = _locked(request, buyer)
    if locked.revealed_at is None:
        locked.revealed_at = timezone.now()
        locked.save(update_fields=["revealed_at", "updated_at"])
    return locked
