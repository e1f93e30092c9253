"""Reads for the "missing translations" list of a fair: which booths, companies and products shown at the fair
lack a language, and which of the fair's pages are not translated. A fixed number of queries, whatever the
number of booths, products or pages."""

from dataclasses import dataclass, field

from wagtail.models import Locale, Page

from exhibitors.models import Booth, BoothProduct, Product
from exhibitors.multilingual import language_codes
from fair.models import BoothPackage, FairPage, Hall


@dataclass
class BoothMissing:
    booth: Booth
    booth_missing: list[str]
    company_missing: list[str]
    products: list[tuple[Product, list[str]]] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.booth_missing or self.company_missing or self.products)


@dataclass
class PageMissing:
    page: Page
    missing: list[str]


@dataclass
class FairMissing:
    booths: list[BoothMissing]
    pages: list[PageMissing]
    names: list[tuple[object, list[str]]]


def _missing(obj) -> list[str]:
    # An empty original has nothing to translate.
    if not any(getattr(obj, name) for name in obj.translated_fields):
        return []
    return obj.languages_missing()


def fair_missing_translations(*, fair: FairPage) -> FairMissing:
    """For the fair's original page: every booth (any state) whose texts, company description or shown
    products miss a language; the fair's pages (the fair and the pages under it) without a translation
    in each of the site's languages; and halls and packages whose names miss one."""
    booths = list(
        Booth.objects.filter(fair__translation_key=fair.translation_key)
        .select_related("company")
        .order_by("company__legal_name", "pk")
    )
    shown: dict[int, list[Product]] = {}
    for item in (
        BoothProduct.objects.filter(booth__in=booths).select_related("product").order_by("sort_order", "id")
    ):
        shown.setdefault(item.booth_id, []).append(item.product)
    rows = []
    for booth in booths:
        row = BoothMissing(
            booth=booth,
            booth_missing=_missing(booth),
            company_missing=_missing(booth.company),
            products=[
                (product, _missing(product)) for product in shown.get(booth.pk, []) if _missing(product)
            ],
        )
        if row.anything:
            rows.append(row)

    originals = list(
        Page.objects.descendant_of(fair, inclusive=True).filter(locale=fair.locale).order_by("path")
    )
    translated: dict = {}
    # An alias only mirrors the original: it is not a translation.
    for key, code in Page.objects.filter(
        translation_key__in=[page.translation_key for page in originals], alias_of__isnull=True
    ).values_list("translation_key", "locale__language_code"):
        translated.setdefault(key, set()).add(code)
    languages = set(Locale.objects.values_list("language_code", flat=True)) & set(language_codes())
    pages = [
        PageMissing(page=page, missing=sorted(languages - translated.get(page.translation_key, set())))
        for page in originals
    ]
    pages = [page for page in pages if page.missing]

    names = [
        (item, item.languages_missing())
        for model in (Hall, BoothPackage)
        for item in model.objects.filter(fair__translation_key=fair.translation_key)
        if item.languages_missing()
    ]
    return FairMissing(booths=rows, pages=pages, names=names)
