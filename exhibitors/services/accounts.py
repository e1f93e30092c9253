from django.conf import settings
from django.db import transaction

from exhibitors.enums import ConsentKind
from exhibitors.models import Consent, User


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
) -> User:
    """Store the sign-up details and record each consent with its time and version."""
    user.first_name = first_name
    user.last_name = last_name
    user.preferred_language = preferred_language
    user.save(update_fields=["first_name", "last_name", "preferred_language"])
    for kind, version, granted in (
        (ConsentKind.TERMS, settings.FERIA_TERMS_VERSION, True),
        (ConsentKind.PRIVACY, settings.FERIA_PRIVACY_VERSION, True),
        (ConsentKind.MARKETING, settings.FERIA_PRIVACY_VERSION, accepted_marketing),
    ):
        Consent.objects.create(user=user, kind=kind, version=version, granted=granted, ip_address=ip_address)
    # The account kind only decides where onboarding sends the person next.
    user._feria_account_kind = account_kind
    return user
