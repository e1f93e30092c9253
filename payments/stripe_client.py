"""The one place that configures the official stripe library.

Every Stripe call goes through `stripe_client()`.

Settings: STRIPE_SECRET_KEY (empty: Stripe is off, card payment is hidden), STRIPE_API_BASE (the tests point
it at a local server), STRIPE_TIMEOUT_SECONDS and STRIPE_MAX_NETWORK_RETRIES. Each call passes an
idempotency key named after the database row it is for (`checkout-<attempt id>`, `refund-<refund id>`,
`account-<company id>`), so the library's own retries and ours repeat the same call, never a new one.
"""

import threading

import stripe
from django.conf import settings

_lock = threading.Lock()
_clients: dict[tuple, stripe.StripeClient] = {}


class StripeNotConfigured(RuntimeError):
    """STRIPE_SECRET_KEY is empty."""


def stripe_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def stripe_client() -> stripe.StripeClient:
    """A StripeClient for the current settings (one per configuration, shared by threads)."""
    if not stripe_configured():
        raise StripeNotConfigured("STRIPE_SECRET_KEY is not set")
    config = (
        settings.STRIPE_SECRET_KEY,
        settings.STRIPE_API_BASE,
        float(settings.STRIPE_TIMEOUT_SECONDS),
        int(settings.STRIPE_MAX_NETWORK_RETRIES),
    )
    with _lock:
        client = _clients.get(config)
        if client is None:
            key, base, timeout, retries = config
            client = stripe.StripeClient(
                key,
                base_addresses={"api": base, "connect": base, "files": base},
                max_network_retries=retries,
                http_client=stripe.RequestsClient(timeout=timeout),
            )
            _clients[config] = client
        return client


def request_options(*, idempotency_key: str, stripe_account: str | None = None) -> dict:
    """Per-request options: always an idempotency key; a connected account where the call acts on it."""
    options: dict = {"idempotency_key": idempotency_key}
    if stripe_account:
        options["stripe_account"] = stripe_account
    return options
