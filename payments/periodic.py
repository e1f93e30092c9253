"""Periodic work of the payments app (cms.periodic registers it: payments never imports cms)."""

from payments.webhooks import events_retry_failed


def stripe_events_retry() -> None:
    """Process again the Stripe events whose handlers failed, once their wait is over."""
    events_retry_failed()
