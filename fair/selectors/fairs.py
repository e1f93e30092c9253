"""Reads of fairs: the home page's fairs, one fair by slug and language, and a fair page's context.

Booths, halls and packages point at the fair's original-language page; a translated copy shares its
translation_key, which is how these reads reach them from any language without loading the original first.
"""

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Lower
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.images import get_image_model
from wagtail.models import Locale

from exhibitors.renditions import rendition_specs
from fair.enums import FairPhase
from fair.models import FairPage, Hall
from fair.selectors.directory import booth_cards, fair_booths_live

PROMOTED_LIMIT = 12


# --- Fairs ---


def fair_live_by_slug(*, slug: str, language_code: str) -> FairPage | None:
    """A published, unrestricted fair page by slug, in the given language where it is translated, else
    in the site's main language (as Wagtail's own routing falls back), found in one query."""
    candidates = list(
        FairPage.objects.live()
        .public()
        .filter(slug=slug, locale__language_code__in={language_code, settings.LANGUAGE_CODE})
        .select_related("locale")
    )
    for fair in candidates:
        if fair.locale.language_code == language_code:
            return fair
    return candidates[0] if candidates else None


def fair_original(fair: FairPage) -> FairPage:
    """The fair page in the default locale; the one booths, halls and packages point at. One query."""
    default_language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    original = FairPage.objects.filter(
        translation_key=fair.translation_key, locale__language_code=default_language
    ).first()
    return original or fair


def fairs_for_home(*, locale: Locale) -> dict:
    """Live and upcoming fairs in the visitor's locale (falling back to the default-language page), with
    their covers' renditions loaded."""
    now = timezone.now()
    default = Locale.get_default()
    image_model = get_image_model()
    pages = (
        FairPage.objects.live()
        .public()
        .filter(locale__in={locale.pk, default.pk}, ends_at__gt=now, closed_early=False)
        .prefetch_related(
            # The card, and the thumbnail lite mode shows instead (exhibitors/templatetags/feria_images.py).
            Prefetch(
                "cover_image",
                queryset=image_model.objects.prefetch_renditions(*rendition_specs("card", "thumb")),
            )
        )
        .order_by("starts_at", "pk")
    )
    chosen: dict = {}
    for page in pages:
        if page.translation_key not in chosen or page.locale_id == locale.pk:
            chosen[page.translation_key] = page
    fairs = sorted(chosen.values(), key=lambda page: (page.starts_at, page.pk))
    live = [fair for fair in fairs if fair.phase_at(now) == FairPhase.LIVE]
    upcoming = [fair for fair in fairs if fair.phase_at(now) != FairPhase.LIVE]
    return {"live_fairs": live, "upcoming_fairs": upcoming}


def fair_page_context(*, fair: FairPage) -> dict:
    """What the fair page shows: dates and phase (from the original), halls, featured and sponsored booths."""
    original = fair_original(fair)
    live = fair_booths_live(fair)
    halls = list(
        Hall.objects.filter(fair=original).annotate(
            live_booths=Count("booths", filter=Q(booths__in=live.values("pk")))
        )
    )
    promoted = list(
        booth_cards(live.filter(Q(featured=True) | Q(package__sponsored=True))).order_by(
            Lower("company__legal_name"), "pk"
        )
    )
    featured = [booth for booth in promoted if booth.featured][:PROMOTED_LIMIT]
    # A booth the chamber featured is shown once, in "Featured", still carrying its "Sponsored" label.
    sponsored = [booth for booth in promoted if booth.package.sponsored and not booth.featured][
        :PROMOTED_LIMIT
    ]
    return {
        "fair_original": original,
        "phase": FairPhase(original.phase),
        "halls": halls,
        "exhibitor_count": sum(hall.live_booths for hall in halls),
        "featured_booths": featured,
        "sponsored_booths": sponsored,
    }
