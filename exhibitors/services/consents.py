"""Writes of consents: each change is a new Consent row, so the history of what a person agreed to stays."""

from django.conf import settings

from exhibitors.enums import ConsentKind
from exhibitors.models import Consent, User


def consent_version(kind: str) -> str:
    """The version of the text a consent of this kind refers to (the terms, or the privacy notice)."""
    return settings.FERIA_TERMS_VERSION if kind == ConsentKind.TERMS else settings.FERIA_PRIVACY_VERSION


def consent_record(*, user: User, kind: str, granted: bool, ip_address: str | None = None) -> Consent:
    """Record that the person gave or withdrew a consent, now (a new row; earlier ones are kept). Everything
    that depends on it reads the newest row (selectors.privacy.consent_given), so it applies at once."""
    kind = ConsentKind(kind)
    return Consent.objects.create(
        user=user, kind=kind, version=consent_version(kind), granted=granted, ip_address=ip_address
    )
