"""The printable fair catalogue: every live booth with its products, public contacts and office hours."""

from dataclasses import dataclass

from django.db.models import Prefetch

from exhibitors.models import Booth, BoothProduct, OfficeHours
from exhibitors.renditions import rendition_found
from fair.models import FairPage
from fair.selectors.directory import booth_cards, fair_booths_live


@dataclass(frozen=True)
class CatalogueEntry:
    booth: Booth
    products: list
    office_hours: list[OfficeHours]
    # The stored name of the logo's small rendition (the PDF downscales it further), or "".
    logo_file: str


def catalogue_entries(*, fair: FairPage, user) -> list[CatalogueEntry]:
    """The fair's live booths in hall and name order, each with its products (in booth order, up to its
    package's limit) and office hours, in a fixed number of queries."""
    booths = (
        booth_cards(fair_booths_live(fair))
        .prefetch_related(
            Prefetch(
                "booth_products",
                queryset=BoothProduct.objects.select_related("product").order_by("sort_order", "id"),
                to_attr="catalogue_products",
            ),
            Prefetch(
                "office_hours", queryset=OfficeHours.objects.order_by("weekday", "opens_at"), to_attr="hours"
            ),
        )
        .order_by("hall__sort_order", "hall__name", "company__legal_name")
    )
    entries = []
    for booth in booths:
        # Both logo renditions came with the cards (no query); the small one is enough for print.
        logo = (
            (rendition_found(booth.logo, "logo_small") or rendition_found(booth.logo, "logo"))
            if booth.logo
            else None
        )
        entries.append(
            CatalogueEntry(
                booth=booth,
                products=[item.product for item in booth.catalogue_products[: booth.package.max_products]],
                office_hours=booth.hours,
                logo_file=logo.file.name if logo is not None else "",
            )
        )
    return entries
