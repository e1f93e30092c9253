"""Applying for a booth and building it: texts, pictures, gallery, brochures, links, hours, products."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exhibitors.cache_tags import purge_booths
from exhibitors.enums import ApplicationStatus, Weekday
from exhibitors.models import (
    Booth,
    BoothApplication,
    BoothDocument,
    BoothImage,
    BoothLink,
    BoothProduct,
    Company,
    OfficeHours,
    Product,
)
from exhibitors.multilingual import translations_clean
from exhibitors.renditions import BOOTH_COVER_SIZES, GALLERY_SIZES, LOGO_SIZES
from exhibitors.selectors.booths import fair_original
from exhibitors.services.applications import booth_application_transition, booth_terms_changed
from exhibitors.services.ordering import sort_order_move, sort_order_next
from exhibitors.services.renditions import image_renditions_request
from exhibitors.services.uploads import document_store, image_store, upload_atomic
from exhibitors.uploads import image_check

BOOTH_MAX_BROCHURES = 10
BOOTH_MAX_LINKS = 10
BOOTH_MAX_OFFICE_HOURS = 28
PICTURE_KINDS = ("logo", "cover")
PICTURE_SIZES = {"logo": LOGO_SIZES, "cover": BOOTH_COVER_SIZES}


def _already_has_booth() -> ValidationError:
    return ValidationError(
        _("Your company already has a booth at this fair. Open it from your dashboard."), code="booth_exists"
    )


def _check_open(fair) -> None:
    if not fair.accepts_applications:
        raise ValidationError(_("This fair is not accepting applications at the moment."), code="closed")


def _check_hall_and_package(*, fair, hall, package) -> None:
    errors = {}
    if hall.fair_id != fair.pk:
        errors["hall"] = _("Choose one of this fair's halls.")
    if package.fair_id != fair.pk:
        errors["package"] = _("Choose one of this fair's packages.")
    if errors:
        raise ValidationError(errors)


def _check_package_fits(*, booth: Booth, package) -> None:
    """A smaller package than the booth already fills would silently hide part of it: say so instead."""
    errors = []
    images = booth.gallery.count()
    if images > package.gallery_size:
        errors.append(
            _("Your gallery has %(count)s images; this package allows %(limit)s. Remove some first.")
            % {"count": images, "limit": package.gallery_size}
        )
    products = booth.booth_products.count()
    if products > package.max_products:
        errors.append(
            _("Your booth shows %(count)s products; this package allows %(limit)s. Remove some first.")
            % {"count": products, "limit": package.max_products}
        )
    if errors:
        raise ValidationError({"package": errors})


@transaction.atomic
def booth_apply(*, company: Company, fair, hall, package, by, language: str) -> Booth:
    """Create the company's booth at the fair and its pending application (rows Booth, BoothApplication)."""
    fair = fair_original(fair)
    _check_open(fair)
    _check_hall_and_package(fair=fair, hall=hall, package=package)
    if Booth.objects.filter(company=company, fair=fair).exists():
        raise _already_has_booth()
    try:
        with transaction.atomic():
            booth = Booth.objects.create(
                company=company, fair=fair, hall=hall, package=package, language=language
            )
    except IntegrityError as exc:  # another request of the same company got there first
        raise _already_has_booth() from exc
    BoothApplication.objects.create(booth=booth, status=ApplicationStatus.PENDING, submitted_by=by)
    booth_terms_changed(booth=booth)
    return booth


@transaction.atomic
def booth_application_resubmit(*, booth: Booth, hall, package, by) -> BoothApplication:
    """Send a rejected or withdrawn application back for review, possibly in another hall or package."""
    fair = booth.fair
    _check_open(fair)
    _check_hall_and_package(fair=fair, hall=hall, package=package)
    _check_package_fits(booth=booth, package=package)
    application = booth_application_transition(
        application=booth.application, to=ApplicationStatus.PENDING, by=by
    )
    booth.hall = hall
    booth.package = package
    booth.save(update_fields=["hall", "package"])
    application.submitted_by = by
    application.submitted_at = timezone.now()
    application.save(update_fields=["submitted_by", "submitted_at"])
    booth.application = application
    booth_terms_changed(booth=booth)
    return application


def booth_application_withdraw(*, booth: Booth, by) -> BoothApplication:
    """Withdraw the booth's application (status change only; the booth and its content stay)."""
    application = booth_application_transition(
        application=booth.application, to=ApplicationStatus.WITHDRAWN, by=by
    )
    booth.application = application
    return application


