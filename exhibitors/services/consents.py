"""Writes of consents: each change is a new Consent row, so the history of what a person agreed to stays."""

from django.conf import settings

from exhibitors.enums import ConsentKind
from exhibitors.models import Company, Consent, User


def consent_version(kind: str) -> str:
    """The version of the text a consent of this kind refers to (the terms, or the privacy notice)."""
    return settings.FERIA_TERMS_VERSION if kind == ConsentKind.TERMS else settings.FERIA_PRIVACY_VERSION


def consent_record(
    *, user: User, kind: str, granted: bool, ip_address: str | None = None, company: Company | None = None
) -> Consent:
    """Record that the person gave or withdrew a consent, now (a new row; earlier ones are kept). Everything
    that depends on it reads the newest row (selectors.privacy.consent_given), so it applies at once. With
    `company`, the consent is given to that company alone (sharing contact details with it)."""
    kind = ConsentKind(kind)
    return Consent.objects.create(
        user=user,
        kind=kind,
        version=consent_version(kind),
        granted=granted,
        ip_address=ip_address,
        company=company,
    )


def contact_sharing_set(
    *, user: User, company: Company, granted: bool, ip_address: str | None = None
) -> Consent | None:
    """Give or withdraw consent to share the person's contact details (name, company, e-mail, phone) with
    one company; a new Consent row when the decision changes, None when it already stood so."""
    from exhibitors.selectors.privacy import contact_shared_with

    if contact_shared_with(user=user, company=company) == granted:
        return None
    return consent_record(
        user=user, kind=ConsentKind.CONTACT_SHARING, granted=granted, ip_address=ip_address, company=company
    )
