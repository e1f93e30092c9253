"""Catching up with Stripe after downtime: list the events Stripe has and process the ones we never got."""

from datetime import timedelta

from django.utils import timezone

from payments.enums import EventSource, EventStatus
from payments.models import ConnectedAccount, StripeEvent
from payments.stripe_client import stripe_client
from payments.webhooks import event_receive

# Stripe keeps events for 30 days; with nothing processed yet, look back this far.
DEFAULT_LOOKBACK = timedelta(days=30)
# Events are not listed in strict order of arrival: start a little before the last one processed.
OVERLAP = timedelta(minutes=5)


def _since(account: str):
    last = (
        StripeEvent.objects.filter(account=account, status__in=[EventStatus.PROCESSED, EventStatus.IGNORED])
        .order_by("-stripe_created")
        .values_list("stripe_created", flat=True)
        .first()
    )
    return (last - OVERLAP) if last else timezone.now() - DEFAULT_LOOKBACK


def stripe_events_reconcile(*, since=None) -> dict[str, int]:
    """For the platform and each connected account: list Stripe's events created since the last one
    processed here (or `since`), store and process those not stored yet (oldest first), and process again
    stored ones that failed. Returns counts {"listed", "new", "failed"}. Side effects: StripeEvent rows and
    whatever their handlers do; Stripe requests."""
    counts = {"listed": 0, "new": 0, "failed": 0}
    accounts = [""] + list(ConnectedAccount.objects.values_list("stripe_account_id", flat=True))
    for account in accounts:
        start = since or _since(account)
        options = {"stripe_account": account} if account else {}
        listed = stripe_client().v1.events.list(
            params={"created": {"gte": int(start.timestamp())}, "limit": 100}, options=options
        )
        events = [event.to_dict() for event in listed.auto_paging_iter()]
        events.sort(key=lambda event: (event["created"], event["id"]))
        known = dict(
            StripeEvent.objects.filter(event_id__in=[e["id"] for e in events]).values_list(
                "event_id", "status"
            )
        )
        for event in events:
            counts["listed"] += 1
            status = known.get(event["id"])
            if status in (EventStatus.PROCESSED, EventStatus.IGNORED):
                continue
            if status is None:
                counts["new"] += 1
            source = EventSource.CONNECT if event.get("account") else EventSource.RECONCILE
            stored = event_receive(event=event, source=source)
            if stored.status == EventStatus.FAILED:
                counts["failed"] += 1
    return counts
