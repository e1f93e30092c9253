"""Stripe event handlers, registered with payments.webhooks by `@handles` (payments.apps imports this module).

Checkout Session events are handled once per kind: the booth-fee handlers act only on sessions whose metadata
says `feria_kind=booth_fee` (Checkout on the chamber's own account), the buyer-payment ones only on
`feria_kind=buyer_payment` (destination charges), and each ignores the other's. Then refunds, disputes and
connected accounts.
"""

from payments.services.buyer_checkout import buyer_session_apply, buyer_session_failed
from payments.services.checkout import checkout_session_apply, checkout_session_failed
from payments.services.connect import connected_account_apply
from payments.services.disputes import dispute_event_apply
from payments.services.refunds import charge_refunded_apply, refund_event_apply
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
