"""Stripe event handlers for booth fees (Checkout Sessions on the chamber's own account).

Each acts only on sessions whose metadata says `feria_kind=booth_fee`; buyer payments have their own handlers
(payments.handlers_connect). payments.apps imports this module so the handlers are registered.
"""

from payments.services.checkout import checkout_session_apply, checkout_session_failed
from payments.webhooks import handles


@handles(
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.expired",
)
def booth_fee_session_changed(event: dict) -> None:
    checkout_session_apply(session=event["data"]["object"])


@handles("checkout.session.async_payment_failed")
def booth_fee_session_failed(event: dict) -> None:
    checkout_session_failed(session=event["data"]["object"])
