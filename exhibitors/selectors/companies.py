"""Reads for companies, catalogues and booths."""

from collections.abc import Callable

from django.db.models import Q, QuerySet

from exhibitors.enums import ApplicationStatus
from exhibitors.models import Booth, Membership

# Higher apps add conditions a booth must meet to be public (payments adds "paid, where the package
# has a price"). Each rule returns a Q on Booth.
BOOTH_LIVE_RULES: list[Callable[[], Q]] = []


def booth_live_q() -> Q:
    """The one place that decides whether a booth shows on the public site."""
    condition = Q(application__status=ApplicationStatus.APPROVED)
    for rule in BOOTH_LIVE_RULES:
        condition &= rule()
    return condition


def booths_live() -> QuerySet[Booth]:
    return Booth.objects.filter(booth_live_q())


def booth_is_live(booth: Booth) -> bool:
    return booths_live().filter(pk=booth.pk).exists()


def companies_of_user(user) -> QuerySet:
    from exhibitors.models import Company

    if not user.is_authenticated:
        return Company.objects.none()
    return Company.objects.filter(memberships__user=user)


def membership_for(*, user, company_id: int) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.select_related("company").filter(user=user, company_id=company_id).first()
