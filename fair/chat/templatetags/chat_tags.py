"""Template filters for chat messages: text shown as text, with http(s) links made clickable safely."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# A web address starts with http:// or https:// and runs to the next space or character that cannot be part
# of one unescaped in HTML. Nothing else (javascript:, data:, www. without a scheme) becomes a link.
URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
# Punctuation that usually ends the sentence around an address, not the address itself.
TRAILING = ".,;:!?'\")]}"
MAX_LINK_TEXT = 80


def _split_trailing(url: str) -> tuple[str, str]:
    end = len(url)
    while end and url[end - 1] in TRAILING:
        # Keep a closing bracket that closes one opened inside the address (Wikipedia-style links).
        if url[end - 1] == ")" and url[:end].count("(") >= url[:end].count(")"):
            break
        end -= 1
    return url[:end], url[end:]


def _link(url: str) -> str:
    shown = url if len(url) <= MAX_LINK_TEXT else url[: MAX_LINK_TEXT - 1] + "…"
    return f'<a href="{escape(url)}" rel="noopener nofollow ugc">{escape(shown)}</a>'


@register.filter(is_safe=True)
def chat_linkify(text) -> SafeString:
    """Escape everything; turn http(s) addresses into links with rel="noopener nofollow ugc"; keep line
    breaks. The result is safe to insert in a page whatever the text holds."""
    text = str(text or "")
    parts = []
    position = 0
    for match in URL.finditer(text):
        url, trailing = _split_trailing(match.group(0))
        if "://" not in url or url.endswith("://"):
            continue
        parts.append(escape(text[position : match.start()]))
        parts.append(_link(url))
        parts.append(escape(trailing))
        position = match.end()
    parts.append(escape(text[position:]))
    html = "".join(parts).replace("\r\n", "\n").replace("\n", "<br>")
    return mark_safe(html)  # noqa: S308 - every piece above is escaped
