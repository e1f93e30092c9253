"""Reads of a company's leads: the list (filtered), one lead with its timeline, counts per stage, and what a
lead shows of the buyer: contact details only while the buyer shares them with that company."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from exhibitors.models import Company, Sector, User
from exhibitors.selectors.privacy import contact_shared_expression
from fair.leads.enums import LeadSource, LeadStage
from fair.leads.models import Lead, LeadEvent, LeadNote, LeadStageChange, LeadTag
from fair.models import FairPage

SOURCE_FILTER = {
    LeadSource.CHAT: Q(from_chat=True),
    LeadSource.MEETING: Q(from_meeting=True),
    LeadSource.FAVOURITE: Q(from_favourite=True),
    LeadSource.CARD: Q(from_card=True),
}


@dataclass
class LeadFilters:
    fair_id: int | None = None
    stage: str = ""
    tag_id: int | None = None
    source: str = ""


def _with_buyer(queryset: QuerySet[Lead]) -> QuerySet[Lead]:
    return (
        queryset.select_related("fair", "buyer", "buyer__buyer_profile")
        .annotate(
            contact_shared=contact_shared_expression(
                user_ref=OuterRef("buyer_id"), company_ref=OuterRef("company_id")
            )
        )
        .prefetch_related(
            Prefetch("buyer__buyer_profile__sectors", queryset=Sector.objects.order_by("name")),
            Prefetch("tags", queryset=LeadTag.objects.order_by("name")),
        )
    )


def company_leads(*, company: Company, filters: LeadFilters | None = None) -> QuerySet[Lead]:
    """The company's leads, most recent activity first, filtered by fair, stage, tag and source; each with
    `contact_shared` (whether its buyer shares contact details with this company now), its fair, buyer,
    buyer profile with sectors and its tags loaded (a fixed number of queries however many there are)."""
    filters = filters or LeadFilters()
    queryset = Lead.objects.filter(company=company)
    if filters.fair_id:
        queryset = queryset.filter(fair_id=filters.fair_id)
    if filters.stage:
        queryset = queryset.filter(stage=filters.stage)
    if filters.tag_id:
        queryset = queryset.filter(tags__id=filters.tag_id)
    if filters.source in SOURCE_FILTER:
        queryset = queryset.filter(SOURCE_FILTER[filters.source])
    return _with_buyer(queryset).order_by("-last_activity_at", "-id")


def lead_for_company(*, company: Company, lead_id: int) -> Lead | None:
    """One of the company's leads with what its page shows (buyer as `company_leads`), or None."""
    return (
        _with_buyer(Lead.objects.filter(company=company, pk=lead_id))
        .prefetch_related(
            Prefetch("notes", queryset=LeadNote.objects.select_related("author")),
            Prefetch("stage_changes", queryset=LeadStageChange.objects.select_related("by")),
            Prefetch("events", queryset=LeadEvent.objects.order_by("at", "id")),
        )
        .first()
    )


@dataclass
class BuyerShown:
    """What the exhibitor sees of a lead's buyer."""

    shared: bool
    name: str
    company_name: str
    email: str
    country: str
    interests: list[str]

    @property
    def anonymous_label(self) -> str:
        interests = ", ".join(self.interests)
        if self.country and interests:
            return _("A buyer from %(country)s, %(interests)s") % {
                "country": self.country,
                "interests": interests,
            }
        if self.country:
            return _("A buyer from %(country)s") % {"country": self.country}
        if interests:
            return _("A buyer interested in %(interests)s") % {"interests": interests}
        return _("A buyer")

    @property
    def label(self) -> str:
        return self.name or self.email if self.shared else self.anonymous_label


