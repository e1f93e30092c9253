"""The chamber report's own sections (registered in results.apps): per hall, per country, the booths whose
chats go unanswered, and what came of the meetings by sector and country. Each fair's data is read in a fixed
number of queries however many booths; docs/results.md defines every number."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from exhibitors.enums import ApplicationStatus
from exhibitors.models import Booth, Company
from fair.chat.models import Conversation
from fair.meetings.enums import TIME_HOLDING, MeetingStatus
from fair.meetings.models import Meeting
from fair.models import FairPage
from payments.enums import OrderKind
from payments.models import Order
from payments.money import format_money
from results.enums import OutcomeResult, OutcomeRound
from results.models import MeetingOutcome
from results.report import ReportTable
from results.selectors.dashboard import first_response_seconds, median_or_none


@dataclass
class Group:
    """The numbers of one row (a hall, a country, or the whole fair)."""

    label: str
    companies: set = field(default_factory=set)
    buyers: set = field(default_factory=set)
    chats: int = 0
    waits: list = field(default_factory=list)
    requested: int = 0
    accepted: int = 0
    held: int = 0
    meeting_people: set = field(default_factory=set)
    revenue: dict = field(default_factory=lambda: defaultdict(int))
    booth_fees: dict = field(default_factory=lambda: defaultdict(int))
    unanswered_booths: set = field(default_factory=set)


@dataclass
class FairData:
    booths: list
    conversations: list
    responses: dict
    meetings: list
    orders: list
    fees: list


def _fair_data(fair: FairPage) -> FairData:
    """Five queries: approved booths, the chats started from them (and their messages), meetings, paid
    buyer payments and paid booth fees of the fair."""
    booths = list(
        Booth.objects.filter(fair=fair, application__status=ApplicationStatus.APPROVED)
        .select_related("company", "hall")
        .order_by("hall__sort_order", "hall__name", "company__legal_name")
    )
    conversations = list(
        Conversation.objects.filter(started_from__fair=fair).values_list("pk", "started_from_id", "buyer_id")
    )
    responses = first_response_seconds([pk for pk, _booth, _buyer in conversations])
    meetings = list(Meeting.objects.filter(fair=fair).values_list("company_id", "buyer_id", "status"))
    orders = list(
        Order.objects.filter(kind=OrderKind.BUYER_PAYMENT, fair=fair, paid_at__isnull=False).values_list(
            "payee_company_id", "currency", "total_amount"
        )
    )
    fees = list(
        Order.objects.filter(kind=OrderKind.BOOTH_FEE, fair=fair, paid_at__isnull=False).values_list(
            "payer_company_id", "currency", "total_amount"
        )
    )
    return FairData(booths, conversations, responses, meetings, orders, fees)


def _groups(data: FairData, key_of_booth) -> dict:
    """Every number of the rows, keyed by `key_of_booth(booth) -> (sort key, label)`."""
    groups: dict = {}
    booth_key = {}
    company_key = {}
    for booth in data.booths:
        key, label = key_of_booth(booth)
        group = groups.setdefault(key, Group(label=label))
        group.companies.add(booth.company_id)
        booth_key[booth.pk] = key
        company_key[booth.company_id] = key
    for pk, booth_id, buyer_id in data.conversations:
        key = booth_key.get(booth_id)
        if key is None:
            continue
        group = groups[key]
        group.chats += 1
        group.buyers.add(buyer_id)
        wait = data.responses.get(pk)
        if wait is None:
            group.unanswered_booths.add(booth_id)
        else:
            group.waits.append(wait)
    for company_id, buyer_id, status in data.meetings:
        key = company_key.get(company_id)
        if key is None:
            continue
        group = groups[key]
        group.buyers.add(buyer_id)
        group.requested += 1
        if status in TIME_HOLDING:
            group.accepted += 1
        if status == MeetingStatus.HELD:
            group.held += 1
            group.meeting_people.add(("company", company_id))
            group.meeting_people.add(("buyer", buyer_id))
    for company_id, currency, amount in data.orders:
        key = company_key.get(company_id)
        if key is not None:
            groups[key].revenue[currency] += amount
    for company_id, currency, amount in data.fees:
        key = company_key.get(company_id)
        if key is not None:
            groups[key].booth_fees[currency] += amount
    return dict(sorted(groups.items(), key=lambda item: item[0]))


def _total(groups: dict) -> Group:
    total = Group(label=_("Whole fair"))
    for group in groups.values():
        total.companies |= group.companies
        total.buyers |= group.buyers
        total.chats += group.chats
        total.waits += group.waits
        total.requested += group.requested
        total.accepted += group.accepted
        total.held += group.held
        total.meeting_people |= group.meeting_people
        total.unanswered_booths |= group.unanswered_booths
        for currency, amount in group.revenue.items():
            total.revenue[currency] += amount
        for currency, amount in group.booth_fees.items():
            total.booth_fees[currency] += amount
    return total


def money_text(amounts: dict) -> str:
    return "; ".join(format_money(amount, currency) for currency, amount in sorted(amounts.items()) if amount)


def acceptance_rate(group: Group) -> Decimal | None:
    """Accepted ÷ requested, in per cent with one decimal; None without requests."""
    if not group.requested:
        return None
    return (Decimal(group.accepted * 100) / group.requested).quantize(Decimal("0.1"))


def meetings_per_participant(group: Group) -> Decimal | None:
    """Held meetings ÷ distinct people-or-companies that held one (each meeting has two participants)."""
    if not group.meeting_people:
        return None
    return (Decimal(group.held * 2) / len(group.meeting_people)).quantize(Decimal("0.01"))


def median_minutes(group: Group) -> Decimal | None:
    median = median_or_none(group.waits)
    return None if median is None else (Decimal(median) / 60).quantize(Decimal("0.1"))


COLUMN_KEYS = [
    "group",
    "exhibitors",
    "buyers",
    "chats",
    "meetings_requested",
    "meetings_accepted",
    "meetings_held",
    "acceptance_rate_percent",
    "meetings_per_participant",
    "median_first_response_minutes",
    "buyer_payments",
    "booth_fees",
    "booths_with_unanswered_chats",
]


def _columns() -> list[str]:
    return [
        "",
        _("Exhibitors"),
        _("Buyers"),
        _("Chats"),
        _("Meetings requested"),
        _("Meetings accepted"),
        _("Meetings held"),
        _("Acceptance rate (%)"),
        _("Meetings per participant"),
        _("Median first response (min)"),
        _("Buyer payments received"),
        _("Booth fees paid"),
        _("Booths with unanswered chats"),
    ]


def _row(group: Group) -> list:
    return [
        str(group.label),
        len(group.companies),
        len(group.buyers),
        group.chats,
        group.requested,
        group.accepted,
        group.held,
        acceptance_rate(group),
        meetings_per_participant(group),
        median_minutes(group),
        money_text(group.revenue),
        money_text(group.booth_fees),
        len(group.unanswered_booths),
    ]


def _table(fair, key: str, title: str, first_column: str, key_of_booth) -> ReportTable:
    groups = _groups(_fair_data(fair), key_of_booth)
    columns = _columns()
    columns[0] = first_column
    rows = [_row(group) for group in groups.values()]
    rows.append(_row(_total(groups)))
    return ReportTable(key=key, title=title, columns=columns, column_keys=COLUMN_KEYS, rows=rows)


def report_by_hall(fair: FairPage) -> ReportTable:
    def key_of_booth(booth):
        return ((booth.hall.sort_order, str(booth.hall)), str(booth.hall))

    return _table(fair, "halls", _("By hall"), _("Hall"), key_of_booth)


def report_by_country(fair: FairPage) -> ReportTable:
    def key_of_booth(booth):
        name = str(booth.company.country.name) if booth.company.country else "—"
        return ((name,), name)

    return _table(fair, "countries", _("By exhibitor's country"), _("Country"), key_of_booth)


def report_unanswered(fair: FairPage) -> ReportTable:
    """Booths with at least one chat the company has not answered, most unanswered first."""
    data = _fair_data(fair)
    started = defaultdict(int)
    unanswered = defaultdict(int)
    for pk, booth_id, _buyer in data.conversations:
        started[booth_id] += 1
        if data.responses.get(pk) is None:
            unanswered[booth_id] += 1
    rows = []
    for booth in data.booths:
        if unanswered[booth.pk]:
            rows.append([booth.company.legal_name, str(booth.hall), started[booth.pk], unanswered[booth.pk]])
    rows.sort(key=lambda row: (-row[3], row[0]))
    return ReportTable(
        key="unanswered",
        title=_("Booths whose chats go unanswered"),
        columns=[_("Exhibitor"), _("Hall"), _("Chats"), _("Unanswered chats")],
        column_keys=["exhibitor", "hall", "chats", "unanswered_chats"],
        rows=rows,
    )


def report_outcomes(fair: FairPage, survey_round: int = OutcomeRound.AFTER_FAIR) -> ReportTable:
    """Answers to one round of the outcome survey by the exhibitor's sector and country (a company in several
    sectors counts in each). Two queries."""
    outcomes = list(
        MeetingOutcome.objects.filter(
            meeting__fair=fair, round=survey_round, answered_at__isnull=False
        ).values_list("meeting__company_id", "result", "value_amount", "value_currency")
    )
    company_ids = {row[0] for row in outcomes}
    companies = {
        company.pk: company
        for company in Company.objects.filter(pk__in=company_ids).prefetch_related("sectors")
    }
    rows_by_key: dict = {}
    for company_id, result, amount, currency in outcomes:
        company = companies[company_id]
        country = str(company.country.name) if company.country else "—"
        sectors = [str(sector) for sector in company.sectors.all()] or ["—"]
        for sector in sectors:
            row = rows_by_key.setdefault(
                (sector, country), {"answers": 0, **dict.fromkeys(OutcomeResult.values, 0), "value": {}}
            )
            row["answers"] += 1
            row[result] += 1
            if amount is not None:
                row["value"][currency] = row["value"].get(currency, Decimal(0)) + amount
    rows = []
    for (sector, country), row in sorted(rows_by_key.items()):
        value = "; ".join(f"{amount} {currency}" for currency, amount in sorted(row["value"].items()))
        rows.append(
            [sector, country, row["answers"], *[row[result] for result in OutcomeResult.values], value]
        )
    six_months = survey_round == OutcomeRound.SIX_MONTHS
    return ReportTable(
        key="outcomes_six_months" if six_months else "outcomes",
        title=(
            _("What came of the meetings six months on, by sector and country")
            if six_months
            else _("What came of the meetings, by sector and country")
        ),
        columns=[
            _("Sector"),
            _("Country"),
            _("Answers"),
            *[str(label) for label in OutcomeResult.labels],
            _("Value stated"),
        ],
        column_keys=["sector", "country", "answers", *OutcomeResult.values, "value"],
        rows=rows,
        note=_("Each party of a held meeting answers for itself, so a meeting may count twice."),
    )


def report_sections_register() -> None:
    from results.report import report_section_register

    report_section_register("halls", report_by_hall, order=10)
    report_section_register("countries", report_by_country, order=20)
    report_section_register("unanswered", report_unanswered, order=30)
    report_section_register("outcomes", report_outcomes, order=40)
    report_section_register(
        "outcomes_six_months", lambda fair: report_outcomes(fair, OutcomeRound.SIX_MONTHS), order=45
    )
    report_section_register("complaints", report_complaints, order=50)
    report_section_register("quotes", report_quotes, order=60)


def report_complaints(fair: FairPage) -> ReportTable | None:
    """The fair's complaints (complaints.selectors.complaints_summary): how many, still open, per subject,
    per decision, missed answer deadlines, median days to a decision and the parties' feedback. Left out for a
    fair without complaints."""
    from complaints.enums import Outcome, Status, SubjectKind
    from complaints.selectors import complaints_summary

    summary = complaints_summary(fair)
    if not summary["total"]:
        return None
    rows = [
        ["total", _("Complaints"), summary["total"]],
        ["open", _("Still open"), summary["open"]],
        *[[f"status_{s.value}", s.label, summary["by_status"][s.value]] for s in Status],
        *[
            [f"about_{k.value}", _("About: %(kind)s") % {"kind": k.label}, summary["by_kind"][k.value]]
            for k in SubjectKind
        ],
        *[
            [
                f"decided_{o.value}",
                _("Decided: %(outcome)s") % {"outcome": o.label},
                summary["by_outcome"][o.value],
            ]
            for o in Outcome
        ],
        ["overdue", _("Answer deadline missed"), summary["overdue"]],
        [
            "median_days_to_decision",
            _("Median days from opening to decision"),
            summary["median_days_to_decision"],
        ],
        ["feedback_resolved", _("Parties who said it resolved their problem"), summary["feedback_resolved"]],
        ["feedback_not_resolved", _("Parties who said it did not"), summary["feedback_not_resolved"]],
    ]
    return ReportTable(
        key="complaints",
        title=_("Complaints and their mediation"),
        columns=[_("Measure"), _("Number")],
        column_keys=["measure", "value"],
        rows=[[str(label), value] for _key, label, value in rows],
    )


def report_quotes(fair: FairPage) -> ReportTable | None:
    """Requests for quotation at the fair (quotes.selectors.summary.rfq_summary): requests, quotes, acceptance
    rate, median hours to the first quote and accepted value, for the whole fair and by the exhibitors' sector
    and country. Left out for a fair without requests."""
    from django_countries import countries

    from exhibitors.models import Sector
    from quotes.selectors.summary import rfq_summary

    summary = rfq_summary(fair)
    if not summary.total.requests:
        return None
    sector_names = {sector.slug: str(sector) for sector in Sector.objects.filter(slug__in=summary.by_sector)}

    def row(label, figures) -> list:
        rate = figures.acceptance_rate
        wait = figures.median_first_quote_seconds
        value = "; ".join(
            format_money(amount, currency) for currency, amount in sorted(figures.accepted_value.items())
        )
        return [
            label,
            figures.requests,
            figures.quotes,
            figures.accepted,
            None if rate is None else Decimal(rate * 100).quantize(Decimal("0.1")),
            None if wait is None else Decimal(wait / 3600).quantize(Decimal("0.1")),
            value,
        ]

    rows = [row(_("Whole fair"), summary.total)]
    rows += [
        row(_("Sector: %(name)s") % {"name": sector_names.get(slug, slug)}, figures)
        for slug, figures in summary.by_sector.items()
    ]
    rows += [
        row(_("Country: %(name)s") % {"name": countries.name(code) or "—"}, figures)
        for code, figures in summary.by_country.items()
    ]
    return ReportTable(
        key="quotes",
        title=_("Requests for quotation"),
        columns=[
            _("Group"),
            _("Requests"),
            _("Quotes"),
            _("Accepted"),
            _("Acceptance rate (%)"),
            _("Median hours to the first quote"),
            _("Accepted value"),
        ],
        column_keys=[
            "group",
            "requests",
            "quotes",
            "accepted",
            "acceptance_rate_percent",
            "median_hours_to_first_quote",
            "accepted_value",
        ],
        rows=rows,
        note=_(
            "By sector and country, a request counts where a quote came from; the whole fair counts every "
            "request."
        ),
    )
