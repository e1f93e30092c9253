"""Reads of a company's product catalogue."""

from babel.numbers import get_territory_currencies
from django.db.models import Count, Prefetch, QuerySet

from exhibitors.models import Booth, Company, Product, ProductImage
from exhibitors.selectors.booths import images_with


def products_for_list(company: Company) -> QuerySet[Product]:
    """The company's catalogue in its order, with thumbnails and certifications prefetched."""
    return (
        Product.objects.filter(company=company)
        .prefetch_related(
            Prefetch(
                "images",
                queryset=ProductImage.objects.prefetch_related(Prefetch("image", images_with("thumb"))),
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
                queryset=ProductImage.objects.prefetch_related(Prefetch("image", images_with("thumb"))),
            ),
            "certifications",
        )
        .get(pk=product_id)
    )
