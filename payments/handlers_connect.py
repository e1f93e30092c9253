"""Stripe event handlers for buyer payments, refunds, disputes and connected accounts.

Checkout Session events are shared with the booth-fee handlers (payments.handlers): each side acts only on
sessions whose metadata names its own kind (`feria_kind=buyer_payment` here, `booth_fee` there), so every
event is handled once per kind and ignored by the other. payments.apps imports this module.
"""

from payments.services_connect import connected_account_apply
from payments.services_orders import (
    buyer_session_apply,
    buyer_session_failed,
    charge_refunded_apply,
    dispute_event_apply,
    refund_event_apply,
)
from payments.webhooks import handles


@handles(
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.expired",
)
def buyer_payment_session_changed(event: dict) -> None:
    buyer_session_apply(session=event["data"]["object"])


@handles("checkout.session.async_payment_failed")
def buyer_payment_session_failed(event: dict) -> None:
    buyer_session_failed(session=event["data"]["object"])


@handles("charge.refunded")
def charge_refunded(event: dict) -> None:
    charge_refunded_apply(charge=event["data"]["object"])


@handles("refund.created", "refund.updated", "refund.failed")
def refund_changed(event: dict) -> None:
    refund_event_apply(refund_object=event["data"]["object"])


@handles(
    "charge.dispute.created",
    "charge.dispute.updated",
    "charge.dispute.closed",
    "charge.dispute.funds_withdrawn",
    "charge.dispute.funds_reinstated",
)
def dispute_changed(event: dict) -> None:
    dispute_event_apply(dispute=event["data"]["object"])


@handles("account.updated")
def account_updated(event: dict) -> None:
    connected_account_apply(account=event["data"]["object"])
