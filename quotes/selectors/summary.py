"""`rfq_summary(fair)`: the figures of requests for quotation at a fair, for the chamber's report."""

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import median

from exhibitors.models import Company
from quotes.enums import QuoteStatus
from quotes.models import Quote, QuoteRequest


@dataclass
class RfqFigures:
    requests: int = 0
    quotes: int = 0
    accepted: int = 0
    acceptance_rate: float | None = None  # accepted quotes / requests that received a quote
    median_first_quote_seconds: float | None = None
    accepted_value: dict[str, int] = field(default_factory=dict)  # currency -> minor units


@dataclass
class RfqSummary:
    total: RfqFigures
    by_sector: dict[str, RfqFigures]  # sector slug -> figures (a company's quotes count in each sector)
    by_country: dict[str, RfqFigures]  # exhibitor's country code -> figures


def _figures(requests: list[dict], quotes: list[Quote]) -> RfqFigures:
    figures = RfqFigures(requests=len(requests), quotes=len(quotes))
    quoted = {quote.request_id for quote in quotes}
    accepted = [quote for quote in quotes if quote.status == QuoteStatus.ACCEPTED]
    figures.accepted = len(accepted)
    if quoted:
        figures.acceptance_rate = len(accepted) / len(quoted)
    firsts: dict[int, object] = {}
    for quote in quotes:
        if quote.request_id not in firsts or quote.created_at < firsts[quote.request_id]:
            firsts[quote.request_id] = quote.created_at
    created = {row["pk"]: row["created_at"] for row in requests}
    waits = [(first - created[pk]).total_seconds() for pk, first in firsts.items() if pk in created]
    if waits:
        figures.median_first_quote_seconds = median(waits)
    for quote in accepted:
        figures.accepted_value[quote.currency] = (
            figures.accepted_value.get(quote.currency, 0) + quote.total_amount
        )
    return figures


def rfq_summary(fair) -> RfqSummary:
    """Requests and quotes of the fair (withdrawn quotes left out), acceptance rate, median time to the first
    quote and accepted value per currency, in total and by the exhibitors' sector and country: four
    queries."""
    requests = list(QuoteRequest.objects.filter(fair=fair).values("pk", "created_at"))
    quotes = list(
        Quote.objects.filter(request__fair=fair)
        .exclude(status=QuoteStatus.WITHDRAWN)
        .only("pk", "request_id", "company_id", "status", "currency", "total_amount", "created_at")
    )
    companies = Company.objects.filter(pk__in={q.company_id for q in quotes}).prefetch_related("sectors")
    sectors, countries = {}, {}
    for company in companies:
        sectors[company.pk] = [sector.slug for sector in company.sectors.all()]
        countries[company.pk] = str(company.country)
    by_sector: dict[str, list[Quote]] = defaultdict(list)
    by_country: dict[str, list[Quote]] = defaultdict(list)
    for quote in quotes:
        for slug in sectors.get(quote.company_id, []):
            by_sector[slug].append(quote)
        by_country[countries.get(quote.company_id, "")].append(quote)

    def group(quotes_of: list[Quote]) -> RfqFigures:
        ids = {quote.request_id for quote in quotes_of}
        return _figures([row for row in requests if row["pk"] in ids], quotes_of)

    return RfqSummary(
        total=_figures(requests, quotes),
        by_sector={slug: group(items) for slug, items in sorted(by_sector.items())},
        by_country={code: group(items) for code, items in sorted(by_country.items())},
    )
