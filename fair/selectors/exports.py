"""The fair app's section of a person's data export (registered in fair.apps): their favourites."""

from fair.models import Favourite


def person_favourites(*, person) -> list[dict]:
    favourites = Favourite.objects.filter(user=person).select_related("booth__company", "product__company")
    return [
        {
            "saved_at": favourite.created_at,
            "kind": "booth" if favourite.booth_id else "product",
            "booth_id": favourite.booth_id,
            "product_id": favourite.product_id,
            "name": str(favourite.booth.company) if favourite.booth_id else favourite.product.name,
            "company": str(favourite.booth.company if favourite.booth_id else favourite.product.company),
        }
        for favourite in favourites.order_by("created_at", "id")
    ]


def export_sections_register() -> None:
    from exhibitors.services.exports import export_section_register

    export_section_register("favourites", person=person_favourites)
