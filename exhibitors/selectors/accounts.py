"""Reads for people: their addresses, their companies and colleagues, their buyer profile, their dashboard."""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Locale, Page

from exhibitors.enums import AccountKind, MembershipRole
from exhibitors.hs import hs_lookup
from exhibitors.models import Booth, BuyerProfile, Company, Invitation, Membership, User


def user_verified_emails(user: User) -> set[str]:
    """The person's sign-in address and every address allauth has verified for them, lower-cased."""
    emails = {user.email.lower()} if user.email else set()
    emails.update(
        email.lower()
        for email in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    )
    return emails


def onboarding_url_name(*, user: User, account_kind: str | None) -> str | None:
    """Where a newly signed-up person goes next: the company form for exhibitors, the buyer profile for
    buyers; None once they have either (or when the kind they chose is not known)."""
    if account_kind not in AccountKind.values:
        return None
    if user.memberships.exists() or BuyerProfile.objects.filter(user=user).exists():
        return None
    if account_kind == AccountKind.EXHIBITOR:
        return "company_create"
    return "buyer_profile_edit"


def hs_entries(codes: list[str]) -> list[dict]:
    """Each code with its description from the nomenclature (empty if the code is no longer in it)."""
    entries = []
    for code in codes or []:
        entry = hs_lookup(code)
        entries.append({"code": code, "description": entry.description if entry else ""})
    return entries


def company_members(company: Company) -> list[Membership]:
    """The company's people, owners first."""
    return list(
        Membership.objects.filter(company=company)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name", "user__email")
    )


def company_open_invitations(company: Company) -> list[Invitation]:
    return list(
        Invitation.objects.filter(company=company, accepted_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitations_for_user(user: User) -> list[Invitation]:
    """Open, unexpired invitations sent to one of the person's verified addresses."""
    from exhibitors.services.companies import INVITATION_VALID_FOR

    emails = user_verified_emails(user)
    if not emails:
        return []
    since = timezone.now() - INVITATION_VALID_FOR
    invitations = (
        Invitation.objects.filter(accepted_at__isnull=True, created_at__gt=since)
        .exclude(company__memberships__user=user)
        .select_related("company")
        .order_by("-created_at")
    )
    return [invitation for invitation in invitations if invitation.email.lower() in emails]


def _fair_model():
    # Booths name the fair page only as a string; take its model from that relation rather than
    # importing the fair app, which sits above this one.
    return Booth._meta.get_field("fair").related_model


def fairs_accepting_applications() -> list:
    """Published fairs (in the default language, the page booths point at) open for applications now."""
    now = timezone.now()
    candidates = (
        _fair_model()
        .objects.live()
        .filter(
            locale=Locale.get_default(),
            closed_early=False,
            applications_open_at__lte=now,
            applications_close_at__gt=now,
        )
        .order_by("applications_close_at", "pk")
    )
    return [fair for fair in candidates if fair.applications_open_at_time(now)]


def _localized_titles(fairs: list) -> dict[int, str]:
    """Fair id -> its title in the active language where a translation is published."""
    if not fairs:
        return {}
    try:
        active = Locale.get_active()
    except Locale.DoesNotExist:
        return {}
    if all(fair.locale_id == active.pk for fair in fairs):
        return {}
    titles = dict(
        Page.objects.live()
        .filter(translation_key__in={fair.translation_key for fair in fairs}, locale=active)
        .values_list("translation_key", "title")
    )
    return {fair.pk: titles[fair.translation_key] for fair in fairs if fair.translation_key in titles}


@dataclass
class CompanyPanel:
    membership: Membership
    booths: list[Booth] = field(default_factory=list)
    open_fairs: list = field(default_factory=list)

    @property
    def company(self) -> Company:
        return self.membership.company

    @property
    def is_owner(self) -> bool:
        return self.membership.role == MembershipRole.OWNER


@dataclass
class Dashboard:
    companies: list[CompanyPanel]
    buyer_profile: BuyerProfile | None
    buyer_hs: list[dict]
    invitations: list[Invitation]

    @property
    def is_new(self) -> bool:
        """Neither an exhibitor nor a buyer yet: the dashboard offers both paths."""
        return not self.companies and self.buyer_profile is None


def dashboard_for(user: User) -> Dashboard:
    """Everything the dashboard shows, in a fixed number of queries however many companies and booths."""
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("company")
        .prefetch_related("company__sectors")
        .order_by("company__legal_name")
    )
    panels = [CompanyPanel(membership=membership) for membership in memberships]
    if panels:
        by_company = {panel.company.pk: panel for panel in panels}
        booths = list(
            Booth.objects.filter(company_id__in=by_company)
            .select_related("fair", "hall", "package", "application")
            .order_by("-fair__starts_at", "pk")
        )
        open_fairs = fairs_accepting_applications()
        titles = _localized_titles([booth.fair for booth in booths] + open_fairs)
        for fair in [booth.fair for booth in booths] + open_fairs:
            fair.display_title = titles.get(fair.pk, fair.title)
        for booth in booths:
            by_company[booth.company_id].booths.append(booth)
        for panel in panels:
            applied = {booth.fair_id for booth in panel.booths}
            panel.open_fairs = [fair for fair in open_fairs if fair.pk not in applied]
    buyer_profile = BuyerProfile.objects.filter(user=user).prefetch_related("sectors").first()
    return Dashboard(
        companies=panels,
        buyer_profile=buyer_profile,
        buyer_hs=hs_entries(buyer_profile.hs_codes) if buyer_profile else [],
        invitations=invitations_for_user(user),
    )


def user_by_sign_in_email(email: str) -> User | None:
    """The active person who signs in with this address (their main one, or another they verified)."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(email__iexact=email) | Q(emailaddress__email__iexact=email, emailaddress__verified=True))
        .distinct()
        .first()
    )
