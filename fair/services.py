"""Writes for what buyers do while browsing a fair."""

from django.db import IntegrityError, transaction

from exhibitors.models import Booth, Product
from fair.leads.services import favourite_record
from fair.models import Favourite


def favourite_add(*, user, booth: Booth | None = None, product: Product | None = None) -> Favourite:
    """Save a booth or a product to the person's list; saving it twice keeps one row. Writes a Favourite."""
    if (booth is None) == (product is None):
        raise ValueError("Give a booth or a product, not both.")
    lookup = {"booth": booth} if booth is not None else {"product": product}
    try:
        # The savepoint lets a request that lost a race with a double click still read the winner's row.
        with transaction.atomic():
            favourite, created = Favourite.objects.get_or_create(user=user, **lookup)
    except IntegrityError:
        return Favourite.objects.get(user=user, **lookup)
    if created and booth is not None:
        # Saving a booth makes the buyer a lead of its company (fair.leads).
        favourite_record(favourite=favourite)
    return favourite


def favourite_remove(*, user, booth_id: int | None = None, product_id: int | None = None) -> bool:
    """Take a booth or a product off the person's list (by id: it may no longer be on show). Deletes the
    Favourite; False if there was none."""
    if (booth_id is None) == (product_id is None):
        raise ValueError("Give a booth or a product, not both.")
    lookup = {"booth_id": booth_id} if booth_id is not None else {"product_id": product_id}
    deleted, _ = Favourite.objects.filter(user=user, **lookup).delete()
    return deleted > 0


def favourites_erase(user) -> int:
    """Delete all of a person's favourites (their account is being erased); returns how many went."""
    deleted, _per_model = Favourite.objects.filter(user=user).delete()
    return deleted
