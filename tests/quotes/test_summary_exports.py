"""rfq_summary for the chamber's report; the "quotes" export section (anonymised) and erasure."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from exhibitors.services.erasure import account_anonymise
from exhibitors.services.exports import EXPORT_SECTIONS
from quotes.enums import PaymentRoute, RequestStatus
from quotes.models import Quote, QuoteRequest
from quotes.selectors.summary import rfq_summary
from quotes.services.quotes import quote_accept
from tests.factories.exhibitors import SectorFactory
from tests.factories.quotes import post_request, send_quote

pytestmark = pytest.mark.django_db


def test_rfq_summary_counts_rates_times_and_values(market, django_assert_num_queries):
    agrifood = SectorFactory(slug="agrifood", name="Agrifood")
    market.coffee.sectors.add(agrifood)
    first = post_request(buyer=market.buyer, fair=market.fair)
    post_request(buyer=market.buyer, fair=market.fair)  # no quote
    accepted = send_quote(request=first, company=market.coffee, by=market.coffee_staff)
    send_quote(request=first, company=market.cacao, by=market.cacao_owner, unit_amount=500)
    Quote.objects.filter(pk=accepted.pk).update(created_at=first.created_at + timedelta(hours=2))
    Quote.objects.exclude(pk=accepted.pk).update(created_at=first.created_at + timedelta(hours=5))
    quote_accept(quote=accepted, buyer=market.buyer, route=PaymentRoute.BANK_TRANSFER)
    with django_assert_num_queries(4):
        summary = rfq_summary(market.fair)
    total = summary.total
    assert (total.requests, total.quotes, total.accepted) == (2, 2, 1)
    assert total.acceptance_rate == 1.0  # one of the one request that got quotes
    assert total.median_first_quote_seconds == 2 * 3600
    assert total.accepted_value == {"USD": 18000 * 450}
    assert summary.by_sector["agrifood"].accepted_value == {"USD": 18000 * 450}
    assert summary.by_country["PE"].quotes == 2


def test_chamber_report_has_the_requests_for_quotation_section(market):
    from results.report import report_build

    assert "quotes" not in [table.key for table in report_build(market.fair)]  # none yet: left out
    agrifood = SectorFactory(slug="agrifood", name="Agrifood")
    market.coffee.sectors.add(agrifood)
    first = post_request(buyer=market.buyer, fair=market.fair)
    accepted = send_quote(request=first, company=market.coffee, by=market.coffee_staff)
    Quote.objects.filter(pk=accepted.pk).update(created_at=first.created_at + timedelta(hours=3))
    quote_accept(quote=accepted, buyer=market.buyer, route=PaymentRoute.BANK_TRANSFER)

    table = next(table for table in report_build(market.fair) if table.key == "quotes")
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["Whole fair"][:5] == [1, 1, 1, Decimal("100.0"), Decimal("3.0")]
    assert rows["Whole fair"][5] == "$81,000.00"
    assert rows["Sector: Agrifood"][:3] == [1, 1, 1]
    assert rows["Country: Peru"][:3] == [1, 1, 1]


def test_company_export_is_anonymised_as_they_saw_it(market):
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    send_quote(request=rfq, company=market.coffee, by=market.coffee_staff)
    section = EXPORT_SECTIONS["quotes"]
    rows = section.company(company=market.coffee)
    assert rows[0]["reference"] == rfq.reference and rows[0]["buyer"] == "" and rows[0]["buyer_email"] == ""
    assert rows[0]["buyer_country"] == "Germany" and rows[0]["quote"]["total_amount"] == 18000 * 450
    person = section.person(person=market.buyer)
    assert person[0]["reference"] == rfq.reference and person[0]["quotes"][0]["company"] == "Cafe Inca S.A.C."


def test_erasure_withdraws_open_requests_and_forgets_the_country(market):
    rfq = post_request(buyer=market.buyer, fair=market.fair, closes_at=timezone.now() + timedelta(days=3))
    account_anonymise(user=market.buyer)
    rfq = QuoteRequest.objects.get(pk=rfq.pk)
    assert rfq.status == RequestStatus.WITHDRAWN and rfq.buyer_country == ""
