"""Periodic work of the payments app (cms.periodic registers it: payments never imports cms)."""

from datetime import timedelta

from django.utils import timezone

from payments.enums import RefundStatus
from payments.models import Refund
from payments.services.fees import stripe_fees_due
from payments.webhooks import events_retry_failed

EXCESS_REFUND_RETRY_AFTER = timedelta(minutes=2)


def stripe_events_retry() -> None:
    """Process again the Stripe events whose handlers failed, once their wait is over."""
    events_retry_failed()


def payments_retry(*, now=None) -> tuple[int, int]:
    """Queue again, for the task worker, the Stripe fee reads that failed (once their wait is over) and the
    automatic refunds of excess payments that could not reach Stripe. Returns (fees, refunds) queued."""
    from payments.tasks import excess_refund_send, stripe_fee_fetch

    now = now or timezone.now()
    fees = stripe_fees_due(now=now)
    for attempt_id in fees:
        stripe_fee_fetch.enqueue(attempt_id=attempt_id)
    refunds = list(
        Refund.objects.filter(
            excess=True, status=RefundStatus.CREATED, updated_at__lte=now - EXCESS_REFUND_RETRY_AFTER
        ).values_list("pk", flat=True)[:100]
    )
    for refund_id in refunds:
        excess_refund_send.enqueue(refund_id=refund_id)
    return len(fees), len(refunds)
