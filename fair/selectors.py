"""Reads for fairs and what buyers browse: the home page, a fair, its directory, a booth, favourites.

Which booths are public is decided in one place, exhibitors.selectors.booth_live_q(); everything here starts
from booths_live(). Booths, halls and packages point at the fair's original-language page; a translated copy
shares its translation_key, which is how these reads reach them from any language without loading the
original first.
"""

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.functions import Cast, Lower
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django_countries import countries
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.images import get_image_model
from wagtail.models import Locale
from wagtail.search.backends import get_search_backend

from exhibitors.collation import collation_key
from exhibitors.hs import HSEntry, hs_describe
from exhibitors.integers import parse_int
from exhibitors.models import Booth, BoothProduct, Certification, Company, Membership, Product
from exhibitors.renditions import rendition_spec
from exhibitors.selectors import booths_live
from fair.enums import FairPhase
from fair.matchmaking.bridge import query_codes
from fair.models import FairPage, Favourite, Hall

DIRECTORY_PER_PAGE = 24
MAX_PAGE_NUMBER = 100_000
PROMOTED_LIMIT = 12

# The named sizes templates ask for with {% feria_image %}; loaded ahead so no page asks one image at a time.
LOGO_SPEC = rendition_spec("logo")
CARD_SPEC = rendition_spec("card")
COVER_SPEC = rendition_spec("cover")
GALLERY_SPEC = rendition_spec("gallery")


# Letters and digits in any script; everything else (quotes, operators, brackets) only separates words, so
# what a person types can never be read as search-engine syntax.
SEARCH_WORD = re.compile(r"\w+")


def search_words(query: str) -> list[str]:
    return SEARCH_WORD.findall(query)


# --- Fairs ---


def fair_live_by_slug(*, slug: str, language_code: str) -> FairPage | None:
    """A published, unrestricted fair page by slug, in the given language where it is translated, else
    in the site's main language (as Wagtail's own routing falls back), found in one query."""
    candidates = list(
        FairPage.objects.live()
        .public()
        .filter(slug=slug, locale__language_code__in={language_code, settings.LANGUAGE_CODE})
        .select_related("locale")
    )
    for fair in candidates:
        if fair.locale.language_code == language_code:
            return fair
    return candidates[0] if candidates else None


def fair_original(fair: FairPage) -> FairPage:
    """The fair page in the default locale; the one booths, halls and packages point at. One query."""
    default_language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    original = FairPage.objects.filter(
        translation_key=fair.translation_key, locale__language_code=default_language
    ).first()
    return original or fair


def fair_booths_live(fair: FairPage) -> QuerySet[Booth]:
    """The fair's public booths, whichever language version of the fair page is given."""
    return booths_live().filter(fair__translation_key=fair.translation_key)


def fairs_for_home(*, locale: Locale) -> dict:
    """Live and upcoming fairs in the visitor's locale (falling back to the default-language page), with
    their covers' renditions loaded."""
    now = timezone.now()
    default = Locale.get_default()
    image_model = get_image_model()
    pages = (
        FairPage.objects.live()
        .public()
        .filter(locale__in={locale.pk, default.pk}, ends_at__gt=now, closed_early=False)
        .prefetch_related(
            Prefetch("cover_image", queryset=image_model.objects.prefetch_renditions(CARD_SPEC))
        )
        .order_by("starts_at", "pk")
    )
    chosen: dict = {}
    for page in pages:
        if page.translation_key not in chosen or page.locale_id == locale.pk:
            chosen[page.translation_key] = page
    fairs = sorted(chosen.values(), key=lambda page: (page.starts_at, page.pk))
    live = [fair for fair in fairs if fair.phase_at(now) == FairPhase.LIVE]
    upcoming = [fair for fair in fairs if fair.phase_at(now) != FairPhase.LIVE]
    return {"live_fairs": live, "upcoming_fairs": upcoming}


