"""The exhibitor's results for one fair, per day of the fair (in the fair's time zone), in a fixed number of
queries. docs/results.md defines every number."""

import statistics
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from exhibitors.models import Company
from fair.chat.enums import Side
from fair.chat.models import Conversation, Message
from fair.leads.models import Lead
from fair.meetings.enums import TIME_HOLDING, MeetingStatus
from fair.meetings.models import Meeting
from fair.models import FairPage
from payments.enums import OrderKind
from payments.models import Order
from payments.money import to_decimal
from results.models import BoothDailyViews


def fair_zone(fair: FairPage) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(fair.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def fair_days(fair: FairPage) -> list[date]:
    """Every calendar day of the fair in its time zone, first to last."""
    zone = fair_zone(fair)
    first = fair.starts_at.astimezone(zone).date()
    last = max(first, fair.ends_at.astimezone(zone).date())
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def median_or_none(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def first_response_seconds(conversation_ids: list[int]) -> dict[int, float | None]:
    """For each conversation: seconds from the buyer's first message to the company's first message after
    it; None when the company has not answered (or the buyer never wrote). One query."""
    first_buyer: dict[int, datetime] = {}
    answered: dict[int, float | None] = {pk: None for pk in conversation_ids}
    rows = (
        Message.objects.filter(conversation_id__in=conversation_ids, hidden_at__isnull=True)
        .order_by("conversation_id", "created_at", "pk")
        .values_list("conversation_id", "sender_side", "created_at")
    )
    for conversation_id, side, created_at in rows:
        if answered[conversation_id] is not None:
            continue
        if side == Side.BUYER:
            first_buyer.setdefault(conversation_id, created_at)
        elif conversation_id in first_buyer:
            answered[conversation_id] = (created_at - first_buyer[conversation_id]).total_seconds()
    return answered


@dataclass
class Series:
    """One metric per day, with its total."""

    key: str
    label: str
    per_day: dict[date, float | int | Decimal | None]
    total: float | int | Decimal | None
    unit: str = "count"  # count, seconds or a currency code


@dataclass
class Dashboard:
    company: Company
    fair: FairPage
    days: list[date]
    series: list[Series] = field(default_factory=list)

    def get(self, key: str) -> Series:
        return next(item for item in self.series if item.key == key)


def _count_by_day(moments, zone, days) -> dict[date, int]:
    counts = dict.fromkeys(days, 0)
    for moment in moments:
        day = moment.astimezone(zone).date()
        if day in counts:
            counts[day] += 1
    return counts


def exhibitor_dashboard(*, company: Company, fair: FairPage) -> Dashboard:
    """The company's numbers at the fair, each per fair day (views, visitors, chats, first response,
    meetings, new leads, payments). Six queries however many booths, chats, meetings, leads or orders."""
    from django.utils.translation import gettext_lazy as _

    zone = fair_zone(fair)
    days = fair_days(fair)
    in_days = set(days)
    dashboard = Dashboard(company=company, fair=fair, days=days)

    views = dict.fromkeys(days, 0)
    visitors = dict.fromkeys(days, 0)
    for day, seen, unique in BoothDailyViews.objects.filter(
        booth__company=company, booth__fair=fair, day__in=days
    ).values_list("day", "views", "unique_visitors"):
        views[day] += seen
        visitors[day] += unique
    dashboard.series.append(Series("views", _("Booth views"), views, sum(views.values())))
    dashboard.series.append(Series("visitors", _("Unique visitors"), visitors, sum(visitors.values())))

    conversations = list(
        Conversation.objects.filter(company=company, started_from__fair=fair).values_list("pk", "created_at")
    )
    responses = first_response_seconds([pk for pk, _created in conversations])
    started = dict.fromkeys(days, 0)
    answered = dict.fromkeys(days, 0)
    waits_by_day: dict[date, list[float]] = defaultdict(list)
    for pk, created_at in conversations:
        day = created_at.astimezone(zone).date()
        if day not in in_days:
            continue
        started[day] += 1
        if responses[pk] is not None:
            answered[day] += 1
            waits_by_day[day].append(responses[pk])
    all_waits = [wait for waits in waits_by_day.values() for wait in waits]
    dashboard.series.append(Series("chats_started", _("Chats started"), started, sum(started.values())))
    dashboard.series.append(Series("chats_answered", _("Chats answered"), answered, sum(answered.values())))
    dashboard.series.append(
        Series(
            "first_response",
            _("Median first response"),
            {day: median_or_none(waits_by_day[day]) for day in days},
            median_or_none(all_waits),
            unit="seconds",
        )
    )

    meetings = list(
        Meeting.objects.filter(company=company, fair=fair).values_list("status", "created_at", "starts_at")
    )
    requested = _count_by_day([created for _status, created, _starts in meetings], zone, days)
    accepted = _count_by_day(
        [starts for status, _c, starts in meetings if status in TIME_HOLDING], zone, days
    )
    held = _count_by_day(
        [starts for status, _c, starts in meetings if status == MeetingStatus.HELD], zone, days
    )
    no_shows = _count_by_day(
        [starts for status, _c, starts in meetings if status == MeetingStatus.NO_SHOW], zone, days
    )
    for key, label, counts in (
        ("meetings_requested", _("Meeting requests"), requested),
        ("meetings_accepted", _("Meetings accepted"), accepted),
        ("meetings_held", _("Meetings held"), held),
        ("meetings_no_show", _("No-shows"), no_shows),
    ):
        dashboard.series.append(Series(key, label, counts, sum(counts.values())))

    new_leads = _count_by_day(
        Lead.objects.filter(company=company, fair=fair).values_list("first_activity_at", flat=True),
        zone,
        days,
    )
    dashboard.series.append(Series("new_leads", _("New leads"), new_leads, sum(new_leads.values())))

    paid: dict[str, dict[date, Decimal]] = {}
    for currency, total, paid_at in Order.objects.filter(
        kind=OrderKind.BUYER_PAYMENT, payee_company=company, fair=fair, paid_at__isnull=False
    ).values_list("currency", "total_amount", "paid_at"):
        day = paid_at.astimezone(zone).date()
        if day not in in_days:
            continue
        per_day = paid.setdefault(currency, dict.fromkeys(days, Decimal(0)))
        per_day[day] += to_decimal(total, currency)
    for currency in sorted(paid):
        label = _("Payments received (%(currency)s)") % {"currency": currency}
        dashboard.series.append(
            Series(f"paid_{currency}", label, paid[currency], sum(paid[currency].values()), unit=currency)
        )
    return dashboard


def dashboard_fairs(*, company: Company) -> list[FairPage]:
    """The fairs the company has a booth at, newest first."""
    return list(FairPage.objects.filter(booths__company=company).distinct().order_by("-starts_at"))
