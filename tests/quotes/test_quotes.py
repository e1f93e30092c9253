"""Quotes: submitting and editing, permissions, comparison, the chat card, accepting into a payment request
(local Stripe server) or a bank-transfer order with a record entry and receipt, declining, query counts."""

import datetime
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from exhibitors.records.models import Record
from fair.chat.enums import MessageKind
from fair.chat.models import Message
from payments.enums import AttemptMethod, OrderKind
from payments.models import ConnectedAccount, Order
from quotes.enums import PaymentRoute, QuoteStatus, RequestStatus
from quotes.services.quotes import QuoteRefused, quote_accept, quote_decline, quote_discuss, quote_withdraw
from tests.factories.certificates import VerifiedCertificateFactory
from tests.factories.quotes import post_request, send_quote
from tests.payments import connect_stripe

pytestmark = pytest.mark.django_db
connect_server = connect_stripe.connect_server
from tests.payments.conftest import stripe_server, stripe_settings  # noqa: E402, F401


def _connect(company):
    ConnectedAccount.objects.create(
        company=company,
        stripe_account_id=f"acct_test_{company.pk}",
        charges_enabled=True,
        payouts_enabled=True,
        details_submitted=True,
    )


def test_quote_submit_edit_and_withdraw(market):
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    quote = send_quote(request=rfq, company=market.coffee, by=market.coffee_staff)
    assert quote.total_amount == 18000 * 450
    edited = send_quote(request=rfq, company=market.coffee, by=market.coffee_owner, unit_amount=430)
    assert edited.pk == quote.pk and edited.total_amount == 18000 * 430
    assert quote_withdraw(quote=edited, by=market.coffee_owner).status == QuoteStatus.WITHDRAWN


def test_quote_refused_for_non_recipient_and_non_member(market):
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    with pytest.raises(PermissionDenied):
        send_quote(request=rfq, company=market.tea, by=market.tea_owner)  # never received it
    with pytest.raises(PermissionDenied):
        send_quote(request=rfq, company=market.coffee, by=market.tea_owner)  # not a member


def test_quote_with_bad_lines_is_refused(market):
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    with pytest.raises(QuoteRefused) as caught:
        send_quote(request=rfq, company=market.coffee, by=market.coffee_staff, currency="XTS")
    assert "currency" in caught.value.message_dict
    with pytest.raises(QuoteRefused) as caught:
        send_quote(request=rfq, company=market.coffee, by=market.coffee_staff, unit_amount=10**9)
    assert "lines" in caught.value.message_dict


def test_quote_form_on_the_company_page(market, client):
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    client.force_login(market.coffee_staff)
    url = reverse("quotes:company_request", args=[market.coffee.pk, rfq.pk])
    data = {
        "currency": "USD",
        "incoterm": "FOB",
        "lead_time_days": "30",
        "valid_until": rfq.wanted_by.isoformat(),
        "terms": "CAD",
        "line_0_product": str(market.coffee.products.get().pk),
        "line_0_description": "",
        "line_0_quantity": "18000",
        "line_0_unit": "KGM",
        "line_0_unit_price": "4.50",
    }
    bad = client.post(url, data | {"line_0_unit_price": "abc"})
    assert bad.status_code == 200 and "Enter a number" in bad.content.decode()
    response = client.post(
        url, data | {"valid_until": (rfq.wanted_by.replace(year=rfq.wanted_by.year - 1)).isoformat()}
    )
    assert "valid at least until today" in response.content.decode()
    response = client.post(url, data | {"valid_until": rfq.closes_at.date().isoformat()})
    assert response.status_code == 302
    quote = rfq.quotes.get()
    assert quote.lines.get().description == "Green coffee" and quote.total_amount == 8_100_000


def test_buyer_compares_quotes_side_by_side(market, client, django_assert_num_queries):
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    send_quote(request=rfq, company=market.coffee, by=market.coffee_staff, unit_amount=450)
    client.force_login(market.buyer)
    url = reverse("quotes:request_detail", args=[rfq.pk])
    client.get(url)
    with django_assert_num_queries(9):
        one = client.get(url)
    send_quote(request=rfq, company=market.cacao, by=market.cacao_owner, unit_amount=420, currency="USD")
    with django_assert_num_queries(9):
        two = client.get(url)
    body = two.content.decode()
    assert one.status_code == two.status_code == 200
    assert body.index("Kallpa Cacao") < body.index("Cafe Inca")  # cheapest first
    assert "$75,600.00" in body and "$81,000.00" in body


