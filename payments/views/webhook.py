"""The Stripe webhook: one unprefixed URL for the platform's events and the Connect events."""

import logging

from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payments.enums import EventStatus
from payments.webhooks import WebhookRefused, event_receive, webhook_verify

logger = logging.getLogger("feria.payments")


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Verify, store and process one event. 400 (nothing stored) for a body that is not a genuine, fresh
    Stripe event; 500 when a handler failed (the event is stored and retried here, and Stripe retries too);
    200 otherwise, also for a duplicate delivery."""
    try:
        event, source = webhook_verify(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except WebhookRefused as exc:
        logger.warning("Stripe webhook refused from %s: %s", request.META.get("REMOTE_ADDR", "?"), exc)
        return HttpResponseBadRequest("invalid Stripe event", content_type="text/plain")
    stored = event_receive(event=event, source=source)
    if stored.status == EventStatus.FAILED:
        return HttpResponse("event stored, handling failed", status=500, content_type="text/plain")
    return HttpResponse(stored.status, content_type="text/plain")
