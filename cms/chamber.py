"""The chamber's settings for the page header and footer, cached so a page view costs no query for them."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Site

from cms.models import ChamberSettings

CACHE_SECONDS = 300
GENERATION_KEY = "feria:chamber:generation"


def chamber_for_request(request) -> ChamberSettings | None:
    """The settings of the site serving this request (cached per host until the settings change)."""
    host = request.get_host()
    found = cache.get(_key(host))
    if found is None:
        site = Site.find_for_request(request)
        # Reading the settings may create their row, which bumps the generation: key it afterwards.
        found = ChamberSettings.for_site(site) if site is not None else ChamberSettings()
        cache.set(_key(host), found, CACHE_SECONDS)
    return found


def default_chamber_name() -> str:
    """The chamber name of the default site (for e-mails, which have no request to find a site by)."""
    key = _key("default-site-name")
    name = cache.get(key)
    if name is None:
        site = Site.objects.filter(is_default_site=True).first()
        name = ChamberSettings.for_site(site).chamber_name if site is not None else ""
        cache.set(key, name, CACHE_SECONDS)
    return name


STAFF_TWO_FACTOR_KEY = "feria:chamber:staff-two-factor"


def staff_two_factor_required(request=None) -> bool:
    """Whether the chamber requires two-factor sign-in of its staff: cached until the settings change (then
    the next admin page anyone opens applies it); staff signing in read it, so admin pages find it cached."""
    required = cache.get(STAFF_TWO_FACTOR_KEY)
    if required is None:
        required = ChamberSettings.objects.filter(
            site__is_default_site=True, require_staff_two_factor=True
        ).exists()
        cache.set(STAFF_TWO_FACTOR_KEY, required, None)
    return required


def _key(host: str) -> str:
    return f"feria:chamber:{cache.get_or_set(GENERATION_KEY, 0, None)}:{host}"


@receiver(post_save, sender=ChamberSettings)
@receiver(post_delete, sender=ChamberSettings)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def _forget_cached_chamber(**kwargs) -> None:
    cache.delete(STAFF_TWO_FACTOR_KEY)
    # A new generation makes every host's cached copy stale at once.
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)