def fair_page_context(*, fair: FairPage, request) -> dict:
    """What the fair page shows: dates and phase (from the original), halls, featured and sponsored booths."""
    original = fair_original(fair)
    user = getattr(request, "user", None) or AnonymousUser()
    live = fair_booths_live(fair)
    halls = list(
        Hall.objects.filter(fair=original).annotate(
            live_booths=Count("booths", filter=Q(booths__in=live.values("pk")))
        )
    )
    promoted = list(
        booth_cards(live.filter(Q(featured=True) | Q(package__sponsored=True)), user=user).order_by(
            Lower("company__legal_name"), "pk"
        )
    )
    featured = [booth for booth in promoted if booth.featured][:PROMOTED_LIMIT]
    # A booth the chamber featured is shown once, in "Featured", still carrying its "Sponsored" label.
    sponsored = [booth for booth in promoted if booth.package.sponsored and not booth.featured][
        :PROMOTED_LIMIT
    ]
    return {
        "fair_original": original,
        "phase": FairPhase(original.phase),
        "halls": halls,
        "exhibitor_count": sum(hall.live_booths for hall in halls),
        "featured_booths": featured,
        "sponsored_booths": sponsored,
    }


# --- Booth cards (fair page, directory, favourites) ---


def _logo_renditions() -> Prefetch:
    # The logo comes with the booth (select_related); its renditions come in one more query, into the
    # attribute Wagtail's Image.prefetch_renditions() fills, so {% image %} finds them there.
    rendition_model = get_image_model().get_rendition_model()
    return Prefetch(
        "logo__renditions",
        queryset=rendition_model.objects.filter(filter_spec=LOGO_SPEC),
        to_attr="prefetched_renditions",
    )


def booth_cards(queryset: QuerySet[Booth], *, user) -> QuerySet[Booth]:
    """Booths with what a card shows (company, hall, package, logo) and whether `user` saved each one."""
    queryset = queryset.select_related("company", "hall", "package", "logo").prefetch_related(
        _logo_renditions()
    )
    if user.is_authenticated:
        saved = Favourite.objects.filter(user=user, booth=OuterRef("pk"))
        return queryset.annotate(is_favourite=Exists(saved))
    return queryset.annotate(is_favourite=Value(False, output_field=BooleanField()))


# --- The exhibitor directory ---


@dataclass
class DirectoryFacets:
    """The choices of the directory's filters, each as (value, label) pairs."""

    halls: list[tuple[int, str]] = field(default_factory=list)
    countries: list[tuple[str, str]] = field(default_factory=list)
    certifications: list[tuple[int, str]] = field(default_factory=list)


def directory_facets(*, fair: FairPage) -> DirectoryFacets:
    """The fair's halls, and the countries and certifications of its live exhibitors, in one query."""
    live = fair_booths_live(fair)
    halls = (
        Hall.objects.filter(fair__translation_key=fair.translation_key)
        .order_by()
        .annotate(kind=Value("hall"), key=Cast("pk", CharField()), label=F("name"), rank=F("sort_order"))
        .values_list("kind", "key", "label", "rank")
    )
    countries_used = (
        live.order_by()
        .annotate(
            kind=Value("country"), key=F("company__country"), label=F("company__country"), rank=Value(0)
        )
        .values_list("kind", "key", "label", "rank")
    )
    certified_companies = Company.certifications.through.objects.filter(
        company__booths__in=live.values("pk")
    ).values("certification_id")
    certified_products = Product.certifications.through.objects.filter(
        product__booth__in=live.values("pk")
    ).values("certification_id")
    certifications = (
        Certification.objects.filter(Q(pk__in=certified_companies) | Q(pk__in=certified_products))
        .order_by()
        .annotate(kind=Value("certification"), key=Cast("pk", CharField()), label=F("name"), rank=Value(0))
        .values_list("kind", "key", "label", "rank")
    )
    facets = DirectoryFacets()
    rows = list(halls.union(countries_used, certifications))
    for kind, key, label, _rank in sorted(rows, key=lambda row: (row[3], row[2].lower())):
        if kind == "hall":
            facets.halls.append((int(key), label))
        elif kind == "certification":
            facets.certifications.append((int(key), label))
        else:
            facets.countries.append((key, countries.name(key) or key))
    language = translation.get_language() or settings.LANGUAGE_CODE
    facets.countries.sort(key=lambda choice: collation_key(choice[1], language))
    return facets


