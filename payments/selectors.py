"""Reads for payments."""

from django.db.models import Exists, OuterRef, Q

from payments.enums import OrderKind
from payments.models import Order


def booth_fee_settled_q() -> Q:
    """A rule of exhibitors.selectors.BOOTH_LIVE_RULES: the booth needs no payment (the fair does not ask
    for one before going live, or the package is free) or its booth fee is paid. One Q on Booth."""
    paid = Order.objects.filter(booth=OuterRef("pk"), kind=OrderKind.BOOTH_FEE, paid_at__isnull=False)
    return Q(fair__booth_payment_required=False) | Q(package__price_amount=0) | Q(Exists(paid))
