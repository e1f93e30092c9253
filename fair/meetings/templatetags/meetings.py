"""Meeting times in the viewer's zone, with the fair's zone beside them where it differs."""

import zoneinfo

from django import template
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

register = template.Library()


def span_text(starts_at, ends_at, fair_zone_name: str, zone=None) -> str:
    zone = zone or timezone.get_current_timezone()
    start = timezone.localtime(starts_at, zone)
    end = timezone.localtime(ends_at, zone)
    text = f"{date_format(start, 'D j M Y')}, {time_format(start, 'H:i')}–{time_format(end, 'H:i')}"
    fair_zone = zoneinfo.ZoneInfo(fair_zone_name)
    fair_start = timezone.localtime(starts_at, fair_zone)
    if fair_start.utcoffset() != start.utcoffset():
        fair_end = timezone.localtime(ends_at, fair_zone)
        when = f"{time_format(fair_start, 'H:i')}–{time_format(fair_end, 'H:i')}"
        if fair_start.date() != start.date():
            when = f"{date_format(fair_start, 'D j M')} {when}"
        text += " " + _("(%(when)s fair time, %(zone)s)") % {"when": when, "zone": fair_zone_name}
    return text


@register.simple_tag
def meeting_span(item, fair=None) -> str:
    """`{% meeting_span meeting %}` or `{% meeting_span slot fair %}`: "Tue 9 Dec 2026, 10:00–10:30
    (04:00–04:30 fair time, America/Lima)"."""
    fair = fair or item.fair
    return span_text(item.starts_at, item.ends_at, fair.time_zone)


@register.simple_tag
def zone_name() -> str:
    return str(timezone.get_current_timezone())