def test_quotes_show_the_companys_verified_certificates_until_expiry(market, client):
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    send_quote(request=rfq, company=market.coffee, by=market.coffee_staff)
    send_quote(request=rfq, company=market.cacao, by=market.cacao_owner, currency="USD")
    organic = VerifiedCertificateFactory(company=market.coffee)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    VerifiedCertificateFactory(company=market.cacao, expires_on=yesterday)
    client.force_login(market.buyer)
    url = reverse("quotes:request_detail", args=[rfq.pk])

    body = client.get(url).content.decode()

    assert body.count("✓ verified by the chamber") == 1
    assert reverse("certificate_check", args=[organic.public_token]) in body
    organic.expires_on = yesterday
    organic.save(update_fields=["expires_on"])
    assert "✓ verified by the chamber" not in client.get(url).content.decode()


def test_company_list_query_count(market, client, django_assert_num_queries):
    post_request(buyer=market.buyer, fair=market.fair)
    client.force_login(market.coffee_owner)
    url = reverse("quotes:company_requests", args=[market.coffee.pk])
    client.get(url)
    with django_assert_num_queries(8):
        client.get(url)
    for _ in range(4):
        rfq = post_request(buyer=market.buyer, fair=market.fair)
        send_quote(request=rfq, company=market.coffee, by=market.coffee_staff)
    with django_assert_num_queries(8):
        page = client.get(url)
    assert page.content.decode().count("RFQ-") == 5


def test_buyer_list_query_count(market, client, django_assert_num_queries):
    post_request(buyer=market.buyer, fair=market.fair)
    client.force_login(market.buyer)
    url = reverse("quotes:request_list")
    client.get(url)
    with django_assert_num_queries(4):
        client.get(url)
    for _ in range(4):
        post_request(buyer=market.buyer, fair=market.fair, booth=market.booth)
    with django_assert_num_queries(4):
        page = client.get(url)
    assert page.content.decode().count("RFQ-") == 5


def test_discuss_posts_the_quote_card_in_the_conversation(market, client):
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    quote = send_quote(request=rfq, company=market.coffee, by=market.coffee_staff)
    client.force_login(market.buyer)
    response = client.post(reverse("quotes:quote_discuss", args=[rfq.pk, quote.pk]))
    assert response.status_code == 302
    message = Message.objects.get(kind=MessageKind.QUOTE)
    assert message.sender == market.coffee_staff
    assert message.payload["quote_id"] == quote.pk and message.payload["total"] == 8_100_000
    assert message.payload["lines"] == [
        {"description": "Green coffee", "quantity": 18000, "unit": "KGM", "unit_amount": 450}
    ]
    page = client.get(response["Location"])
    assert "Compare and decide" in page.content.decode()
    quote_discuss(quote=quote, buyer=market.buyer)
    assert Message.objects.filter(kind=MessageKind.QUOTE).count() == 1


