"""Template helpers of buyer payments: the live state of a payment-request card."""

from django import template

from payments.models import Order
from payments.services_orders import STATE_LABELS, buyer_order_state
from payments.stripe_client import stripe_configured

register = template.Library()


@register.simple_tag
def payment_request_card(message, viewer_side):
    """{% payment_request_card message viewer_side as card %}: the order the message asks to pay (None if it
    is gone), its state and label, and whether this viewer gets the Pay button (the buyer, while unpaid)."""
    order_id = (message.payload or {}).get("order_id")
    order = (
        Order.objects.filter(pk=order_id, message_id=message.pk)
        .prefetch_related("attempts", "refunds", "disputes")
        .first()
        if isinstance(order_id, int)
        else None
    )
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
