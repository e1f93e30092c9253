"""`{{ value|oneline }}`: a name or title printed on one line, whatever it holds. For e-mails, where a line
break inside a company name would start a line the platform never wrote (names saved before forms refused
control characters, or set from the admin)."""

import re

from django import template

register = template.Library()

# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


@register.filter(is_safe=False)
def oneline(value) -> str:
    """The value as text, with every run of control characters replaced by one space."""
    if value is None:
        return ""
    return " ".join(_BREAKS.sub(" ", str(value)).split())
