"""The chamber's admin list of requests for quotation shows who the buyer is; others are kept out."""

import pytest

from tests.factories.quotes import post_request, send_quote

pytestmark = pytest.mark.django_db


def test_staff_see_requests_with_the_buyer(market, staff_client, django_assert_num_queries):
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    send_quote(request=rfq, company=market.coffee, by=market.coffee_staff)
    url = f"/admin/quotes/?fair={market.fair.pk}"
    page = staff_client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Beatrix Kaufmann" in body and "bea.buyer@example.com" in body and rfq.reference in body
    assert "Cafe Inca S.A.C." in body


def test_non_staff_cannot_open_the_list(market, client):
    client.force_login(market.coffee_owner)
    response = client.get("/admin/quotes/")
    assert response.status_code in (302, 403)
