"""The Stripe webhook: one unprefixed URL for the platform's events and the Connect events."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from exhibitors.integers import INT64_MAX, parse_int
from payments.enums import EventStatus
from payments.webhooks import WebhookRefused, event_receive, webhook_verify

logger = logging.getLogger("feria.payments")


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Verify, store and process one event. 400 (nothing stored) for a body that is not a genuine, fresh
    Stripe event; 500 when a handler failed (the event is stored and retried here, and Stripe retries too);
    200 otherwise, also for a duplicate delivery or an event given up after too many failures. A body over
    DATA_UPLOAD_MAX_MEMORY_SIZE answers 413 before it is read."""
    remote = request.META.get("REMOTE_ADDR", "?")
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    declared = parse_int(request.META.get("CONTENT_LENGTH"), maximum=INT64_MAX) or 0
    try:
        if declared > limit:
            raise RequestDataTooBig
        payload = request.body
    except RequestDataTooBig:
        # Django logs the 413 in one line ("Request Entity Too Large"); the body is never read.
        return HttpResponse("request body too large", status=413, content_type="text/plain")
    try:
        event, source = webhook_verify(payload=payload, signature=request.headers.get("Stripe-Signature", ""))
    except WebhookRefused as exc:
        logger.warning("Stripe webhook refused from %s: %s", remote, exc)
        return HttpResponseBadRequest("invalid Stripe event", content_type="text/plain")
    stored = event_receive(event=event, source=source)
    if stored.status == EventStatus.FAILED:
        return HttpResponse("event stored, handling failed", status=500, content_type="text/plain")
    return HttpResponse(stored.status, content_type="text/plain")
