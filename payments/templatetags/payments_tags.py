from datetime import date

from django import template

from payments.money import format_money

register = template.Library()


@register.filter
def money(amount, currency):
    """{{ order.total_amount|money:order.currency }}: minor units in the reader's language."""
    if amount is None or not currency:
        return ""
    return format_money(int(amount), str(currency))


@register.filter
def as_date(value):
    """{{ payment.date|as_date|date:"DATE_FORMAT" }}: an ISO date kept in JSON, in the reader's format."""
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return value
