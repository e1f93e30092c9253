"""Reads for the person's privacy page: their consents (newest decision per kind, and the history), the
data exports they asked for, and who may receive consent-dependent e-mails."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import BooleanField, Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from exhibitors.enums import ConsentKind, MembershipRole
from exhibitors.models import Company, Consent, DataExport, Membership, User


@dataclass
class ConsentState:
    kind: str
    label: str
    granted: bool
    recorded_at: datetime | None
    version: str
    history: list[Consent] = field(default_factory=list)


def consent_states(user: User) -> list[ConsentState]:
    """Every consent kind in the enum's order, with the person's newest decision and its history (newest
    first); a kind never asked about reads as not given. One query."""
    rows = list(Consent.objects.filter(user=user, company__isnull=True).order_by("-recorded_at", "-id"))
    states = []
    for kind in ConsentKind:
        history = [row for row in rows if row.kind == kind]
        newest = history[0] if history else None
        states.append(
            ConsentState(
                kind=kind.value,
                label=str(kind.label),
                granted=bool(newest and newest.granted),
                recorded_at=newest.recorded_at if newest else None,
                version=newest.version if newest else "",
                history=history,
            )
        )
    return states


def _newest_granted(kind: str):
    newest = Consent.objects.filter(user=OuterRef("pk"), kind=kind, company__isnull=True).order_by(
        "-recorded_at", "-id"
    )
    return Subquery(newest.values("granted")[:1])


def consent_given(user: User, kind: str) -> bool:
    """Whether the person's newest decision on `kind` is yes (never asked: no)."""
    newest = (
        Consent.objects.filter(user=user, kind=kind, company__isnull=True)
        .order_by("-recorded_at", "-id")
        .first()
    )
    return bool(newest and newest.granted)


def contact_shared_expression(*, user_ref, company_ref):
    """A boolean expression for querysets: whether the person (`user_ref`, e.g. OuterRef("buyer_id")) shares
    their contact details with the company (`company_ref`) now, i.e. their newest per-company decision is
    yes. An erased person has no consents left, so it reads no."""
    newest = Consent.objects.filter(
        user=user_ref, company=company_ref, kind=ConsentKind.CONTACT_SHARING
    ).order_by("-recorded_at", "-id")
    return Coalesce(Subquery(newest.values("granted")[:1]), Value(False), output_field=BooleanField())


def contact_shared_with(*, user: User, company: Company) -> bool:
    """Whether the person shares their contact details with this company now (newest decision yes)."""
    newest = (
        Consent.objects.filter(user=user, company=company, kind=ConsentKind.CONTACT_SHARING)
        .order_by("-recorded_at", "-id")
        .first()
    )
    return bool(newest and newest.granted)


@dataclass
class CompanyConsent:
    company: Company
    granted: bool
    recorded_at: datetime


def contact_sharing_companies(user: User) -> list[CompanyConsent]:
    """Every company the person ever decided about sharing their contact details with, with the newest
    decision (given or withdrawn) and when, by company name. One query."""
    rows = (
        Consent.objects.filter(user=user, kind=ConsentKind.CONTACT_SHARING, company__isnull=False)
        .select_related("company")
        .order_by("-recorded_at", "-id")
    )
    seen: dict[int, CompanyConsent] = {}
    for row in rows:
        if row.company_id not in seen:
            seen[row.company_id] = CompanyConsent(
                company=row.company, granted=row.granted, recorded_at=row.recorded_at
            )
    return sorted(seen.values(), key=lambda item: item.company.legal_name.lower())


def users_consenting(kind: str, users: QuerySet | None = None) -> QuerySet:
    """The active, not erased people among `users` whose newest decision on `kind` is yes: whoever sends
    e-mails about fairs (ConsentKind.MARKETING) or hands contact details to a company filters through this."""
    users = users if users is not None else User.objects.all()
    return (
        users.filter(is_active=True, erased_at__isnull=True)
        .annotate(_consenting=_newest_granted(kind))
        .filter(_consenting=True)
    )


def data_exports_for(*, user: User, company: Company | None = None) -> list[DataExport]:
    """The person's exports (of themselves, or of `company`) that are not expired, newest first."""
    return list(
        DataExport.objects.filter(user=user, company=company)
        .exclude(expires_at__lte=timezone.now())
        .order_by("-created_at", "-id")[:5]
    )


def owned_companies(user: User) -> list[Company]:
    """The companies the person owns (they may export them)."""
    return [
        membership.company
        for membership in Membership.objects.filter(user=user, role=MembershipRole.OWNER)
        .select_related("company")
        .order_by("company__legal_name")
    ]


def companies_left_without_owner(user: User) -> list[Company]:
    """The companies of which the person is the only owner: they must hand them over or close them before
    their account can be erased."""
    other_owner = Membership.objects.filter(company=OuterRef("company"), role=MembershipRole.OWNER).exclude(
        user=user
    )
    return [
        membership.company
        for membership in Membership.objects.filter(user=user, role=MembershipRole.OWNER)
        .annotate(has_other=Exists(other_owner))
        .filter(has_other=False)
        .select_related("company")
        .order_by("company__legal_name")
    ]