def test_accept_by_card_makes_one_payment_request_and_one_record(market, connect_server, client):
    _connect(market.coffee)
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    quote = send_quote(request=rfq, company=market.coffee, by=market.coffee_staff)
    other = send_quote(request=rfq, company=market.cacao, by=market.cacao_owner)
    client.force_login(market.buyer)
    url = reverse("quotes:quote_accept", args=[rfq.pk, quote.pk])
    first = client.post(url, {"route": "card"})
    second = client.post(url, {"route": "card"})  # a double submit
    order = Order.objects.get()
    assert first["Location"] == reverse("payments:buyer_order", args=[order.pk])
    assert second.status_code == 302
    assert (order.kind, order.payer_user, order.payee_company, order.total_amount) == (
        OrderKind.BUYER_PAYMENT,
        market.buyer,
        market.coffee,
        8_100_000,
    )
    assert Message.objects.filter(kind=MessageKind.PAYMENT_REQUEST).count() == 1
    records = Record.objects.filter(kind="quote.accepted")
    assert records.count() == 1
    facts = json.loads(records.get().canonical)["facts"]
    assert (
        facts["accepted_by_user_id"] == market.buyer.pk
        and facts["quoted_by_user_id"] == market.coffee_staff.pk
    )
    assert facts["total_amount"] == 8_100_000 and facts["payment_route"] == "card"
    quote.refresh_from_db()
    rfq.refresh_from_db()
    assert (quote.status, rfq.status, quote.order) == (QuoteStatus.ACCEPTED, RequestStatus.ACCEPTED, order)
    with pytest.raises(QuoteRefused):
        quote_accept(quote=other, buyer=market.buyer, route=PaymentRoute.CARD)
    # The buyer pays on Stripe's page from the order.
    pay = client.post(reverse("payments:buyer_pay", args=[order.pk]))
    assert pay.status_code == 302 and pay["Location"].startswith("https://checkout.stripe.com/")
    # Both sides download the signed receipt; the other company cannot.
    receipt_url = reverse("records:receipt", args=[quote.record_position])
    assert client.get(receipt_url).status_code == 200
    client.force_login(market.coffee_owner)
    assert client.get(receipt_url).status_code == 200
    page = client.get(reverse("quotes:company_request", args=[market.coffee.pk, rfq.pk])).content.decode()
    assert "Beatrix Kaufmann" in page  # accepted: the company now knows the buyer
    client.force_login(market.cacao_owner)
    assert client.get(receipt_url).status_code == 404
    page = client.get(reverse("quotes:company_request", args=[market.cacao.pk, rfq.pk])).content.decode()
    assert "Beatrix" not in page


def test_accept_by_card_without_stripe_account_is_refused_and_changes_nothing(market):
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    quote = send_quote(request=rfq, company=market.coffee, by=market.coffee_staff)
    with pytest.raises(Exception) as caught:
        quote_accept(quote=quote, buyer=market.buyer, route=PaymentRoute.CARD)
    assert "Stripe" in str(caught.value)
    quote.refresh_from_db()
    assert (
        quote.status == QuoteStatus.SUBMITTED and not Record.objects.exists() and not Order.objects.exists()
    )


def test_accept_by_bank_transfer_makes_an_order_without_card(market, django_capture_on_commit_callbacks):
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    quote = send_quote(request=rfq, company=market.cacao, by=market.cacao_owner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        accepted = quote_accept(quote=quote, buyer=market.buyer, route=PaymentRoute.BANK_TRANSFER)
    order = accepted.order
    assert order.application_fee_amount == 0 and order.total_amount == quote.total_amount
    assert order.attempts.get().method == AttemptMethod.BANK_TRANSFER
    assert Record.objects.filter(kind="quote.accepted").count() == 1
    assert [m.to for m in mail.outbox] == [["carla@example.com"]]
    assert "fue aceptada" in mail.outbox[0].subject


def test_decline_tells_the_exhibitor_in_their_language(market, django_capture_on_commit_callbacks):
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    quote = send_quote(request=rfq, company=market.cacao, by=market.cacao_owner)
    mail.outbox.clear()
    with pytest.raises(QuoteRefused):
        quote_decline(quote=quote, buyer=market.buyer, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        quote_decline(quote=quote, buyer=market.buyer, reason="Lead time too long")
    assert mail.outbox[0].to == ["carla@example.com"]
    assert "rechazada" in mail.outbox[0].subject and "Lead time too long" in mail.outbox[0].body


def test_other_buyer_cannot_accept_or_see(market, client):
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    quote = send_quote(request=rfq, company=market.coffee, by=market.coffee_staff)
    with pytest.raises(PermissionDenied):
        quote_accept(quote=quote, buyer=market.tea_owner, route=PaymentRoute.BANK_TRANSFER)
    client.force_login(market.tea_owner)
    response = client.post(reverse("quotes:quote_accept", args=[rfq.pk, quote.pk]), {"route": "card"})
    assert response.status_code == 404


def test_pages_in_spanish(market, client):
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    send_quote(request=rfq, company=market.coffee, by=market.coffee_staff)
    client.force_login(market.buyer)
    body = client.get(f"/es/quotes/mine/{rfq.pk}/").content.decode()
    assert "Cotizaciones lado a lado" in body
    client.force_login(market.coffee_owner)
    body = client.get(f"/fr/quotes/companies/{market.coffee.pk}/").content.decode()
    assert "un acheteur d’Allemagne" in body or "un acheteur d'Allemagne" in body
