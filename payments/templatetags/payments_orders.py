"""Template helpers of buyer payments: the live state of a payment-request card."""

from django import template

from exhibitors.enums import MembershipRole
from payments.chat import payment_request_orders
from payments.selectors.orders import STATE_LABELS, buyer_order_state
from payments.services.connect import can_take_payments
from payments.stripe_client import stripe_configured

register = template.Library()


@register.simple_tag
def payment_request_card(message, viewer_side):
    """{% payment_request_card message viewer_side as card %}: the order the message asks to pay (None if it
    is gone), its state and label, and whether this viewer gets the Pay button (the buyer, while unpaid)."""
    if hasattr(message, "kind_data"):
        order = message.kind_data  # loaded with the rest of the page (payments.chat.payment_request_orders)
    else:
        order = payment_request_orders([message]).get(message.pk)
    if order is None:
        return {"order": None, "state": "", "label": "", "can_pay": False, "snapshot": message.payload or {}}
    state = buyer_order_state(order)
    return {
        "order": order,
        "state": state,
        "label": STATE_LABELS.get(state, state),
        "can_pay": viewer_side == "buyer" and state == "unpaid" and stripe_configured(),
        "snapshot": message.payload or {},
    }


@register.filter
def iso_datetime(value):
    """An ISO 8601 text (as stored in a message's payload) as a datetime, for the date filter."""
    from django.utils.dateparse import parse_datetime

    return parse_datetime(value) if isinstance(value, str) else value


@register.simple_tag
def payment_requests_offer(company, user):
    """{% payment_requests_offer company user as offer %}: whether this company's people can request card
    payments in a conversation ("ready"), or why not ("stripe_off": the site has no Stripe keys;
    "not_connected": the company's Stripe account cannot take charges yet), and whether `user` is an owner
    (only owners can connect the account)."""
    if not stripe_configured():
        reason = "stripe_off"
    elif not can_take_payments(company):
        reason = "not_connected"
    else:
        reason = "ready"
    is_owner = (
        reason == "not_connected"
        and company.memberships.filter(user=user, role=MembershipRole.OWNER).exists()
    )
    return {"ready": reason == "ready", "reason": reason, "is_owner": is_owner}
