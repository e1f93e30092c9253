"""Fixtures for payments: the local Stripe server, Stripe-signed events, and posting them to the webhook."""

import hashlib
import hmac
import itertools
import json
import time

import pytest

from tests.payments.stripe_server import StripeServer

PLATFORM_SECRET = "whsec_test_platform_0123456789"
CONNECT_SECRET = "whsec_test_connect_0123456789"
WEBHOOK_URL = "/stripe/webhook/"

_event_ids = itertools.count(1)


@pytest.fixture
def stripe_settings(settings):
    """Stripe "configured" with test keys and both signing secrets (no server: calls would fail)."""
    settings.STRIPE_SECRET_KEY = "sk_test_feria"
    settings.STRIPE_WEBHOOK_SECRET = PLATFORM_SECRET
    settings.STRIPE_CONNECT_WEBHOOK_SECRET = CONNECT_SECRET
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    settings.STRIPE_TIMEOUT_SECONDS = 1.0
    return settings


@pytest.fixture
def stripe_server(stripe_settings):
    """The local Stripe API (tests/payments/stripe_server.py), with STRIPE_API_BASE pointing at it."""
    server = StripeServer().start()
    stripe_settings.STRIPE_API_BASE = server.url
    yield server
    server.stop()


def make_signature(body: str, secret: str, timestamp: int | None = None) -> str:
    """The Stripe-Signature header Stripe would send: t=<time>,v1=HMAC-SHA256(secret, "<t>.<body>")."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@pytest.fixture
def sign_event():
    """sign_event(payload, secret=PLATFORM_SECRET, timestamp=None) -> (body, Stripe-Signature header)."""

    def sign(payload: dict | str, secret: str = PLATFORM_SECRET, timestamp: int | None = None):
        body = payload if isinstance(payload, str) else json.dumps(payload)
        return body, make_signature(body, secret, timestamp)

    return sign


def make_event(
    event_type: str, obj: dict, *, account: str | None = None, created: int | None = None, **extra
):
    """An event as Stripe sends it (snapshot payload)."""
    event = {
        "id": f"evt_test_{next(_event_ids):06d}",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": int(time.time()) if created is None else created,
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
        **extra,
    }
    if account:
        event["account"] = account
    return event


@pytest.fixture
def post_event(client, sign_event):
    """post_event(event, secret=None) posts a signed event to the webhook through the real view."""

    def post(event: dict, secret: str | None = None, timestamp: int | None = None):
        secret = secret or (CONNECT_SECRET if event.get("account") else PLATFORM_SECRET)
        body, header = sign_event(event, secret, timestamp)
        return client.post(
            WEBHOOK_URL, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
        )

    return post
