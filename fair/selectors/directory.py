"""Reads of what buyers browse: booth cards and the exhibitor directory (search, facets, pages).

Which booths are public is decided in one place, exhibitors.selectors.booths.booth_live_q(); everything here
starts from booths_live().
"""

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
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
from django.utils import translation
from django.utils.functional import cached_property
from django_countries import countries
from wagtail.images import get_image_model
from wagtail.search.backends import get_search_backend

from exhibitors.certificates.selectors import valid_certificates_queryset, verified_certificates_prefetch
from exhibitors.collation import collation_key
from exhibitors.integers import parse_int
from exhibitors.models import Booth, BoothProduct, Certification, Company, Product
from exhibitors.renditions import rendition_spec, rendition_specs
from exhibitors.selectors.booths import booths_live
from fair.matchmaking.bridge import query_codes
from fair.models import FairPage, Hall

DIRECTORY_PER_PAGE = 24
MAX_PAGE_NUMBER = 100_000

# The named sizes templates ask for with {% feria_image %}; loaded ahead so no page asks one image at a time.
LOGO_SPEC = rendition_spec("logo")
LOGO_SMALL_SPEC = rendition_spec("logo_small")
CARD_SPEC = rendition_spec("card")


# Letters and digits in any script; everything else (quotes, operators, brackets) only separates words, so
# what a person types can never be read as search-engine syntax.
SEARCH_WORD = re.compile(r"\w+")


def search_words(query: str) -> list[str]:
    return SEARCH_WORD.findall(query)


def fair_booths_live(fair: FairPage) -> QuerySet[Booth]:
    """The fair's public booths, whichever language version of the fair page is given."""
    return booths_live().filter(fair__translation_key=fair.translation_key)


# --- Booth cards (fair page, directory, favourites) ---


def _logo_renditions() -> Prefetch:
    # The logo comes with the booth (select_related); its renditions come in one more query, into the
    # attribute Wagtail's Image.prefetch_renditions() fills, so {% image %} finds them there.
    rendition_model = get_image_model().get_rendition_model()
    return Prefetch(
        "logo__renditions",
        queryset=rendition_model.objects.filter(filter_spec__in=rendition_specs("logo", "logo_small")),
        to_attr="prefetched_renditions",
    )


def booth_cards(queryset: QuerySet[Booth]) -> QuerySet[Booth]:
    """Booths with what a card shows (company, hall, package, logo, the company's chamber-verified
    certificates). Nothing in it depends on who asks: the card's "Save" button is a hole (fair/holes.py)."""
    return queryset.select_related("company", "hall", "package", "logo").prefetch_related(
        _logo_renditions(), verified_certificates_prefetch()
    )


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
    # A certification proven by a chamber-verified certificate counts as held (docs/certificates.md).
    proven = (
        valid_certificates_queryset().filter(company__booths__in=live.values("pk")).values("certification_id")
    )
    certifications = (
        Certification.objects.filter(
            Q(pk__in=certified_companies) | Q(pk__in=certified_products) | Q(pk__in=proven)
        )
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


def _showing(products: Q) -> QuerySet:
    """The booths showing a product that matches `products` (a Q on BoothProduct), as a subquery of booth ids.

    Not a correlated EXISTS per booth: the database starts from the few matching products (the search index,
    the HS code index) and their booths, instead of probing every live booth's products one by one.
    """
    return BoothProduct.objects.filter(products).values("booth_id")


def directory_booths(
    *,
    fair: FairPage,
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
    Certification matches the company's or a shown product's, or one a chamber-verified, unexpired
    certificate of the company proves.
    """
    booths = fair_booths_live(fair)
    if hall_id:
        booths = booths.filter(hall_id=hall_id)
    if country:
        booths = booths.filter(company__country=country)
    if certification_id:
        company_certified = Company.certifications.through.objects.filter(
            certification_id=certification_id
        ).values("company_id")
        product_certified = _showing(Q(product__certifications=certification_id))
        certificate_proves = valid_certificates_queryset().filter(
            company_id=OuterRef("company_id"), certification_id=certification_id
        )
        booths = booths.filter(
            Q(company_id__in=company_certified) | Q(pk__in=product_certified) | Exists(certificate_proves)
        )
    if hs_prefix:
        booths = booths.filter(pk__in=_showing(Q(product__hs_code__startswith=hs_prefix)))
    words = search_words(query)
    if words:
        terms = " ".join(words)
        backend = get_search_backend()
        # The searches run over every company and product: the booths they are matched against are already
        # the fair's live ones, and restricting the searches too (company ids of the live booths) made the
        # database repeat the whole live-booth query inside each search.
        companies = backend.search(terms, Company.objects.all(), operator="and", order_by_relevance=False)
        products = backend.search(terms, Product.objects.all(), operator="and", order_by_relevance=False)
        shows_product = _showing(Q(product_id__in=_search_subquery(products, Product)))
        matched = Q(company_id__in=_search_subquery(companies, Company)) | Q(pk__in=shows_product)
        # A goods word in another language than the catalogue ("Kaffee") also finds its HS codes.
        codes = query_codes(words)
        if codes:
            in_codes = reduce(or_, (Q(product__hs_code__startswith=code) for code in codes))
            matched |= Q(pk__in=_showing(in_codes))
        booths = booths.filter(matched)
    return booth_cards(booths).order_by(Lower("company__legal_name"), "pk")


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
