"""Reads for publishing and choosing meeting times."""

from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet

from exhibitors.models import Booth, Company, Membership
from exhibitors.selectors.booths import booths_live
from fair.meetings.enums import SLOT_HOLDING
from fair.meetings.models import BuyerAvailability, Meeting, MeetingSlot


def _held():
    return Meeting.objects.filter(slot=OuterRef("pk"), status__in=SLOT_HOLDING)


def company_slots(*, company, fair) -> QuerySet[MeetingSlot]:
    """All the company's slots at the fair, each annotated `taken` (a request or meeting holds it)."""
    return (
        MeetingSlot.objects.filter(company=company, fair=fair)
        .select_related("staff")
        .annotate(taken=Exists(_held()))
        .order_by("starts_at", "pk")
    )


def free_slots(*, company, fair, now: datetime) -> QuerySet[MeetingSlot]:
    """The slots a buyer can still request: not started and not held by a request or meeting."""
    return (
        MeetingSlot.objects.filter(company=company, fair=fair, starts_at__gt=now)
        .exclude(Exists(_held()))
        .select_related("staff")
        .order_by("starts_at", "pk")
    )


def buyer_availability(*, buyer, fair) -> QuerySet[BuyerAvailability]:
    return (
        BuyerAvailability.objects.filter(buyer=buyer, fair=fair)
        .annotate(taken=Exists(Meeting.objects.filter(buyer_slot=OuterRef("pk"), status__in=SLOT_HOLDING)))
        .order_by("starts_at", "pk")
    )


def free_buyer_availability(*, buyer, fair, now: datetime) -> QuerySet[BuyerAvailability]:
    return (
        BuyerAvailability.objects.filter(buyer=buyer, fair=fair, starts_at__gt=now)
        .exclude(Exists(Meeting.objects.filter(buyer_slot=OuterRef("pk"), status__in=SLOT_HOLDING)))
        .order_by("starts_at", "pk")
    )


def buyers_available(*, fair, now: datetime):
    """Buyers who published availability at the fair still to come (they opted in to be found)."""
    from exhibitors.models import User

    future = BuyerAvailability.objects.filter(fair=fair, buyer=OuterRef("pk"), ends_at__gt=now)
    return User.objects.filter(Exists(future)).select_related("buyer_profile").order_by("first_name", "pk")


def has_published_availability(*, buyer_id: int, fair) -> bool:
    return BuyerAvailability.objects.filter(fair=fair, buyer_id=buyer_id).exists()


def staff_companies_at_fair(*, user, fair) -> QuerySet[Company]:
    """The companies the person belongs to that have a live booth at the fair."""
    if not user.is_authenticated:
        return Company.objects.none()
    live = booths_live().filter(fair=fair, company=OuterRef("pk"))
    return Company.objects.filter(memberships__user=user).filter(Exists(live)).distinct()


def company_has_booth(*, company, fair) -> bool:
    return Booth.objects.filter(company=company, fair=fair).exists()


def company_members(*, company) -> QuerySet:
    from exhibitors.models import User

    return User.objects.filter(
        pk__in=Membership.objects.filter(company=company).values("user_id"), is_active=True
    ).order_by("first_name", "last_name", "pk")


def booth_products(*, company, fair):
    """The products the company shows in its booth at the fair (what a buyer's agenda can name)."""
    from exhibitors.models import Product

    booth = Booth.objects.filter(company=company, fair=fair).first()
    if booth is None:
        return Product.objects.none()
    return booth.products.all().order_by("name", "pk")


def fairs_open_for_meetings(*, now: datetime) -> list:
    """Live or upcoming fairs (original pages) with booths, whose meeting days are not over."""
    from fair.models import FairPage

    return list(
        FairPage.objects.live()
        .filter(ends_at__gt=now, closed_early=False, pk__in=Booth.objects.values("fair_id"))
        .order_by("starts_at", "pk")
    )


def buyers_meeting_fairs(*, company, buyer_ids: list[int], now: datetime) -> dict[int, list[dict]]:
    """{buyer id: [{"id", "title"} of each fair where the company has a live booth and the buyer has a free
    published time still to come]}, in one query; a buyer with none is left out."""
    if not buyer_ids:
        return {}
    live_fairs = booths_live().filter(company=company).values("fair_id")
    rows = (
        BuyerAvailability.objects.filter(buyer_id__in=buyer_ids, fair_id__in=live_fairs, starts_at__gt=now)
        .exclude(Exists(Meeting.objects.filter(buyer_slot=OuterRef("pk"), status__in=SLOT_HOLDING)))
        .values_list("buyer_id", "fair_id", "fair__title")
        .order_by("buyer_id", "fair__title", "fair_id")
        .distinct()
    )
    found: dict[int, list[dict]] = {}
    for buyer_id, fair_id, title in rows:
        found.setdefault(buyer_id, []).append({"id": fair_id, "title": title})
    return found
