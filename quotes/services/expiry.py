"""Expiry, run by the periodic job `quotes_expire` (cms/periodic.py)."""

from django.db import transaction
from django.utils import timezone

from quotes.enums import QuoteStatus, RequestStatus
from quotes.models import Quote, QuoteRequest


@transaction.atomic
def quotes_expire(*, now=None) -> tuple[int, int]:
    """Open requests past their closing time become expired (their quotes can still be accepted); submitted
    quotes past their validity date become expired. Returns (requests, quotes) changed."""
    now = now or timezone.now()
    requests = QuoteRequest.objects.filter(status=RequestStatus.OPEN, closes_at__lte=now).update(
        status=RequestStatus.EXPIRED, updated_at=now
    )
    quotes = Quote.objects.filter(
        status=QuoteStatus.SUBMITTED, valid_until__lt=timezone.localdate(now)
    ).update(status=QuoteStatus.EXPIRED, updated_at=now)
    return requests, quotes
