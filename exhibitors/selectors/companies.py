"""Reads of companies and their members."""

from django.db.models import QuerySet

from exhibitors.models import Membership


def companies_of_user(user) -> QuerySet:
    from exhibitors.models import Company

    if not user.is_authenticated:
        return Company.objects.none()
    return Company.objects.filter(memberships__user=user)


def membership_for(*, user, company_id: int) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.select_related("company").filter(user=user, company_id=company_id).first()
