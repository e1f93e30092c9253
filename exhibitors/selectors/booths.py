"""Reads for applying, building booths and the product catalogue."""

from babel.numbers import get_territory_currencies
from django.apps import apps
from django.db.models import Count, Prefetch, QuerySet
from wagtail.images import get_image_model
from wagtail.models import Locale

from exhibitors.models import Booth, BoothImage, BoothProduct, Company, Product, ProductImage
from exhibitors.renditions import rendition_spec


def fair_original_by_id(fair_id: int):
    """The published fair with this id, as its original-language page (the one booths point at), or None.

    The fair app sits above this one, so its model is reached through the app registry, and this repeats
    what fair.selectors.fair_original does rather than importing it.
    """
    FairPage = apps.get_model("fair", "FairPage")
    fair = FairPage.objects.live().filter(pk=fair_id).first()
    if fair is None:
        return None
    return fair_original(fair)


def fair_original(fair):
    """The page of this fair in the default locale (the page itself when it is the original)."""
    default = Locale.get_default()
    if fair.locale_id == default.pk:
        return fair
    FairPage = apps.get_model("fair", "FairPage")
    return FairPage.objects.filter(translation_key=fair.translation_key, locale=default).first() or fair


def booth_of_company_at_fair(*, company: Company, fair) -> Booth | None:
    return (
        Booth.objects.select_related("hall", "package", "application", "fair")
        .filter(company=company, fair=fair)
        .first()
    )


def booths_of_company(company: Company) -> QuerySet[Booth]:
    return Booth.objects.filter(company=company).select_related("fair", "hall", "package", "application")


def _images_with(size: str) -> QuerySet:
    return get_image_model().objects.prefetch_renditions(rendition_spec(size))


def booth_for_builder(booth_id: int) -> Booth:
    """A booth with everything the builder page shows, in a fixed number of queries."""
    return (
        Booth.objects.select_related("company", "fair", "hall", "package", "application")
        .prefetch_related(
            Prefetch("logo", queryset=_images_with("logo")),
            Prefetch("cover", queryset=_images_with("cover")),
            Prefetch(
                "gallery",
                queryset=BoothImage.objects.prefetch_related(Prefetch("image", _images_with("thumb"))),
            ),
            Prefetch("brochures"),
            Prefetch("links"),
            Prefetch("office_hours"),
            Prefetch("booth_products", queryset=BoothProduct.objects.select_related("product")),
        )
        .get(pk=booth_id)
    )


def products_for_list(company: Company) -> QuerySet[Product]:
    """The company's catalogue in its order, with thumbnails and certifications prefetched."""
    return (
        Product.objects.filter(company=company)
        .prefetch_related(
            Prefetch(
                "images",
                queryset=ProductImage.objects.prefetch_related(Prefetch("image", _images_with("thumb"))),
            ),
            "certifications",
        )
        .order_by("sort_order", "id")
    )


def company_default_currency(company: Company) -> str:
    """The currency a new product's prices most likely use: the company's last priced product's, else that of
    the fair it last applied to (its package's), else the one most fairs' packages use, else its country's."""
    last_priced = (
        Product.objects.filter(company=company).exclude(currency="").order_by("-id").values_list("currency")
    ).first()
    if last_priced:
        return last_priced[0]
    booth_currency = (
        Booth.objects.filter(company=company)
        .order_by("-id")
        .values_list("package__currency", flat=True)
        .first()
    )
    if booth_currency:
        return booth_currency
    package_model = Booth._meta.get_field("package").related_model
    most_used = (
        package_model.objects.values("currency")
        .annotate(uses=Count("id"))
        .order_by("-uses", "currency")
        .first()
    )
    if most_used:
        return most_used["currency"]
    if company.country:
        tender = get_territory_currencies(company.country.code, tender=True)
        if tender:
            return tender[0]
    return ""


def product_for_edit(product_id: int) -> Product:
    return (
        Product.objects.select_related("company")
        .prefetch_related(
            Prefetch(
                "images",
                queryset=ProductImage.objects.prefetch_related(Prefetch("image", _images_with("thumb"))),
            ),
            "certifications",
        )
        .get(pk=product_id)
    )