def buyer_shown(lead: Lead) -> BuyerShown:
    """The buyer as the company may see them: name, company and e-mail only while they share their contact
    details with it (lead.contact_shared, from `company_leads`), else their country and interests alone."""
    buyer: User = lead.buyer
    profile = getattr(buyer, "buyer_profile", None)
    erased = buyer.erased_at is not None
    country = str(profile.country.name) if profile and profile.country else ""
    interests = [str(sector) for sector in profile.sectors.all()] if profile else []
    shared = bool(lead.contact_shared) and not erased
    return BuyerShown(
        shared=shared,
        name=buyer.get_full_name() if shared else "",
        company_name=profile.company_name if shared and profile else "",
        email=buyer.email if shared else "",
        country=country,
        interests=interests,
    )


def leads_by_stage(company: Company, fair: FairPage | None = None) -> dict[str, int]:
    """How many leads the company has in each stage (every stage present, zero included), at one fair or
    all. One query."""
    queryset = Lead.objects.filter(company=company)
    if fair is not None:
        queryset = queryset.filter(fair=fair)
    counts = dict(queryset.values_list("stage").annotate(n=Count("id")).values_list("stage", "n"))
    return {stage.value: counts.get(stage.value, 0) for stage in LeadStage}


def lead_counts(company: Company, fair: FairPage | None = None) -> dict[str, int]:
    """The company's leads counted: "total", "with_contact" (buyers sharing contact details with it now) and
    one per source ("chat", "meeting", "favourite", "card"). One query."""
    queryset = Lead.objects.filter(company=company)
    if fair is not None:
        queryset = queryset.filter(fair=fair)
    queryset = queryset.annotate(
        contact_shared=contact_shared_expression(
            user_ref=OuterRef("buyer_id"), company_ref=OuterRef("company_id")
        )
    )
    return queryset.aggregate(
        total=Count("id"),
        with_contact=Count("id", filter=Q(contact_shared=True, buyer__erased_at__isnull=True)),
        chat=Count("id", filter=Q(from_chat=True)),
        meeting=Count("id", filter=Q(from_meeting=True)),
        favourite=Count("id", filter=Q(from_favourite=True)),
        card=Count("id", filter=Q(from_card=True)),
    )


def lead_fairs(company: Company) -> list[FairPage]:
    """The fairs the company has leads at (for the list's filter)."""
    return list(FairPage.objects.filter(leads__company=company).distinct().order_by("-starts_at"))


def company_tags(company: Company) -> list[LeadTag]:
    return list(LeadTag.objects.filter(company=company).order_by("name"))


@dataclass
class TimelineItem:
    at: datetime
    text: str
    by: str = ""


def lead_timeline(lead: Lead) -> list[TimelineItem]:
    """What the buyer did and how the stage moved, oldest first (notes are listed apart)."""
    items = [TimelineItem(at=event.at, text=event.get_kind_display()) for event in lead.events.all()]
    for change in lead.stage_changes.all():
        items.append(
            TimelineItem(
                at=change.at,
                text=_("Stage: %(from)s → %(to)s")
                % {"from": change.get_from_stage_display(), "to": change.get_to_stage_display()},
                by=change.by.get_full_name() or change.by.email if change.by else "",
            )
        )
    return sorted(items, key=lambda item: item.at)


def company_leads_export(*, company: Company) -> list[dict]:
    """Export section "leads" of a company export: one row per lead, the buyer as the company may see them
    now (contact details only while shared)."""
    rows = []
    for lead in company_leads(company=company).prefetch_related("notes__author"):
        shown = buyer_shown(lead)
        rows.append(
            {
                "id": lead.pk,
                "fair": lead.fair.title if lead.fair else "",
                "stage": lead.stage,
                "sources": list(lead.sources),
                "tags": [tag.name for tag in lead.tags.all()],
                "buyer": shown.label,
                "buyer_company": shown.company_name,
                "email": shown.email,
                "country": shown.country,
                "interests": shown.interests,
                "first_activity_at": lead.first_activity_at,
                "last_activity_at": lead.last_activity_at,
                "notes": [
                    {
                        "author": note.author.email if note.author else "",
                        "at": note.created_at,
                        "body": note.body,
                    }
                    for note in lead.notes.all()
                ],
            }
        )
    return rows
