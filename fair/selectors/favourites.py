"""Reads of a buyer's favourite booths and products."""

from django.db.models import Exists, OuterRef, Prefetch
from wagtail.images import get_image_model
from wagtail.models import Locale

from exhibitors.models import Booth, BoothProduct, Product
from exhibitors.selectors.booths import booths_live
from fair.models import FairPage, Favourite
from fair.selectors.directory import LOGO_SPEC

# --- Favourites ---


def favourites_of(*, user) -> dict:
    """A person's saved booths and products, newest first. Booths no longer on show are listed apart;
    a saved product comes with the live booths that show it."""
    favourites = list(
        Favourite.objects.filter(user=user)
        .select_related("booth__company", "booth__fair", "booth__hall", "booth__logo", "product__company")
        .prefetch_related(_favourite_logo_renditions())
        .order_by("-created_at", "-pk")
    )
    booth_ids = [fav.booth_id for fav in favourites if fav.booth_id]
    live_ids = (
        set(booths_live().filter(pk__in=booth_ids).values_list("pk", flat=True)) if booth_ids else set()
    )
    product_ids = [fav.product_id for fav in favourites if fav.product_id]
    shown_in: dict[int, list[Booth]] = {}
    if product_ids:
        showing = (
            BoothProduct.objects.filter(product_id__in=product_ids, booth__in=booths_live().values("pk"))
            .select_related("booth__company", "booth__fair")
            .order_by("booth__fair__starts_at", "pk")
        )
        for link in showing:
            shown_in.setdefault(link.product_id, []).append(link.booth)
    booths, gone, products = [], [], []
    for fav in favourites:
        if fav.booth_id:
            (booths if fav.booth_id in live_ids else gone).append(fav.booth)
        else:
            products.append((fav.product, shown_in.get(fav.product_id, [])))
    return {"favourite_booths": booths, "gone_booths": gone, "favourite_products": products}


def _favourite_logo_renditions() -> Prefetch:
    rendition_model = get_image_model().get_rendition_model()
    return Prefetch(
        "booth__logo__renditions",
        queryset=rendition_model.objects.filter(filter_spec=LOGO_SPEC),
        to_attr="prefetched_renditions",
    )


def fair_pages_in_language(fairs, *, locale: Locale) -> dict[int, FairPage]:
    """For original fair pages, the live page to link to in `locale` (the original when not translated)."""
    fairs = {fair.pk: fair for fair in fairs}
    if not fairs:
        return {}
    keys = {fair.translation_key: pk for pk, fair in fairs.items()}
    pages = dict(fairs)
    for page in FairPage.objects.live().filter(translation_key__in=keys, locale=locale):
        pages[keys[page.translation_key]] = page
    return pages


def has_favourite(*, user, booth_id: int | None = None, product_id: int | None = None) -> bool:
    lookup = {"booth_id": booth_id} if booth_id is not None else {"product_id": product_id}
    return Favourite.objects.filter(user=user, **lookup).exists()


def live_booth_or_none(*, booth_id: int) -> Booth | None:
    return booths_live().filter(pk=booth_id).first()


def product_on_show_or_none(*, product_id: int) -> Product | None:
    """A product that at least one live booth shows (a catalogue item nobody shows is not public)."""
    on_show = BoothProduct.objects.filter(product=OuterRef("pk"), booth__in=booths_live().values("pk"))
    return Product.objects.filter(pk=product_id).filter(Exists(on_show)).first()