def _search_subquery(results, model) -> QuerySet:
    """The matching primary keys as a subquery, so searching adds no round trip of its own.

    Wagtail's database backends build their results from a lazy queryset; any other backend gets its
    results evaluated into a list of keys instead.
    """
    get_queryset = getattr(results, "get_queryset", None)
    if get_queryset is not None:
        return get_queryset().order_by().values("pk")
    return model.objects.filter(pk__in=[obj.pk for obj in results]).values("pk")


def directory_booths(
    *,
    fair: FairPage,
    user,
    query: str = "",
    hall_id: int | None = None,
    country: str = "",
    certification_id: int | None = None,
    hs_prefix: str = "",
) -> QuerySet[Booth]:
    """The fair's live booths matching a search and filters, in the neutral order: company name, A to Z.

    The search runs through Wagtail's search backend over companies (name, description, city) and over the
    products the booths show (name, description, HS code); a booth matches when its company or one of its
    products contains every word. A search of one goods word in any language the matchmaking bridge knows
    ("Kaffee") also matches booths showing products under that word's HS codes (docs/matchmaking.md).
    Certification matches the company's or a shown product's.
    """
    booths = fair_booths_live(fair)
    if hall_id:
        booths = booths.filter(hall_id=hall_id)
    if country:
        booths = booths.filter(company__country=country)
    if certification_id:
        company_certified = Company.certifications.through.objects.filter(
            company_id=OuterRef("company_id"), certification_id=certification_id
        )
        product_certified = BoothProduct.objects.filter(
            booth=OuterRef("pk"), product__certifications=certification_id
        )
        booths = booths.filter(Exists(company_certified) | Exists(product_certified))
    if hs_prefix:
        booths = booths.filter(
            Exists(BoothProduct.objects.filter(booth=OuterRef("pk"), product__hs_code__startswith=hs_prefix))
        )
    words = search_words(query)
    if words:
        terms = " ".join(words)
        backend = get_search_backend()
        candidates = booths.values("company_id")
        companies = backend.search(
            terms, Company.objects.filter(id__in=candidates), operator="and", order_by_relevance=False
        )
        products = backend.search(
            terms, Product.objects.filter(company_id__in=candidates), operator="and", order_by_relevance=False
        )
        shows_product = BoothProduct.objects.filter(
            booth=OuterRef("pk"), product_id__in=_search_subquery(products, Product)
        )
        matched = Q(company_id__in=_search_subquery(companies, Company)) | Exists(shows_product)
        # A goods word in another language than the catalogue ("Kaffee") also finds its HS codes.
        codes = query_codes(words)
        if codes:
            in_codes = reduce(or_, (Q(product__hs_code__startswith=code) for code in codes))
            matched |= Exists(BoothProduct.objects.filter(in_codes, booth=OuterRef("pk")))
        booths = booths.filter(matched)
    return booth_cards(booths, user=user).order_by(Lower("company__legal_name"), "pk")


class KnownCountPaginator(Paginator):
    """A Paginator told the total instead of counting it with a query of its own."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def paginate(queryset: QuerySet, *, number, per_page: int = DIRECTORY_PER_PAGE) -> Page:
    """One page of `queryset` and the total, in one query (the total rides along as a window count).

    A page number that is not a number means page 1; one past the end means the last page.
    """
    # Capped so a made-up page number cannot overflow the database's OFFSET; it lands on the last page.
    number = parse_int(number, minimum=1, maximum=MAX_PAGE_NUMBER, clamp=True) or 1
    counted = queryset.annotate(total_count=Window(Count("pk")))
    rows = list(counted[(number - 1) * per_page : number * per_page])
    if rows:
        total = rows[0].total_count
    else:
        total = queryset.count()
        last = max((total + per_page - 1) // per_page, 1)
        if number > last:
            number = last
            rows = list(counted[(number - 1) * per_page : number * per_page])
    paginator = KnownCountPaginator(queryset, per_page, count=total)
    return Page(rows, number, paginator)


# --- A booth ---


def booth_live_for_fair(*, fair: FairPage, company_slug: str, user) -> Booth | None:
    """The company's booth at this fair if it is live, with its fair (the original page), company
    profile, hall, package, logo and cover, and whether the person saved it (`is_favourite`) or works for
    the company (`is_own_company`); None otherwise."""
    return _booth_for_page(fair_booths_live(fair), company_slug=company_slug, user=user)


def booth_preview_for_fair(*, fair: FairPage, company_slug: str, user) -> Booth | None:
    """The company's booth at this fair, whatever its state, for those who may preview it before it is
    public: the company's people and chamber staff who review applications; None for anyone else."""
    if not user.is_authenticated:
        return None
    booths = Booth.objects.filter(fair__translation_key=fair.translation_key)
    if not user.has_perm("exhibitors.view_boothapplication"):
        booths = booths.filter(company__memberships__user=user)
    return _booth_for_page(booths, company_slug=company_slug, user=user)


