"""`{% feria_image image "card" alt="..." class="thumb" %}`: an <img> of one of the named renditions."""

from django import template
from wagtail.images.shortcuts import get_rendition_or_not_found

from exhibitors.renditions import rendition_spec

register = template.Library()


@register.simple_tag
def feria_image(image, size: str, **attrs):
    """Render the named rendition (WebP) of a Wagtail image, lazily loaded; nothing for no image."""
    if not image:
        return ""
    rendition = get_rendition_or_not_found(image, rendition_spec(size))
    attrs.setdefault("alt", image.default_alt_text or "")
    attrs.setdefault("loading", "lazy")
    attrs.setdefault("decoding", "async")
    return rendition.img_tag(attrs)
