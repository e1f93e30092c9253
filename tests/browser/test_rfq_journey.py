"""A request for quotation from start to payment, in Chromium, with plain forms: a buyer asks a booth for a
quote, the exhibitor's staff answer with one, the buyer compares, accepts it by card, lands on the order's
payment page and is sent on to Stripe Checkout (the local Stripe server stands in for Stripe's API; the
Checkout page itself is answered by the test, since nothing may leave the machine).

The server thread needs committed data, so the test is transactional; tests/conftest.py runs browser tests
after every other test."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from exhibitors.records.models import Record
from payments.models import ConnectedAccount, Order
from quotes.enums import QuoteStatus, RequestStatus
from quotes.models import QuoteRequest
from tests.payments import connect_stripe
from tests.payments.conftest import stripe_server, stripe_settings  # noqa: F401
from tests.quotes.conftest import market  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
connect_server = connect_stripe.connect_server


def signed_in_page(browser, site_server: str, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(timezone_id="Europe/Berlin", locale="en-GB")
    session = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": session, "url": site_server}])
    page = context.new_page()
    problems: list[str] = []
    # Script errors only: this WSGI test server has no chat socket, which the pages' script retries quietly.
    page.on("pageerror", lambda error: problems.append(str(error)))
    return page, problems


def test_request_quote_accept_and_pay_in_chromium(market, connect_server, site_server, browser, settings):  # noqa: F811
    settings.FERIA_SITE_URL = site_server
    ConnectedAccount.objects.create(
        company=market.coffee,
        stripe_account_id="acct_test_rfq",
        charges_enabled=True,
        payouts_enabled=True,
        details_submitted=True,
    )
    today = timezone.localdate()

    # The buyer asks the coffee booth for a quote, from the booth page.
    buyer, buyer_problems = signed_in_page(browser, site_server, market.buyer)
    buyer.goto(f"{site_server}/en/{market.fair.slug}/booths/{market.coffee.slug}/")
    buyer.get_by_role("link", name="Request a quote").click()
    buyer.wait_for_load_state()
    buyer.fill("#id_description", "Green coffee, washed Typica, grade 1")
    buyer.fill("#id_hs_code", "0901.11")
    buyer.fill("#id_quantity", "18000")
    buyer.select_option("#id_unit", "KGM")
    buyer.select_option("#id_incoterm", "FOB")
    buyer.select_option("#id_destination_country", "DE")
    buyer.fill("#id_destination_port", "Hamburg")
    buyer.fill("#id_wanted_by", (today + datetime.timedelta(days=60)).isoformat())
    buyer.fill("#id_closes_on", (today + datetime.timedelta(days=20)).isoformat())
    buyer.get_by_role("button", name="Send the request").click()
    buyer.wait_for_load_state()
    expect(buyer.locator("h1")).to_contain_text("Request RFQ-")
    rfq = QuoteRequest.objects.get()
    assert (rfq.hs_code, rfq.unit, rfq.booth_id) == ("090111", "KGM", market.booth.pk)

    # The exhibitor's staff see a buyer from Germany, not who it is, and answer with a quote.
    staff, staff_problems = signed_in_page(browser, site_server, market.coffee_staff)
    staff.goto(f"{site_server}/en/quotes/companies/{market.coffee.pk}/")
    expect(staff.locator("main")).to_contain_text("Germany")
    expect(staff.locator("main")).not_to_contain_text("Kaufmann")
    staff.get_by_role("link", name=rfq.reference).first.click()
    staff.wait_for_load_state()
    staff.select_option("#id_line_0_product", str(market.coffee.products.get().pk))
    staff.fill("#id_line_0_quantity", "18000")
    staff.select_option("#id_line_0_unit", "KGM")
    staff.fill("#id_line_0_unit_price", "4.50")
    staff.select_option("#id_currency", "USD")
    staff.select_option("#id_incoterm", "FOB")
    staff.fill("#id_lead_time_days", "35")
    staff.fill("#id_valid_until", (today + datetime.timedelta(days=30)).isoformat())
    staff.fill("#id_terms", "Payment in advance.")
    staff.locator("main form button[type=submit]").first.click()
    staff.wait_for_load_state()
    quote = rfq.quotes.get()
    assert (quote.status, quote.total_amount) == (QuoteStatus.SUBMITTED, 8_100_000)

    # The buyer compares (one quote), accepts it by card and lands on the payment page.
    buyer.goto(f"{site_server}/en/quotes/mine/{rfq.pk}/")
    expect(buyer.locator("table.quote-compare")).to_contain_text("$81,000.00")
    buyer.locator("input[name=route][value=card]").check()
    buyer.get_by_role("button", name="Accept this quote").click()
    buyer.wait_for_load_state()
    order = Order.objects.get()
    assert buyer.url == f"{site_server}/en/payments/mine/{order.pk}/"
    expect(buyer.locator("main")).to_contain_text("$81,000.00")
    rfq.refresh_from_db()
    quote.refresh_from_db()
    assert (rfq.status, quote.status) == (RequestStatus.ACCEPTED, QuoteStatus.ACCEPTED)
    assert quote.order_id == order.pk
    assert Record.objects.filter(kind="quote.accepted").count() == 1

    # Pay: the site creates the Checkout Session and sends the browser to Stripe's page.
    buyer.route(
        "https://checkout.stripe.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<title>Checkout</title>"),
    )
    buyer.get_by_role("button", name="Pay $81,000.00").click()
    buyer.wait_for_url("https://checkout.stripe.com/**")
    assert order.attempts.filter(stripe_session_id__startswith="cs_").count() == 1
    assert buyer_problems == [] and staff_problems == []
