"""Reads for fairs and what buyers browse."""

from django.utils import timezone
from wagtail.models import Locale

from fair.enums import FairPhase
from fair.models import FairPage


def fair_original(fair: FairPage) -> FairPage:
    """The fair page in the default locale; the one booths, halls and packages point at."""
    default = Locale.get_default()
    if fair.locale_id == default.id:
        return fair
    original = FairPage.objects.filter(translation_key=fair.translation_key, locale=default).first()
    return original or fair


def fairs_for_home(*, locale) -> dict:
    """Live and upcoming fairs in the visitor's locale (falling back to the default-language page)."""
    now = timezone.now()
    pages = list(
        FairPage.objects.live()
        .public()
        .filter(locale=locale, ends_at__gt=now, closed_early=False)
        .order_by("starts_at")
    )
    live = [fair for fair in pages if fair.phase_at(now) == FairPhase.LIVE]
    upcoming = [fair for fair in pages if fair.phase_at(now) != FairPhase.LIVE]
    return {"live_fairs": live, "upcoming_fairs": upcoming}


def fair_page_context(*, fair: FairPage, request) -> dict:
    original = fair_original(fair)
    return {"fair_original": original, "halls": list(original.halls.all())}
