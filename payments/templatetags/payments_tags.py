from django import template

from payments.money import format_money

register = template.Library()


@register.filter
def money(amount, currency):
    """{{ order.total_amount|money:order.currency }}: minor units in the reader's language."""
    if amount is None or not currency:
        return ""
    return format_money(int(amount), str(currency))
