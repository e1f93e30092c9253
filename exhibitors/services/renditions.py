"""Image renditions: made by the task worker once an image is stored, never while a visitor waits.

Making a rendition decodes the original (hundreds of milliseconds for a photo); on a page view that cost
was paid by whoever came first, several times over on a booth page. So the services that store an image
queue its sizes (`image_renditions_request`) and the worker makes them (`image_renditions_make`). A page
that finds a size missing shows the original meanwhile and queues that size (`image_rendition_missed`).
"""

from collections.abc import Iterable
from functools import partial

from django.core.cache import cache
from django.db import transaction
from wagtail.images.models import Filter

from exhibitors.cache_tags import depends_on, purge, tag_image
from exhibitors.renditions import AVIF_SIZES, avif_available, avif_spec, rendition_spec

# A page that misses a rendition queues it at most this often per image and size: the first visitor's view
# asks, the next ones within this time do not add rows to the task queue.
RENDITION_ASK_SECONDS = 300


def image_renditions_make(*, image, sizes: Iterable[str]) -> int:
    """Make whichever of `image`'s renditions at the named sizes are missing, with their AVIF copies where
    those are made (writes rendition files and rows); returns how many of those sizes now exist."""
    sizes = list(dict.fromkeys(sizes))
    specs = [rendition_spec(size) for size in sizes]
    if not specs:
        return 0
    if avif_available():
        specs += [avif_spec(size) for size in sizes if size in AVIF_SIZES]
    made = image.get_renditions(*specs)
    # Pages that showed the original meanwhile (image_rendition_missed) are made again with the renditions.
    purge(tag_image(image.pk))
    return sum(1 for size in sizes if rendition_spec(size) in made)


def image_renditions_request(*, image, sizes: Iterable[str]) -> None:
    """Queue the making of `image`'s renditions at the named sizes, once the current transaction commits
    (a task row; nothing is queued if it rolls back)."""
    # Imported here: the task module imports this one to call image_renditions_make.
    from exhibitors.tasks import image_renditions_generate

    sizes = list(dict.fromkeys(sizes))
    for size in sizes:
        rendition_spec(size)  # an unknown size fails here, in the caller, rather than later in the worker
    transaction.on_commit(partial(image_renditions_generate.enqueue, image_id=image.pk, sizes=sizes))


def image_rendition_missed(*, image, size: str) -> bool:
    """A page found no rendition of `image` at `size`: queue it, unless that was done in the last
    RENDITION_ASK_SECONDS. Returns whether it was queued now."""
    # The anonymous page cache keeps this page only until the worker has made the rendition.
    depends_on(tag_image(image.pk))
    focal_point = Filter(spec=rendition_spec(size)).get_cache_key(image)
    key = f"feria:rendition-asked:{image.pk}:{size}:{focal_point}"
    if not cache.add(key, True, RENDITION_ASK_SECONDS):
        return False
    image_renditions_request(image=image, sizes=[size])
    return True
