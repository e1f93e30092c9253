"""Requests for quotation: validation, who receives a fair-wide request and why, the buyer's anonymity,
per-company access, the buyer's moves and expiry."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from quotes.enums import QuoteStatus, RequestStatus
from quotes.models import QuoteRequest
from quotes.services.expiry import quotes_expire
from quotes.services.requests import (
    RequestRefused,
    request_close,
    request_extend,
    request_reveal,
    request_withdraw,
)
from tests.factories.quotes import post_request, send_quote

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hs_code": "0999"}, "hs_code"),  # no such heading
        ({"hs_code": "09"}, "hs_code"),  # a chapter is too wide
        ({"hs_code": "09O1"}, "hs_code"),
        ({"unit": "KG"}, "unit"),  # not a Recommendation 20 code of the list
        ({"incoterm": "DAT"}, "incoterm"),  # Incoterms 2010, gone in 2020
        ({"quantity": Decimal("0")}, "quantity"),
        ({"quantity": Decimal("1.0001")}, "quantity"),
        ({"destination_port": "Hamburg\nBremen"}, "destination_port"),
        ({"wanted_by": timezone.localdate()}, "wanted_by"),
        ({"closes_at": timezone.now() - timedelta(minutes=1)}, "closes_at"),
        ({"closes_at": timezone.now() + timedelta(days=91)}, "closes_at"),
        ({"target_currency": "XTS", "target_amount": 100}, "target_currency"),
        ({"target_currency": "USD", "target_amount": 10**12}, "target_amount"),
    ],
)
def test_request_invalid_is_refused_on_its_field(market, changes, field):
    with pytest.raises(RequestRefused) as caught:
        post_request(buyer=market.buyer, fair=market.fair, **changes)
    assert field in caught.value.message_dict
    assert QuoteRequest.objects.count() == 0


def test_request_valid_with_subheading_and_target_price(market):
    rfq = post_request(
        buyer=market.buyer, fair=market.fair, hs_code="090111", target_currency="EUR", target_amount=7_000_000
    )
    assert (rfq.hs_code, rfq.target_amount, rfq.buyer_country) == ("090111", 7_000_000, "DE")


def test_fair_request_reaches_matching_exhibitors_with_the_reason(market, client):
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    received = {r.company_id: r.reasons for r in rfq.recipients.all()}
    assert set(received) == {market.coffee.pk, market.cacao.pk}  # the tea exhibitor sells HS 0903
    client.force_login(market.coffee_owner)
    page = client.get(reverse("quotes:company_requests", args=[market.coffee.pk]))
    assert "looking for HS 0901 (coffee" in page.content.decode()
    assert "which you sell" in page.content.decode()
    # The tea company never sees it.
    client.force_login(market.tea_owner)
    assert client.get(reverse("quotes:company_request", args=[market.tea.pk, rfq.pk])).status_code == 404
    listing = client.get(reverse("quotes:company_requests", args=[market.tea.pk]))
    assert rfq.reference not in listing.content.decode()


def test_new_request_mails_the_recipients_in_their_language(market, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_request(buyer=market.buyer, fair=market.fair)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"olga.owner@example.com", "sam.staff@example.com", "carla@example.com"}
    assert "Nueva solicitud de cotización" in by_address["carla@example.com"].subject
    assert "Beatrix" not in by_address["olga.owner@example.com"].body
    assert "a buyer from Germany" in by_address["olga.owner@example.com"].body


def test_booth_request_goes_to_that_company_only(market):
    rfq = post_request(buyer=market.buyer, fair=market.fair, booth=market.booth, hs_code="0903")
    assert list(rfq.recipients.values_list("company_id", flat=True)) == [market.coffee.pk]


def test_booth_page_links_to_the_request_form(market, client):
    client.force_login(market.buyer)
    page = client.get(reverse("quotes:request_new_booth", args=[market.booth.pk]))
    assert page.status_code == 200
    assert "Cafe Inca" in page.content.decode()


def test_request_form_posts_and_redirects(market, client):
    client.force_login(market.buyer)
    url = reverse("quotes:request_new_fair", args=[market.fair.pk])
    data = {
        "description": "Green coffee",
        "hs_code": "0901",
        "quantity": "18000",
        "unit": "KGM",
        "incoterm": "FOB",
        "destination_country": "DE",
        "destination_port": "Hamburg",
        "wanted_by": (timezone.localdate() + timedelta(days=40)).isoformat(),
        "closes_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "target_currency": "USD",
        "target_price": "81000.00",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    rfq = QuoteRequest.objects.get()
    assert rfq.target_amount == 8_100_000
    bad = client.post(url, data | {"hs_code": "0999", "target_price": "1.234"})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "heading (4 digits) or subheading (6 digits) that exists" in body
    assert "USD amounts have at most 2 decimals" in body
    assert QuoteRequest.objects.count() == 1
    # Written as people write it: the dots and spaces go.
    assert client.post(url, data | {"hs_code": "0901.11"}).status_code == 302
    assert client.post(url, data | {"hs_code": "09 01 11"}).status_code == 302
    codes = QuoteRequest.objects.order_by("id").values_list("hs_code", flat=True)
    assert list(codes) == ["0901", "090111", "090111"]


def test_exhibitor_pages_never_show_the_buyer_before_acceptance_or_reveal(market, client):
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    client.force_login(market.coffee_owner)
    urls = [
        reverse("quotes:company_requests", args=[market.coffee.pk]),
        reverse("quotes:company_request", args=[market.coffee.pk, rfq.pk]),
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert "Beatrix" not in body and "Kaufmann" not in body and "bea.buyer@example.com" not in body
        assert "Kaffeehaus" not in body
        assert "a buyer from Germany" in body or "From a buyer from Germany" in body
    request_reveal(request=rfq, buyer=market.buyer)
    body = client.get(urls[1]).content.decode()
    assert "Beatrix Kaufmann" in body and "bea.buyer@example.com" in body and "Kaffeehaus Nord GmbH" in body


def test_other_buyer_and_other_company_get_404(market, client):
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    client.force_login(market.tea_owner)
    assert client.get(reverse("quotes:request_detail", args=[rfq.pk])).status_code == 404
    assert client.get(reverse("quotes:company_requests", args=[market.coffee.pk])).status_code == 404
    assert client.get(reverse("quotes:company_request", args=[market.coffee.pk, rfq.pk])).status_code == 404


def test_buyer_closes_withdraws_and_extends(market):
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    later = rfq.closes_at + timedelta(days=5)
    assert request_extend(request=rfq, buyer=market.buyer, closes_at=later).closes_at == later
    with pytest.raises(RequestRefused):
        request_extend(request=rfq, buyer=market.buyer, closes_at=later - timedelta(days=1))
    assert request_close(request=rfq, buyer=market.buyer).status == RequestStatus.CLOSED
    with pytest.raises(RequestRefused):
        request_withdraw(request=rfq, buyer=market.buyer)  # closed is final but for acceptance
    other = post_request(buyer=market.buyer, fair=market.fair)
    assert request_withdraw(request=other, buyer=market.buyer).status == RequestStatus.WITHDRAWN


def test_expiry_job_expires_requests_and_quotes(market):
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    quote = send_quote(
        request=rfq, company=market.coffee, by=market.coffee_staff, valid_until=timezone.localdate()
    )
    assert quotes_expire(now=timezone.now()) == (0, 0)
    later = timezone.now() + timedelta(days=11)
    assert quotes_expire(now=later) == (1, 1)
    rfq.refresh_from_db()
    quote.refresh_from_db()
    assert (rfq.status, quote.status) == (RequestStatus.EXPIRED, QuoteStatus.EXPIRED)
    # Extending opens the request again.
    reopened = request_extend(request=rfq, buyer=market.buyer, closes_at=timezone.now() + timedelta(days=20))
    assert reopened.status == RequestStatus.OPEN


def test_periodic_job_is_registered():
    from cms.periodic import JOBS

    assert "quotes_expire" in {job.name for job in JOBS}
