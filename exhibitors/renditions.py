"""The few image sizes pages show, and how a page finds them without ever making one.

Every template asks for one of these by name (`{% feria_image img "card" %}`), so the public pages and the
dashboards share renditions; the settings turn them into WebP. The sizes offered in a `srcset` (logos and
cards, `AVIF_SIZES`) are also made as AVIF, about a third smaller again, when this machine's Pillow can encode
AVIF (`avif_available()`); pages offer those first in a `<picture>` (docs/any-connection.md).

Renditions are made by the task worker right after an image is stored (and by `seed_demo`), never while a
visitor waits: making one means decoding the original, which took seconds on a booth page's first view.
`picture_shown()` only reads. When a rendition is missing (an image the chamber chose in the admin, a queue
not yet worked through) the page shows the original, scaled by the browser to the rendition's size, and
asks the worker for the rendition (see exhibitors.services.renditions).
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from PIL import features
from wagtail.images.models import Filter

RENDITIONS: dict[str, str] = {
    "logo": "fill-160x160",
    # Lite mode's logo, and the 1x candidate of every logo's srcset (logos show 4-6rem wide).
    "logo_small": "fill-80x80",
    "card": "fill-480x360",
    "gallery": "max-1200x900",
    "cover": "fill-1200x400",
    "thumb": "fill-160x120",
}

# The sizes each kind of picture is shown at, so an upload makes just those (every size when the kind is not
# known: `ALL_SIZES`).
LOGO_SIZES = ("logo", "logo_small")
BOOTH_COVER_SIZES = ("cover",)
FAIR_COVER_SIZES = ("cover", "card", "thumb")
GALLERY_SIZES = ("card", "gallery", "thumb")
PRODUCT_IMAGE_SIZES = ("thumb",)
ALL_SIZES = tuple(RENDITIONS)
# The sizes also made as AVIF: those a srcset offers (exhibitors/templatetags/feria_images.py SRCSET_SIZES).
AVIF_SIZES = ("logo", "logo_small", "card", "thumb")


@cache
def _pillow_encodes_avif() -> bool:
    return bool(features.check("avif"))


def avif_available() -> bool:
    """Whether AVIF copies are made and offered: Pillow can encode AVIF here, and FERIA_IMAGES_AVIF is on."""
    return getattr(settings, "FERIA_IMAGES_AVIF", True) and _pillow_encodes_avif()


def avif_spec(name: str) -> str:
    """The Wagtail filter spec of a named size's AVIF copy."""
    return f"{rendition_spec(name)}|format-avif"


def rendition_specs(*names: str) -> list[str]:
    """The filter specs of named sizes, with their AVIF copies where those are made (for prefetching)."""
    specs = [rendition_spec(name) for name in names]
    if avif_available():
        specs += [avif_spec(name) for name in names if name in AVIF_SIZES]
    return specs


def rendition_spec(name: str) -> str:
    """The Wagtail filter spec for a named size; an unknown name is a programming error."""
    return RENDITIONS[name]


@dataclass(frozen=True)
class PictureShown:
    """What an <img> needs: the rendition, or the original while the rendition is still being made."""

    url: str
    width: int
    height: int
    is_rendition: bool


def rendition_found(image, size: str):
    """The existing rendition of `image` at a named size, or None. Never creates one.

    Looks where Wagtail's own lookup does: renditions loaded ahead (`prefetched_renditions`, no query), else
    the rendition cache, else the database (one query)."""
    image_filter = Filter(spec=rendition_spec(size))
    rendition = image.find_existing_renditions(image_filter).get(image_filter)
    if rendition is not None and image._get_prefetched_renditions() is None:
        # As Wagtail's get_rendition() does: the next page asking finds it in the cache, not the database.
        rendition_model = image.get_rendition_model()
        key = rendition_model.construct_cache_key(image, image_filter.get_cache_key(image), image_filter.spec)
        rendition_model.cache_backend.set(key, rendition)
    return rendition


def picture_shown(image, size: str) -> PictureShown:
    """The rendition at `size`, or the original with the size the rendition will have. Never creates one."""
    rendition = rendition_found(image, size)
    if rendition is not None:
        return PictureShown(rendition.url, rendition.width, rendition.height, is_rendition=True)
    # The size is worked out from the dimensions stored on the image row; the file is not opened.
    width, height = Filter(spec=rendition_spec(size)).get_transform(image).size
    return PictureShown(image.file.url, int(width), int(height), is_rendition=False)
