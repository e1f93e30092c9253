"""Stripe events: verification, the event store, and the registry of handlers by event type.

An event (from the webhook or from `manage.py reconcile_stripe`) is stored once under its Stripe id, then
processed: its row is locked, the handlers registered for its type run inside a savepoint, and the row
records the outcome (processed, ignored when nobody handles the type, or failed with the error). A failed
event is retried by the periodic job `stripe_events_retry`; a processed one is never run again, so duplicated
and replayed deliveries do nothing. Handlers must themselves act only when the current state allows it (lock
the rows they change, check the state, return quietly otherwise), since events arrive late and out of order.

Handlers are registered with `@handles("checkout.session.completed", ...)`; they receive the event as the
JSON dict Stripe sent (`event["data"]["object"]`, `event.get("account")` for Connect events).
"""

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from payments.enums import EventSource, EventStatus
from payments.models import StripeEvent

logger = logging.getLogger("feria.payments")

Handler = Callable[[dict], None]
HANDLERS: dict[str, list[Handler]] = {}


def handles(*event_types: str) -> Callable[[Handler], Handler]:
    """Register the decorated function for these event types (several handlers per type run in order)."""

    def decorator(function: Handler) -> Handler:
        for event_type in event_types:
            registered = HANDLERS.setdefault(event_type, [])
            if function not in registered:
                registered.append(function)
        return function

    return decorator


class WebhookRefused(Exception):
    """A delivery that is not a genuine, fresh Stripe event: answered with 400 and logged."""


def _signature_timestamp(header: str) -> int | None:
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def webhook_verify(*, payload: bytes, signature: str) -> tuple[dict, str]:
    """Check the Stripe-Signature of the raw body and return (event, source).

    A Connect event (one naming an `account`) must be signed with STRIPE_CONNECT_WEBHOOK_SECRET, any other
    with STRIPE_WEBHOOK_SECRET; the timestamp must be within STRIPE_WEBHOOK_TOLERANCE seconds of now.
    Raises WebhookRefused. Side effects: none.
    """
    try:
        text = payload.decode("utf-8")
        event = json.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        raise WebhookRefused("body is not JSON") from exc
    if not isinstance(event, dict) or not isinstance(event.get("id"), str) or event.get("object") != "event":
        raise WebhookRefused("body is not a Stripe event")
    if event.get("account"):
        source, secret = EventSource.CONNECT, settings.STRIPE_CONNECT_WEBHOOK_SECRET
    else:
        source, secret = EventSource.PLATFORM, settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise WebhookRefused(f"no signing secret configured for {source} events")
    tolerance = settings.STRIPE_WEBHOOK_TOLERANCE
    try:
        stripe.WebhookSignature.verify_header(text, signature, secret, tolerance)
    except stripe.SignatureVerificationError as exc:
        raise WebhookRefused(str(exc).split(".")[0]) from exc
    timestamp = _signature_timestamp(signature or "")
    if timestamp is None or timestamp > time.time() + tolerance:
        raise WebhookRefused("timestamp in the future")
    return event, source


def event_record(*, event: dict, source: str) -> tuple[StripeEvent, bool]:
    """Store the event under its id unless it is already stored; returns (row, created). Writes one row."""
    created_at = datetime.fromtimestamp(int(event.get("created") or 0), tz=UTC)
    defaults = {
        "type": str(event.get("type", ""))[:100],
        "account": event.get("account") or "",
        "source": source,
        "livemode": bool(event.get("livemode")),
        "api_version": str(event.get("api_version") or "")[:40],
        "stripe_created": created_at,
        "payload": event,
    }
    try:
        with transaction.atomic():
            return StripeEvent.objects.get_or_create(event_id=event["id"], defaults=defaults)
    except IntegrityError:
        # Another delivery of the same event stored it a moment ago.
        return StripeEvent.objects.get(event_id=event["id"]), False


def event_process(*, event_id: str) -> StripeEvent:
    """Run the handlers of a stored event unless it was processed or ignored already.

    Locks the event row for the whole run (a concurrent delivery of the same event waits, then finds it
    done). The handlers' writes commit together with the `processed` status, or roll back to a savepoint
    and leave the event `failed` with its error, to be retried. Side effects: whatever the handlers do.
    """
    with transaction.atomic():
        stored = StripeEvent.objects.select_for_update().get(event_id=event_id)
        if stored.status in (EventStatus.PROCESSED, EventStatus.IGNORED):
            return stored
        handlers = HANDLERS.get(stored.type, [])
        stored.attempts += 1
        stored.last_attempt_at = timezone.now()
        if not handlers:
            stored.status = EventStatus.IGNORED
            stored.error = ""
            stored.processed_at = stored.last_attempt_at
        else:
            try:
                with transaction.atomic():
                    for handler in handlers:
                        handler(stored.payload)
            except Exception as exc:
                logger.exception("Stripe event %s (%s) failed", stored.event_id, stored.type)
                stored.status = EventStatus.FAILED
                stored.error = f"{type(exc).__name__}: {exc}"[:4000]
            else:
                stored.status = EventStatus.PROCESSED
                stored.error = ""
                stored.processed_at = timezone.now()
        stored.save(update_fields=["status", "error", "attempts", "last_attempt_at", "processed_at"])
        return stored


def event_receive(*, event: dict, source: str) -> StripeEvent:
    """Store, then process, one event (the webhook and the reconciliation both come through here)."""
    stored, _created = event_record(event=event, source=source)
    return event_process(event_id=stored.event_id)


def retry_delay(attempts: int) -> timedelta:
    """How long a failed event waits before its next try: 1, 2, 4... minutes, at most 6 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def events_retry_due(*, now=None, limit: int = 100) -> list[StripeEvent]:
    """Failed events whose wait is over, and events stored but never processed (a crash in between)."""
    now = now or timezone.now()
    failed = StripeEvent.objects.filter(status=EventStatus.FAILED).order_by("last_attempt_at")[: limit * 4]
    due = [event for event in failed if event.last_attempt_at + retry_delay(event.attempts) <= now]
    stuck = StripeEvent.objects.filter(
        status=EventStatus.RECEIVED, received_at__lte=now - timedelta(minutes=1)
    ).order_by("stripe_created")[:limit]
    return sorted([*due, *stuck], key=lambda event: event.stripe_created)[:limit]


def events_retry_failed(*, now=None, limit: int = 100) -> int:
    """Process again the events that are due (see events_retry_due); returns how many now succeeded."""
    succeeded = 0
    for event in events_retry_due(now=now, limit=limit):
        result = event_process(event_id=event.event_id)
        if result.status in (EventStatus.PROCESSED, EventStatus.IGNORED):
            succeeded += 1
    return succeeded
