"""Writes about a person: sign-up details and consents, personal settings, the buyer profile."""

import re
import zoneinfo
from collections.abc import Iterable

from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from exhibitors.enums import AccountKind, ConsentKind
from exhibitors.hs import hs_is_prefix
from exhibitors.models import BuyerProfile, Consent, Sector, User
from exhibitors.selectors.accounts import user_by_sign_in_email, user_verified_emails
from exhibitors.services.mail import email_enqueue

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


def sign_in_lockout_notify(*, email: str, ip_address: str | None, reset_url: str) -> bool:
    """Queue an e-mail, in the owner's language, telling the owner of `email` (if it is one of ours) that
    sign-in from `ip_address` is paused after failed attempts on their account, which itself is not locked.
    Returns whether one was queued; an address that is nobody's gets nothing, and the page says the same."""
    user = user_by_sign_in_email(email)
    if user is None:
        return False
    language = user.preferred_language if user.preferred_language in dict(settings.LANGUAGES) else "en"
    # The link was built in the page's language, and resolves only in it: translated before switching.
    reset_url = translate_url(reset_url, language)
    with translation.override(language):
        context = {
            "user": user,
            "email": email,
            "ip_address": ip_address or "?",
            "failures": settings.AXES_FAILURE_LIMIT,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            "reset_url": reset_url,
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = " ".join(render_to_string("account/email/sign_in_paused_subject.txt", context).split())
        body = render_to_string("account/email/sign_in_paused_message.txt", context)
    email_enqueue(
        EmailMessage(subject=subject, body=body, to=[user.email], headers={"Content-Language": language})
    )
    return True


def sign_in_failures_clear(*, user: User) -> int:
    """Forget the failed sign-ins counted against the person's addresses (after they set a new password by
    e-mail); other accounts' failures from the same addresses still count. Returns how many records went."""
    deleted, _per_model = AccessAttempt.objects.filter(username__in=user_verified_emails(user)).delete()
    return deleted


def sign_in_failures_expire() -> int:
    """Delete the records of failed sign-ins whose last failure is older than the cool-off: they no longer
    count, and addresses are not kept longer than needed. Returns how many went."""
    deleted, _per_model = AccessAttempt.objects.filter(
        attempt_time__lt=timezone.now() - settings.AXES_COOLOFF_TIME
    ).delete()
    return deleted
