"""What the buyer's suggestions are based on: their profile's matchmaking fields and whether exhibitors may
find them."""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

from exhibitors.enums import ConsentKind
from exhibitors.models import BuyerProfile, Certification, Consent, Sector, User
from exhibitors.services.accounts import hs_codes_validate
from fair.matchmaking.selectors.facts import user_is_discoverable


@transaction.atomic
def buyer_preferences_save(
    *,
    user: User,
    profile: BuyerProfile,
    sectors: Iterable[Sector],
    hs_codes: Iterable[str],
    keywords: str,
    looking_for: str,
    target_certifications: Iterable[Certification],
    origin_countries: list[str],
    order_size: str,
    personalised: bool,
    discoverable: bool,
    ip_address: str | None = None,
) -> BuyerProfile:
    """Save the profile's matchmaking fields (replacing sectors and certifications); when the answer about
    being found by exhibitors changed, record it as a consent with its time and version."""
    profile.hs_codes = hs_codes_validate(hs_codes)
    profile.keywords = keywords
    profile.looking_for = looking_for
    profile.origin_countries = origin_countries
    profile.order_size = order_size
    profile.personalised = personalised
    profile.save(
        update_fields=[
            "hs_codes",
            "keywords",
            "looking_for",
            "origin_countries",
            "order_size",
            "personalised",
        ]
    )
    profile.sectors.set(list(sectors))
    profile.target_certifications.set(list(target_certifications))
    buyer_discoverable_set(user=user, discoverable=discoverable, ip_address=ip_address)
    return profile


def buyer_discoverable_set(*, user: User, discoverable: bool, ip_address: str | None = None) -> bool:
    """Record that exhibitors may (or may no longer) find the person, if that changes anything; returns
    whether a consent row was written. Takes effect at once: lists read the latest row on every request."""
    if user_is_discoverable(user) == discoverable:
        return False
    Consent.objects.create(
        user=user,
        kind=ConsentKind.DISCOVERABLE,
        version=settings.FERIA_PRIVACY_VERSION,
        granted=discoverable,
        ip_address=ip_address,
    )
    return True
