"""Moving one row of an ordered list (gallery, brochures, products) up or down."""

from django.db import transaction
from django.db.models import QuerySet

from exhibitors.cache_tags import purge_rows

UP = "up"
DOWN = "down"


@transaction.atomic
def sort_order_move(*, siblings: QuerySet, item, direction: str) -> None:
    """Swap the item with its neighbour and renumber the list 0..n (writes sort_order on every sibling)."""
    if direction not in (UP, DOWN):
        raise ValueError(f"unknown direction {direction!r}")
    rows = list(siblings.select_for_update().order_by("sort_order", "pk"))
    index = next((i for i, row in enumerate(rows) if row.pk == item.pk), None)
    if index is None:
        raise ValueError("the item is not in the list")
    other = index - 1 if direction == UP else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    changed = []
    for position, row in enumerate(rows):
        if row.sort_order != position:
            row.sort_order = position
            changed.append(row)
    if changed:
        type(item).objects.bulk_update(changed, ["sort_order"])
        # bulk_update sends no signal: the pages showing the list are purged here.
        purge_rows(changed)


def sort_order_next(siblings: QuerySet) -> int:
    """The position after the last row of the list."""
    last = siblings.order_by("-sort_order").values_list("sort_order", flat=True).first()
    return 0 if last is None else last + 1
