"""Which writes purge which cached pages (exhibitors/cache_tags.py names the tags).

Model signals catch every save and delete of what public pages show, whichever service, form or admin view
made it: a booth and what hangs off it (application, products chosen, gallery, brochures, links, office
hours, its fee order), a company (with its sectors and certifications), its products and certificates, a
fair's halls and packages, suspensions, the reference lists, the chamber's settings, images, and Wagtail
pages (published, unpublished, deleted, moved, renamed). Writes that send no signal (`QuerySet.update`,
`bulk_update`, `bulk_create`) call exhibitors.cache_tags' `purge_booths` / `purge_companies` / `purge_rows` /
`purge_fair_ids` themselves where they touch something shown (exhibitors/services/ordering.py,
booth_products_set, suspension_lift).
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from exhibitors.cache_tags import (
    FAIRS,
    SITE,
    purge,
    purge_booths,
    purge_companies,
    purge_fair_ids,
    purge_products,
    tag_company,
    tag_fair,
    tag_image,
    tag_page,
)

# --- Model receivers ---


def _booth_changed(sender, instance, **kwargs) -> None:
    purge_booths([instance.pk], fair_ids=[instance.fair_id])


def _booth_part_changed(sender, instance, **kwargs) -> None:
    purge_booths([instance.booth_id])


def _company_changed(sender, instance, **kwargs) -> None:
    purge_companies([instance.pk])


def _company_part_changed(sender, instance, **kwargs) -> None:
    purge_companies([instance.company_id])


def _product_part_changed(sender, instance, **kwargs) -> None:
    purge_products([instance.product_id])


def _fair_part_changed(sender, instance, **kwargs) -> None:
    purge_fair_ids([instance.fair_id], page=True)


def _order_changed(sender, instance, **kwargs) -> None:
    # A booth fee paid (or its order changed) can take the booth live.
    if getattr(instance, "booth_id", None):
        purge_booths([instance.booth_id])


def _suspension_changed(sender, instance, **kwargs) -> None:
    if instance.company_id:
        purge(tag_company(instance.company_id))
        purge_fair_ids([instance.fair_id])


def _site_changed(sender, **kwargs) -> None:
    purge(SITE)


def _company_m2m_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if reverse:
        # From the other side (a certification's companies): the companies are in pk_set.
        if pk_set is None:
            purge(SITE)
        else:
            purge_companies(pk_set)
        return
    purge_companies([instance.pk])


def _product_m2m_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if reverse and pk_set is None:
        purge(SITE)
    elif reverse:
        purge_products(pk_set)
    else:
        purge_companies([instance.company_id])


def _certificate_products_changed(sender, instance, action, **kwargs) -> None:
    # A certificate and its products belong to one company: either side (certificate or product) names it.
    if action.startswith("post_"):
        purge_companies([instance.company_id])


def _image_changed(sender, instance, created=False, **kwargs) -> None:
    # A new image shows nowhere yet (what it is attached to purges); an edited or deleted one changes or
    # breaks every page showing it (each {% feria_image %} names its image).
    if not created:
        purge(tag_image(instance.pk))


# --- Wagtail pages ---


def _page_tags(page) -> list[str]:
    tags = [tag_page(page.translation_key)]
    if issubclass(page.specific_class or type(page), apps.get_model("fair", "FairPage")):
        tags += [FAIRS, tag_fair(page.translation_key)]
    return tags


def _page_published(sender, instance, **kwargs) -> None:
    purge(*_page_tags(instance))


def _page_unpublished(sender, instance, **kwargs) -> None:
    purge(*_page_tags(instance))


def _page_deleted(sender, instance, **kwargs) -> None:
    # Sent for the page's own class and for Page (its parent table): both name the same tags.
    purge(*_page_tags(instance))


def _page_tree_changed(sender, **kwargs) -> None:
    # A page moved or renamed: its address and its descendants' changed, and links to them everywhere.
    purge(SITE)


BOOTH_PARTS = ("BoothApplication", "BoothProduct", "BoothImage", "BoothDocument", "BoothLink", "OfficeHours")


def connect() -> None:
    """Connect the receivers (CmsConfig.ready). Only for the models named, so deletes of anything else keep
    Django's fast path."""
    model = apps.get_model
    Booth = model("exhibitors", "Booth")
    Company = model("exhibitors", "Company")
    Product = model("exhibitors", "Product")
    Certificate = model("certificates", "Certificate")
    for when, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_booth_changed, sender=Booth, dispatch_uid=f"page-cache-booth-{when}")
        for name in BOOTH_PARTS:
            signal.connect(
                _booth_part_changed,
                sender=model("exhibitors", name),
                dispatch_uid=f"page-cache-{name}-{when}",
            )
        signal.connect(_company_changed, sender=Company, dispatch_uid=f"page-cache-company-{when}")
        for part in (Product, Certificate):
            signal.connect(
                _company_part_changed, sender=part, dispatch_uid=f"page-cache-{part.__name__}-{when}"
            )
        signal.connect(
            _product_part_changed,
            sender=model("exhibitors", "ProductImage"),
            dispatch_uid=f"page-cache-productimage-{when}",
        )
        for name in ("Hall", "BoothPackage"):
            signal.connect(
                _fair_part_changed, sender=model("fair", name), dispatch_uid=f"page-cache-{name}-{when}"
            )
        signal.connect(
            _order_changed, sender=model("payments", "Order"), dispatch_uid=f"page-cache-order-{when}"
        )
        signal.connect(
            _suspension_changed,
            sender=model("complaints", "FairSuspension"),
            dispatch_uid=f"page-cache-suspension-{when}",
        )
        for site_wide in (
            model("exhibitors", "Sector"),
            model("exhibitors", "Certification"),
            model("cms", "ChamberSettings"),
            Site,
        ):
            signal.connect(
                _site_changed, sender=site_wide, dispatch_uid=f"page-cache-{site_wide.__name__}-{when}"
            )
    Image = get_image_model()
    post_save.connect(_image_changed, sender=Image, dispatch_uid="page-cache-image-save")
    pre_delete.connect(_image_changed, sender=Image, dispatch_uid="page-cache-image-delete")
    m2m_changed.connect(
        _company_m2m_changed, sender=Company.sectors.through, dispatch_uid="page-cache-company-sectors"
    )
    m2m_changed.connect(
        _company_m2m_changed,
        sender=Company.certifications.through,
        dispatch_uid="page-cache-company-certifications",
    )
    m2m_changed.connect(
        _product_m2m_changed,
        sender=Product.certifications.through,
        dispatch_uid="page-cache-product-certifications",
    )
    m2m_changed.connect(
        _certificate_products_changed,
        sender=Certificate.products.through,
        dispatch_uid="page-cache-certificate-products",
    )
    page_published.connect(_page_published, dispatch_uid="page-cache-published")
    page_unpublished.connect(_page_unpublished, dispatch_uid="page-cache-unpublished")
    post_page_move.connect(_page_tree_changed, dispatch_uid="page-cache-moved")
    page_slug_changed.connect(_page_tree_changed, dispatch_uid="page-cache-slug")
    for page_model in [Page, *(m for m in apps.get_models() if issubclass(m, Page) and m is not Page)]:
        uid = f"page-cache-delete-{page_model._meta.label}"
        post_delete.connect(_page_deleted, sender=page_model, dispatch_uid=uid)
