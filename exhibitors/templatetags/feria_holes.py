"""`{% hole "kind" arg ... %}`: a personal part of a shared page, filled per request (exhibitors/holes.py)."""

from django import template

from exhibitors.holes import hole_marker

register = template.Library()


@register.simple_tag
def hole(kind: str, *args):
    return hole_marker(kind, *args)
