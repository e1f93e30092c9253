from django import template

from exhibitors.records.kinds import record_kind_label

register = template.Library()


@register.filter
def record_kind(kind: str):
    """The person-readable label of a record kind."""
    return record_kind_label(kind)
