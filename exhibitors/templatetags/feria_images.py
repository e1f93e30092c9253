"""`{% feria_image image "card" alt="..." class="thumb" %}`: an <img> of one of the named renditions.
`{% feria_image_url image "gallery" %}`: just its address (a link to the large picture).

In lite mode (exhibitors.selectors.lite) a decorative cover is left out, and a card picture or a logo is
shown at the smaller size of the same shape when that rendition exists. A logo or card picture whose
smaller rendition came with the page's prefetched renditions also gets `srcset` and `sizes` (no extra
query), so the browser picks the size the screen needs; when both sizes' AVIF copies came too, the <img> is
wrapped in a <picture> whose `<source type="image/avif">` comes first (browsers without AVIF take the WebP).

Neither ever makes a rendition (see exhibitors.renditions): a missing one is queued for the task worker and
the original is shown meanwhile, at the size the rendition will have.
"""

from django import template
from django.forms.utils import flatatt
from django.utils.html import format_html

from exhibitors.cache_tags import depends_on, tag_image
from exhibitors.renditions import (
    AVIF_SIZES,
    PictureShown,
    avif_available,
    avif_spec,
    picture_shown,
    rendition_found,
    rendition_spec,
)
from exhibitors.services.renditions import image_rendition_missed

register = template.Library()


def _shown(image, size: str) -> PictureShown:
    picture = picture_shown(image, size)
    if not picture.is_rendition:
        image_rendition_missed(image=image, size=size)
    return picture


# Lite mode: a size that is left out (None) or swapped for a smaller one of the same shape.
LITE_SIZES: dict[str, str | None] = {"cover": None, "card": "thumb", "logo": "logo_small"}
# Smaller candidates of the same shape offered in srcset when they were prefetched, and the default `sizes`.
SRCSET_SIZES: dict[str, tuple[str, str]] = {
    "logo": ("logo_small", "4rem"),
    # Cards fill a grid column of at least 12rem, the whole width on a phone.
    "card": ("thumb", "(max-width: 30rem) 100vw, 16rem"),
}


def _prefetched(image, size: str, *, avif: bool = False):
    renditions = image._get_prefetched_renditions()
    if renditions is None:
        return None
    spec = avif_spec(size) if avif else rendition_spec(size)
    return next((rendition for rendition in renditions if rendition.filter_spec == spec), None)


def _avif_srcset(image, size: str, smaller_size: str) -> str:
    """The AVIF srcset of a size and its smaller one when both came prefetched; "" otherwise (and a missing
    pair is asked of the task worker, as a missing WebP is)."""
    if not avif_available() or size not in AVIF_SIZES or smaller_size not in AVIF_SIZES:
        return ""
    large, small = _prefetched(image, size, avif=True), _prefetched(image, smaller_size, avif=True)
    if large is None or small is None:
        image_rendition_missed(image=image, size=size if large is None else smaller_size)
        return ""
    return f"{small.url} {small.width}w, {large.url} {large.width}w"


def _lite(context) -> bool:
    state = context.get("lite")
    return bool(getattr(state, "lite", False))


@register.simple_tag(takes_context=True)
def feria_image(context, image, size: str, **attrs):
    """Render the named rendition (WebP) of a Wagtail image, lazily loaded; nothing for no image."""
    if not image:
        return ""
    depends_on(tag_image(image.pk))  # the anonymous page cache: an edited or deleted image purges the page
    picture = None
    avif_srcset = ""
    if _lite(context) and size in LITE_SIZES:
        smaller = LITE_SIZES[size]
        if smaller is None:
            return ""
        rendition = rendition_found(image, smaller)
        if rendition is not None:
            picture = PictureShown(rendition.url, rendition.width, rendition.height, is_rendition=True)
    if picture is None:
        picture = _shown(image, size)
        if picture.is_rendition and size in SRCSET_SIZES:
            smaller_size, default_sizes = SRCSET_SIZES[size]
            smaller = _prefetched(image, smaller_size)
            if smaller is not None:
                attrs.setdefault("srcset", f"{smaller.url} {smaller.width}w, {picture.url} {picture.width}w")
                attrs.setdefault("sizes", default_sizes)
                avif_srcset = _avif_srcset(image, size, smaller_size)
    attrs.setdefault("alt", image.default_alt_text or "")
    attrs.setdefault("loading", "lazy")
    attrs.setdefault("decoding", "async")
    attributes = {"src": picture.url, "width": picture.width, "height": picture.height, **attrs}
    if avif_srcset:
        source = {"type": "image/avif", "srcset": avif_srcset, "sizes": attrs["sizes"]}
        return format_html("<picture><source{}><img{}></picture>", flatatt(source), flatatt(attributes))
    return format_html("<img{}>", flatatt(attributes))


@register.simple_tag
def feria_image_url(image, size: str) -> str:
    """The address of the named rendition of a Wagtail image ("" for no image)."""
    if not image:
        return ""
    depends_on(tag_image(image.pk))
    return _shown(image, size).url
