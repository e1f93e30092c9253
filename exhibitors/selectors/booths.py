"""Reads of booths: whether a booth is live (public), and the booths a company applies with and builds."""

from collections.abc import Callable

from django.apps import apps
from django.db.models import Prefetch, Q, QuerySet
from wagtail.images import get_image_model
from wagtail.models import Locale

from exhibitors.enums import ApplicationStatus
from exhibitors.models import Booth, BoothImage, BoothProduct, Company
from exhibitors.renditions import rendition_spec

# Higher apps add conditions a booth must meet to be public (payments adds "paid, where the package
# has a price"). Each rule returns a Q on Booth.
BOOTH_LIVE_RULES: list[Callable[[], Q]] = []


def booth_live_q() -> Q:
    """The one place that decides whether a booth shows on the public site."""
    condition = Q(application__status=ApplicationStatus.APPROVED, company__closed_at__isnull=True)
    for rule in BOOTH_LIVE_RULES:
        condition &= rule()
    return condition


def booths_live() -> QuerySet[Booth]:
    return Booth.objects.filter(booth_live_q())


def booth_is_live(booth: Booth) -> bool:
    return booths_live().filter(pk=booth.pk).exists()


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


def images_with(size: str) -> QuerySet:
    return get_image_model().objects.prefetch_renditions(rendition_spec(size))


def booth_for_builder(booth_id: int) -> Booth:
    """A booth with everything the builder page shows, in a fixed number of queries."""
    return (
        Booth.objects.select_related("company", "fair", "hall", "package", "application")
        .prefetch_related(
            Prefetch("logo", queryset=images_with("logo")),
            Prefetch("cover", queryset=images_with("cover")),
            Prefetch(
                "gallery",
                queryset=BoothImage.objects.prefetch_related(Prefetch("image", images_with("thumb"))),
            ),
            Prefetch("brochures"),
            Prefetch("links"),
            Prefetch("office_hours"),
            Prefetch("booth_products", queryset=BoothProduct.objects.select_related("product")),
        )
        .get(pk=booth_id)
    )