def _booth_for_page(booths: QuerySet[Booth], *, company_slug: str, user) -> Booth | None:
    queryset = (
        booths.filter(company__slug=company_slug)
        .select_related("company", "hall", "package", "fair", "logo", "cover")
        .prefetch_related("company__sectors", "company__certifications")
    )
    if user.is_authenticated:
        queryset = queryset.annotate(
            is_favourite=Exists(Favourite.objects.filter(user=user, booth=OuterRef("pk"))),
            # Staff of the company see their own booth without "Chat with us".
            is_own_company=Exists(Membership.objects.filter(user=user, company=OuterRef("company_id"))),
        )
    else:
        queryset = queryset.annotate(
            is_favourite=Value(False, output_field=BooleanField()),
            is_own_company=Value(False, output_field=BooleanField()),
        )
    return queryset.first()


def attach_renditions(images, specs) -> None:
    """Load the renditions of several images in one query, where Wagtail's {% image %} looks for them."""
    images = [image for image in images if image is not None]
    if not images:
        return
    rendition_model = get_image_model().get_rendition_model()
    found: dict[int, list] = {image.pk: [] for image in images}
    for rendition in rendition_model.objects.filter(image_id__in=found, filter_spec__in=list(specs)):
        found[rendition.image_id].append(rendition)
    for image in images:
        for rendition in found[image.pk]:
            rendition.image = image  # as Django's own prefetch would, so alt text costs no query
        image.prefetched_renditions = list(found[image.pk])


@dataclass(frozen=True)
class ProductShown:
    product: Product
    chapter: HSEntry | None
    heading: HSEntry | None
    subheading: HSEntry | None
    is_favourite: bool


@dataclass(frozen=True)
class GalleryShown:
    """A gallery picture: shown small on the page ({% feria_image image "card" %}), linking to the large one
    ("gallery"); both renditions are loaded with the page's other pictures."""

    caption: str
    alt: str
    image: object


def booth_page_parts(*, booth: Booth, user) -> dict:
    """The booth's products (in booth order, up to what its package shows), gallery, brochures, links and
    office hours, with renditions for the logo, cover and gallery loaded together."""
    products = BoothProduct.objects.filter(booth=booth).select_related("product").order_by("sort_order", "id")
    if user.is_authenticated:
        products = products.annotate(
            is_favourite=Exists(Favourite.objects.filter(user=user, product=OuterRef("product_id")))
        )
    else:
        products = products.annotate(is_favourite=Value(False, output_field=BooleanField()))
    products = [
        ProductShown(
            product=item.product,
            chapter=described["chapter"],
            heading=described["heading"],
            subheading=described["subheading"],
            is_favourite=item.is_favourite,
        )
        for item in products[: booth.package.max_products]
        for described in [hs_describe(item.product.hs_code)]
    ]
    pictures = list(booth.gallery.select_related("image")[: booth.package.gallery_size])
    attach_renditions(
        [booth.logo, booth.cover, *(item.image for item in pictures)],
        [LOGO_SPEC, COVER_SPEC, CARD_SPEC, GALLERY_SPEC],
    )
    gallery = [
        GalleryShown(caption=item.caption, alt=item.caption or item.image.default_alt_text, image=item.image)
        for item in pictures
    ]
    return {
        "products": products,
        "gallery": gallery,
        "brochures": list(booth.brochures.select_related("document")),
        "links": list(booth.links.all()),
        "office_hours": list(booth.office_hours.all()),
    }


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
