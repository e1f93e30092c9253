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


# Stripe did not exist before 2010; an event "created" before that, or a day or more ahead of our clock, is
# not one of its events.
_EARLIEST_CREATED = 1_262_304_000  # 2010-01-01


def event_envelope_check(event: dict) -> None:
    """Refuse an event whose envelope fields are not what Stripe sends (raises WebhookRefused): `id` and
    `type` short strings, `created` a whole number of seconds in a plausible range, `data.object` an object,
    `account` absent or a string, `livemode` a boolean."""
    if len(event["id"]) > 255 or not event["id"]:
        raise WebhookRefused("event id is not valid")
    event_type = event.get("type")
    if not isinstance(event_type, str) or not event_type or len(event_type) > 100:
        raise WebhookRefused("event type is not valid")
    created = event.get("created")
    if isinstance(created, bool) or not isinstance(created, int):
        raise WebhookRefused("event created is not a whole number of seconds")
    if not _EARLIEST_CREATED <= created <= time.time() + 86_400:
        raise WebhookRefused("event created is out of range")
    data = event.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        raise WebhookRefused("event data is not an object")
    account = event.get("account")
    if account is not None and (not isinstance(account, str) or len(account) > 255):
        raise WebhookRefused("event account is not valid")
    if not isinstance(event.get("livemode", False), bool):
        raise WebhookRefused("event livemode is not a boolean")
    api_version = event.get("api_version")
    if api_version is not None and not isinstance(api_version, str):
        raise WebhookRefused("event api_version is not valid")


def webhook_verify(*, payload: bytes, signature: str) -> tuple[dict, str]:
    """Check the Stripe-Signature of the raw body and return (event, source).

    A Connect event (one naming an `account`) must be signed with STRIPE_CONNECT_WEBHOOK_SECRET, any other
    with STRIPE_WEBHOOK_SECRET; the timestamp must be within STRIPE_WEBHOOK_TOLERANCE seconds of now; the
    envelope must hold what Stripe sends (event_envelope_check). Raises WebhookRefused. Side effects: none.
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
    event_envelope_check(event)
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
    """Run the handlers of a stored event unless it was processed, ignored or given up already.

    Locks the event row for the whole run (a concurrent delivery of the same event waits, then finds it
    done). The handlers' writes commit together with the `processed` status, or roll back to a savepoint
    and leave the event `failed` with its error, to be retried; after STRIPE_EVENT_MAX_ATTEMPTS failures it
    is `gave_up` and never run again by itself. Side effects: whatever the handlers do.
    """
    with transaction.atomic():
        stored = StripeEvent.objects.select_for_update().get(event_id=event_id)
        if stored.status in EVENT_DONE:
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
                stored.error = f"{type(exc).__name__}: {exc}"[:4000]
                if stored.attempts >= settings.STRIPE_EVENT_MAX_ATTEMPTS:
                    # The same error every time (usually data the handlers cannot read): stop, and leave it
                    # to the staff, who see it under Payments → Stripe events.
                    logger.error(
                        "Stripe event %s (%s) failed %d times; giving up: %s",
                        stored.event_id,
                        stored.type,
                        stored.attempts,
                        stored.error,
                    )
                    stored.status = EventStatus.GAVE_UP
                else:
                    logger.exception("Stripe event %s (%s) failed", stored.event_id, stored.type)
                    stored.status = EventStatus.FAILED
            else:
                stored.status = EventStatus.PROCESSED
                stored.error = ""
                stored.processed_at = timezone.now()
        stored.save(update_fields=["status", "error", "attempts", "last_attempt_at", "processed_at"])
        return stored


# Events that are not run again: handled, of a type nobody handles, or failed too often.
EVENT_DONE = (EventStatus.PROCESSED, EventStatus.IGNORED, EventStatus.GAVE_UP)


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
