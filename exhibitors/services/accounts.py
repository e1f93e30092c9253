"""Writes about a person: sign-up details and consents, personal settings, the buyer profile."""

import re
import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from exhibitors.enums import AccountKind, ConsentKind
from exhibitors.hs import hs_is_prefix
from exhibitors.models import BuyerProfile, Consent, Sector, User

# The session key where sign-up remembers which path (exhibitor or buyer) the person chose.
ACCOUNT_KIND_SESSION_KEY = "feria_account_kind"

_HS_SEPARATORS = re.compile(r"[\s,;]+")


@transaction.atomic
def user_complete_signup(
    *,
    user: User,
    first_name: str,
    last_name: str,
    account_kind: str,
    preferred_language: str,
    accepted_marketing: bool,
    ip_address: str | None,
    time_zone: str = "",
) -> User:
    """Store the sign-up details (a time zone only if it is a real one) and record each consent with its
    time and version."""
    user.first_name = first_name
    user.last_name = last_name
    user.preferred_language = preferred_language
    fields = ["first_name", "last_name", "preferred_language"]
    if time_zone and time_zone in zoneinfo.available_timezones():
        user.time_zone = time_zone
        fields.append("time_zone")
    user.save(update_fields=fields)
    for kind, version, granted in (
        (ConsentKind.TERMS, settings.FERIA_TERMS_VERSION, True),
        (ConsentKind.PRIVACY, settings.FERIA_PRIVACY_VERSION, True),
        (ConsentKind.MARKETING, settings.FERIA_PRIVACY_VERSION, accepted_marketing),
    ):
        Consent.objects.create(user=user, kind=kind, version=version, granted=granted, ip_address=ip_address)
    # The account kind only decides where onboarding sends the person next.
    user._feria_account_kind = AccountKind(account_kind)
    return user


def user_update_settings(
    *, user: User, first_name: str, last_name: str, preferred_language: str, time_zone: str
) -> User:
    """Save the person's name, language (used for their e-mails) and time zone (used to show times)."""
    if preferred_language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose one of the languages offered."), code="language")
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(_("Choose one of the time zones offered."), code="time_zone") from error
    user.first_name = first_name
    user.last_name = last_name
    user.preferred_language = preferred_language
    user.time_zone = time_zone
    user.save(update_fields=["first_name", "last_name", "preferred_language", "time_zone"])
    return user


def hs_codes_parse(text: str) -> list[str]:
    """Split what a person typed ("0901, 1801.00 0803") into codes, dots removed, duplicates dropped."""
    codes: list[str] = []
    for raw in _HS_SEPARATORS.split(text or ""):
        code = raw.replace(".", "").strip()
        if code and code not in codes:
            codes.append(code)
    return codes


def hs_codes_validate(codes: Iterable[str]) -> list[str]:
    """Each code must be an existing HS chapter (2 digits), heading (4) or subheading (6)."""
    codes = list(codes)
    unknown = [code for code in codes if not hs_is_prefix(code)]
    if unknown:
        raise ValidationError(
            _(
                "These are not HS chapters, headings or subheadings (2, 4 or 6 digits of the HS 2022 "
                "nomenclature): %(codes)s"
            ),
            code="hs_unknown",
            params={"codes": ", ".join(unknown)},
        )
    return codes


@transaction.atomic
def buyer_profile_save(
    *,
    user: User,
    company_name: str,
    country: str,
    sectors: Iterable[Sector],
    hs_codes: Iterable[str],
    keywords: str,
    looking_for: str,
    looking_for_language: str,
) -> BuyerProfile:
    """Create or update the person's buyer profile (one per person); replaces its sectors."""
    codes = hs_codes_validate(hs_codes)
    profile, _created = BuyerProfile.objects.update_or_create(
        user=user,
        defaults={
            "company_name": company_name,
            "country": country,
            "hs_codes": codes,
            "keywords": keywords,
            "looking_for": looking_for,
            "looking_for_language": looking_for_language,
        },
    )
    profile.sectors.set(list(sectors))
    return profile