def booth_update(
    *,
    booth: Booth,
    tagline: str,
    description: str,
    language: str,
    video_url: str,
    translations: dict | None = None,
) -> Booth:
    """Save the booth's texts, the language they are written in, their translations (None keeps the stored
    ones) and its video link (row Booth)."""
    booth.tagline = tagline
    booth.description = description
    booth.language = language
    booth.video_url = video_url
    booth.full_clean(
        exclude=["company", "fair", "hall", "package", "logo", "cover"], validate_constraints=False
    )
    booth.translations = translations_clean(
        booth.translations if translations is None else translations,
        fields=Booth.translated_fields,
        source_language=language,
    )
    booth.save(update_fields=["tagline", "description", "language", "video_url", "translations"])
    return booth


def _delete_image(image) -> None:
    """An image uploaded for a booth belongs to it alone: removing it deletes the file (on commit)."""
    if image is not None:
        image.delete()


def booth_picture_set(*, booth: Booth, kind: str, image: UploadedFile, by) -> Booth:
    """Store an upload as the booth's logo or cover, replacing (and deleting) the previous one; its
    renditions are queued for the task worker after commit."""
    if kind not in PICTURE_KINDS:
        raise ValueError(f"unknown picture {kind!r}")
    header = image_check(image)
    with upload_atomic():
        locked = Booth.objects.select_for_update().get(pk=booth.pk)
        stored = image_store(upload=image, header=header, user=by)
        image_renditions_request(image=stored, sizes=PICTURE_SIZES[kind])
        previous = getattr(locked, kind)
        setattr(locked, kind, stored)
        locked.save(update_fields=[kind])
        _delete_image(previous)
    setattr(booth, kind, stored)
    return booth


@transaction.atomic
def booth_picture_remove(*, booth: Booth, kind: str) -> Booth:
    """Take the logo or cover off the booth and delete the image."""
    if kind not in PICTURE_KINDS:
        raise ValueError(f"unknown picture {kind!r}")
    locked = Booth.objects.select_for_update().get(pk=booth.pk)
    previous = getattr(locked, kind)
    setattr(locked, kind, None)
    locked.save(update_fields=[kind])
    _delete_image(previous)
    setattr(booth, kind, None)
    return booth


def booth_gallery_add(*, booth: Booth, image: UploadedFile, caption: str, by) -> BoothImage:
    """Add an uploaded image to the booth's gallery, up to the package's limit (rows Image, BoothImage;
    its renditions are queued for the task worker after commit)."""
    header = image_check(image)
    with upload_atomic():
        locked = Booth.objects.select_for_update().select_related("package").get(pk=booth.pk)
        limit = locked.package.gallery_size
        if locked.gallery.count() >= limit:
            raise ValidationError(
                _("Your package allows %(limit)s gallery images. Remove one before adding another.")
                % {"limit": limit},
                code="gallery_full",
            )
        stored = image_store(upload=image, header=header, user=by, title=caption)
        image_renditions_request(image=stored, sizes=GALLERY_SIZES)
        return BoothImage.objects.create(
            booth=locked, image=stored, caption=caption, sort_order=sort_order_next(locked.gallery.all())
        )


@transaction.atomic
def booth_gallery_remove(*, item: BoothImage) -> None:
    """Remove a gallery image and delete it."""
    image = item.image
    item.delete()
    _delete_image(image)


def booth_gallery_move(*, item: BoothImage, direction: str) -> None:
    """Move a gallery image up or down."""
    sort_order_move(
        siblings=BoothImage.objects.filter(booth_id=item.booth_id), item=item, direction=direction
    )


def booth_brochure_add(*, booth: Booth, document: UploadedFile, title: str, by) -> BoothDocument:
    """Add an uploaded PDF brochure to the booth (rows Document, BoothDocument)."""
    with upload_atomic():
        locked = Booth.objects.select_for_update().get(pk=booth.pk)
        if locked.brochures.count() >= BOOTH_MAX_BROCHURES:
            raise ValidationError(
                _("A booth can offer at most %(limit)s brochures. Remove one before adding another.")
                % {"limit": BOOTH_MAX_BROCHURES},
                code="brochures_full",
            )
        stored = document_store(upload=document, user=by, title=title)
        return BoothDocument.objects.create(
            booth=locked,
            document=stored,
            title=stored.title[:200],
            sort_order=sort_order_next(locked.brochures.all()),
        )


