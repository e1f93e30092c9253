"""`{% feria_image image "card" alt="..." class="thumb" %}`: an <img> of one of the named renditions.
`{% feria_image_url image "gallery" %}`: just its address (a link to the large picture).

Neither ever makes a rendition (see exhibitors.renditions): a missing one is queued for the task worker and
the original is shown meanwhile, at the size the rendition will have.
"""

from django import template
from django.forms.utils import flatatt
from django.utils.html import format_html

from exhibitors.renditions import PictureShown, picture_shown
from exhibitors.services.renditions import image_rendition_missed

register = template.Library()


def _shown(image, size: str) -> PictureShown:
    picture = picture_shown(image, size)
    if not picture.is_rendition:
        image_rendition_missed(image=image, size=size)
    return picture


@register.simple_tag
def feria_image(image, size: str, **attrs):
    """Render the named rendition (WebP) of a Wagtail image, lazily loaded; nothing for no image."""
    if not image:
        return ""
    picture = _shown(image, size)
    attrs.setdefault("alt", image.default_alt_text or "")
    attrs.setdefault("loading", "lazy")
    attrs.setdefault("decoding", "async")
    attributes = {"src": picture.url, "width": picture.width, "height": picture.height, **attrs}
    return format_html("<img{}>", flatatt(attributes))


@register.simple_tag
def feria_image_url(image, size: str) -> str:
    """The address of the named rendition of a Wagtail image ("" for no image)."""
    if not image:
        return ""
    return _shown(image, size).url
