"""A company's product catalogue: products, their images and their order. Reused by every booth."""

from collections.abc import Iterable
from decimal import Decimal
from functools import cache

from babel import Locale as BabelLocale
from babel.core import get_global
from babel.numbers import get_territory_currencies
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import to_locale

from exhibitors.models import Certification, Company, Product, ProductImage
from exhibitors.multilingual import translations_clean
from exhibitors.renditions import PRODUCT_IMAGE_SIZES
from exhibitors.services.ordering import sort_order_move, sort_order_next
from exhibitors.services.renditions import image_renditions_request
from exhibitors.services.uploads import image_store, upload_atomic
from exhibitors.uploads import image_check

PRODUCT_MAX_IMAGES = 6

# The fields a product form edits; product_create and product_update take exactly these.
PRODUCT_FIELDS = (
    "name",
    "description",
    "language",
    "hs_code",
    "min_order_quantity",
    "unit",
    "price_min",
    "price_max",
    "currency",
    "lead_time_days",
)


@cache
def iso_currencies() -> frozenset[str]:
    """ISO 4217 codes of the currencies some territory uses as tender today (CLDR data shipped with Babel)."""
    codes = set()
    for territory in get_global("territory_currencies"):
        codes.update(get_territory_currencies(territory, tender=True))
    return frozenset(codes)


def currency_choices(language: str) -> list[tuple[str, str]]:
    """(code, "USD – US Dollar") for every current currency, named in the given language, sorted by code."""
    try:
        locale = BabelLocale.parse(to_locale(language))
    except (ValueError, TypeError):
        locale = BabelLocale.parse("en")
    names = locale.currencies
    return [(code, f"{code} – {names.get(code, code)}") for code in sorted(iso_currencies())]


def _check_product(product: Product) -> None:
    errors: dict[str, list] = {}
    if product.currency and product.currency not in iso_currencies():
        errors.setdefault("currency", []).append(
            _("%(code)s is not an ISO 4217 currency in use.") % {"code": product.currency}
        )
    has_price = product.price_min is not None or product.price_max is not None
    if has_price and not product.currency:
        errors.setdefault("currency", []).append(_("Say which currency the prices are in."))
    for field in ("price_min", "price_max"):
        value = getattr(product, field)
        if value is not None and value < Decimal(0):
            errors.setdefault(field, []).append(_("A price cannot be negative."))
    if (
        product.price_min is not None
        and product.price_max is not None
        and product.price_max < product.price_min
    ):
        errors.setdefault("price_max", []).append(_("The highest price must not be lower than the lowest."))
    try:
        product.full_clean(exclude=["company"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def product_create(
    *,
    company: Company,
    by,
    name: str,
    description: str,
    language: str,
    hs_code: str,
    min_order_quantity: int | None,
    unit: str,
    price_min: Decimal | None,
    price_max: Decimal | None,
    currency: str,
    lead_time_days: int | None,
    certifications: Iterable[Certification] = (),
    image: UploadedFile | None = None,
    translations: dict | None = None,
) -> Product:
    """Add a product at the end of the company's catalogue, with its first image if given (rows Product,
    its certifications, Image, ProductImage; the image's renditions are queued after commit)."""
    product = Product(
        company=company,
        name=name,
        description=description,
        language=language,
        hs_code=hs_code,
        min_order_quantity=min_order_quantity,
        unit=unit,
        price_min=price_min,
        price_max=price_max,
        currency=currency,
        lead_time_days=lead_time_days,
        translations=translations_clean(
            translations, fields=Product.translated_fields, source_language=language
        ),
    )
    _check_product(product)
    header = image_check(image) if image is not None else None
    with upload_atomic():
        Company.objects.select_for_update().filter(pk=company.pk).first()
        product.sort_order = sort_order_next(Product.objects.filter(company=company))
        product.save()
        product.certifications.set(list(certifications))
        if image is not None:
            stored = image_store(upload=image, header=header, user=by, title=name)
            image_renditions_request(image=stored, sizes=PRODUCT_IMAGE_SIZES)
            ProductImage.objects.create(product=product, image=stored, sort_order=0)
    return product


@transaction.atomic
def product_update(
    *,
    product: Product,
    name: str,
    description: str,
    language: str,
    hs_code: str,
    min_order_quantity: int | None,
    unit: str,
    price_min: Decimal | None,
    price_max: Decimal | None,
    currency: str,
    lead_time_days: int | None,
    certifications: Iterable[Certification] = (),
    translations: dict | None = None,
) -> Product:
    """Save a product's details, its texts in other languages (all of them: None keeps the stored ones)
    and certifications (row Product and its certifications)."""
    product.name = name
    product.description = description
    product.language = language
    product.hs_code = hs_code
    product.min_order_quantity = min_order_quantity
    product.unit = unit
    product.price_min = price_min
    product.price_max = price_max
    product.currency = currency
    product.lead_time_days = lead_time_days
    product.translations = translations_clean(
        product.translations if translations is None else translations,
        fields=Product.translated_fields,
        source_language=language,
    )
    _check_product(product)
    product.save(update_fields=[*PRODUCT_FIELDS, "translations"])
    product.certifications.set(list(certifications))
    return product


@transaction.atomic
def product_delete(*, product: Product) -> None:
    """Delete a product, its images and its place in every booth."""
    images = [item.image for item in ProductImage.objects.filter(product=product).select_related("image")]
    product.delete()
    for image in images:
        image.delete()


def product_move(*, product: Product, direction: str) -> None:
    """Move a product up or down the company's catalogue."""
    sort_order_move(
        siblings=Product.objects.filter(company_id=product.company_id), item=product, direction=direction
    )


def product_image_add(*, product: Product, image: UploadedFile, by) -> ProductImage:
    """Add an uploaded image to a product, up to PRODUCT_MAX_IMAGES (rows Image, ProductImage; its
    renditions are queued after commit)."""
    header = image_check(image)
    with upload_atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        if locked.images.count() >= PRODUCT_MAX_IMAGES:
            raise ValidationError(
                _("A product can have at most %(limit)s images. Remove one before adding another.")
                % {"limit": PRODUCT_MAX_IMAGES},
                code="product_images_full",
            )
        stored = image_store(upload=image, header=header, user=by, title=locked.name)
        image_renditions_request(image=stored, sizes=PRODUCT_IMAGE_SIZES)
        return ProductImage.objects.create(
            product=locked, image=stored, sort_order=sort_order_next(locked.images.all())
        )


@transaction.atomic
def product_image_remove(*, item: ProductImage) -> None:
    """Remove a product image and delete it."""
    image = item.image
    item.delete()
    image.delete()


def product_image_move(*, item: ProductImage, direction: str) -> None:
    """Move a product image up or down (the first one is the product's main picture)."""
    sort_order_move(
        siblings=ProductImage.objects.filter(product_id=item.product_id), item=item, direction=direction
    )