@transaction.atomic
def booth_brochure_remove(*, item: BoothDocument) -> None:
    """Remove a brochure and delete its document."""
    document = item.document
    item.delete()
    document.delete()


def booth_brochure_move(*, item: BoothDocument, direction: str) -> None:
    """Move a brochure up or down."""
    sort_order_move(
        siblings=BoothDocument.objects.filter(booth_id=item.booth_id), item=item, direction=direction
    )


@transaction.atomic
def booth_link_add(*, booth: Booth, label: str, url: str) -> BoothLink:
    """Add a link to the booth (row BoothLink)."""
    locked = Booth.objects.select_for_update().get(pk=booth.pk)
    if locked.links.count() >= BOOTH_MAX_LINKS:
        raise ValidationError(
            _("A booth can show at most %(limit)s links.") % {"limit": BOOTH_MAX_LINKS}, code="links_full"
        )
    link = BoothLink(booth=locked, label=label, url=url, sort_order=sort_order_next(locked.links.all()))
    link.full_clean(exclude=["booth"])
    link.save()
    return link


def booth_link_remove(*, item: BoothLink) -> None:
    """Delete a link."""
    item.delete()


@transaction.atomic
def booth_office_hours_add(
    *, booth: Booth, weekday: int, opens_at: datetime.time, closes_at: datetime.time
) -> OfficeHours:
    """Add a weekly slot (fair's time zone) that closes after it opens and overlaps none that day."""
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The slot must close after it opens.")})
    locked = Booth.objects.select_for_update().get(pk=booth.pk)
    same_day = OfficeHours.objects.filter(booth=locked, weekday=weekday)
    clash = same_day.filter(opens_at__lt=closes_at, closes_at__gt=opens_at).first()
    if clash is not None:
        raise ValidationError(
            _("This overlaps the slot on %(day)s from %(opens)s to %(closes)s.")
            % {
                "day": Weekday(weekday).label,
                "opens": clash.opens_at.strftime("%H:%M"),
                "closes": clash.closes_at.strftime("%H:%M"),
            },
            code="office_hours_overlap",
        )
    if OfficeHours.objects.filter(booth=locked).count() >= BOOTH_MAX_OFFICE_HOURS:
        raise ValidationError(
            _("A booth can have at most %(limit)s weekly slots.") % {"limit": BOOTH_MAX_OFFICE_HOURS},
            code="office_hours_full",
        )
    return OfficeHours.objects.create(booth=locked, weekday=weekday, opens_at=opens_at, closes_at=closes_at)


def booth_office_hours_remove(*, item: OfficeHours) -> None:
    """Delete a weekly slot."""
    item.delete()


@transaction.atomic
def booth_products_set(*, booth: Booth, products: Iterable[Product]) -> list[BoothProduct]:
    """Choose which catalogue products the booth shows (rows BoothProduct); kept ones keep their order."""
    locked = Booth.objects.select_for_update().select_related("package").get(pk=booth.pk)
    chosen = {product.pk: product for product in products}
    if any(product.company_id != locked.company_id for product in chosen.values()):
        raise ValidationError(_("A booth can show only its own company's products."), code="foreign_product")
    limit = locked.package.max_products
    if len(chosen) > limit:
        raise ValidationError(
            _("Your package shows at most %(limit)s products; you chose %(count)s.")
            % {"limit": limit, "count": len(chosen)},
            code="too_many_products",
        )
    current = list(BoothProduct.objects.filter(booth=locked).order_by("sort_order", "pk"))
    BoothProduct.objects.filter(booth=locked).exclude(product_id__in=chosen).delete()
    kept = [row for row in current if row.product_id in chosen]
    kept_ids = {row.product_id for row in kept}
    added = [
        BoothProduct(booth=locked, product=chosen[pk])
        for pk in sorted(chosen, key=lambda pk: (chosen[pk].sort_order, pk))
        if pk not in kept_ids
    ]
    rows = kept + added
    for position, row in enumerate(rows):
        row.sort_order = position
    if kept:
        BoothProduct.objects.bulk_update(kept, ["sort_order"])
    if added:
        BoothProduct.objects.bulk_create(added)
    # bulk_update and bulk_create send no signal.
    purge_booths([locked.pk], fair_ids=[locked.fair_id])
    return rows


def booth_product_move(*, item: BoothProduct, direction: str) -> None:
    """Move a product the booth shows up or down."""
    sort_order_move(
        siblings=BoothProduct.objects.filter(booth_id=item.booth_id), item=item, direction=direction
    )
