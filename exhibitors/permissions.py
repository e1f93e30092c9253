"""Per-object access: an exhibitor reaches only its own company's rows; anything else is a 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from exhibitors.enums import MembershipRole
from exhibitors.models import Booth, Company, Membership, PrivateFile, Product


def membership_or_404(*, user, company_id: int, owner: bool = False) -> Membership:
    """The person's membership of the company (an owner's, if `owner`), else 404."""
    if not user.is_authenticated:
        raise Http404
    queryset = Membership.objects.select_related("company").filter(user=user, company_id=company_id)
    if owner:
        queryset = queryset.filter(role=MembershipRole.OWNER)
    membership = queryset.first()
    if membership is None:
        raise Http404
    return membership


def company_or_404(*, user, company_id: int, owner: bool = False) -> Company:
    return membership_or_404(user=user, company_id=company_id, owner=owner).company


def booth_or_404(*, user, booth_id: int) -> Booth:
    return get_object_or_404(
        Booth.objects.select_related("company", "fair", "hall", "package", "application"),
        pk=booth_id,
        company__memberships__user=user,
    )


def product_or_404(*, user, product_id: int) -> Product:
    return get_object_or_404(
        Product.objects.select_related("company"), pk=product_id, company__memberships__user=user
    )


def private_file_or_404(*, user, public_id) -> PrivateFile:
    """A private file the person may read: the chamber's staff (permission "view private file") read every
    one; otherwise only members of the company it belongs to, or its uploader when it belongs to no company.
    Anyone else, signed in or not, gets 404, as if it did not exist."""
    if not user.is_authenticated:
        raise Http404
    found = get_object_or_404(PrivateFile, public_id=public_id)
    if user.has_perm("exhibitors.view_privatefile"):
        return found
    if found.company_id is not None:
        if Membership.objects.filter(user=user, company_id=found.company_id).exists():
            return found
    elif found.uploaded_by_id == user.pk:
        return found
    raise Http404
