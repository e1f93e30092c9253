"""Reads of one booth's public page: the booth (live or, for its own company, a preview) and its parts."""

from dataclasses import dataclass

from django.db.models import QuerySet
from wagtail.images import get_image_model

from exhibitors.certificates.selectors import certificates_from_json, verified_certificates_subquery
from exhibitors.hs import HSEntry, hs_describe
from exhibitors.models import Booth, BoothProduct, Product
from exhibitors.renditions import rendition_spec, rendition_specs
from fair.models import FairPage
from fair.selectors.directory import fair_booths_live

# The named sizes templates ask for with {% feria_image %}; loaded ahead so no page asks one image at a time.
COVER_SPEC = rendition_spec("cover")
GALLERY_SPEC = rendition_spec("gallery")
# Lite mode shows gallery pictures at the thumbnail size (exhibitors/templatetags/feria_images.py).
THUMB_SPEC = rendition_spec("thumb")
LOGO_SMALL_SPEC = rendition_spec("logo_small")


def booth_live_for_fair(*, fair: FairPage, company_slug: str) -> Booth | None:
    """The company's booth at this fair if it is live, with its fair (the original page), company
    profile, hall, package, logo and cover; None otherwise. Nothing in it depends on who asks: the page's
    personal parts are holes (fair/holes.py)."""
    return _booth_for_page(fair_booths_live(fair), company_slug=company_slug)


def booth_preview_for_fair(*, fair: FairPage, company_slug: str, user) -> Booth | None:
    """The company's booth at this fair, whatever its state, for those who may preview it before it is
    public: the company's people and chamber staff who review applications; None for anyone else."""
    if not user.is_authenticated:
        return None
    booths = Booth.objects.filter(fair__translation_key=fair.translation_key)
    if not user.has_perm("exhibitors.view_boothapplication"):
        booths = booths.filter(company__memberships__user=user)
    return _booth_for_page(booths, company_slug=company_slug)


def _booth_for_page(booths: QuerySet[Booth], *, company_slug: str) -> Booth | None:
    queryset = (
        booths.filter(company__slug=company_slug)
        .select_related("company", "hall", "package", "fair", "logo", "cover")
        .prefetch_related("company__sectors", "company__certifications")
        # The badges ride on the booth's own query: the page has no query to spare (its budget is 15).
        .annotate(certificates_json=verified_certificates_subquery())
    )
    booth = queryset.first()
    if booth is not None:
        booth.company.verified_certificates = certificates_from_json(booth.certificates_json)
    return booth


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


@dataclass(frozen=True)
class GalleryShown:
    """A gallery picture: shown small on the page ({% feria_image image "card" %}), linking to the large one
    ("gallery"); both renditions are loaded with the page's other pictures."""

    caption: str
    alt: str
    image: object


def booth_page_parts(*, booth: Booth) -> dict:
    """The booth's products (in booth order, up to what its package shows), gallery, brochures, links and
    office hours, with renditions for the logo, cover and gallery loaded together."""
    products = BoothProduct.objects.filter(booth=booth).select_related("product").order_by("sort_order", "id")
    products = [
        ProductShown(
            product=item.product,
            chapter=described["chapter"],
            heading=described["heading"],
            subheading=described["subheading"],
        )
        for item in products[: booth.package.max_products]
        for described in [hs_describe(item.product.hs_code)]
    ]
    pictures = list(booth.gallery.select_related("image")[: booth.package.gallery_size])
    attach_renditions(
        [booth.logo, booth.cover, *(item.image for item in pictures)],
        [COVER_SPEC, GALLERY_SPEC, *rendition_specs("logo", "card", "thumb", "logo_small")],
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
