"""Money that arrives outside Stripe for an accepted quote (bank transfer or letter of credit): the quoting
company's owners record it on the order page; amounts add up to a paid order with its receipt, in the
exhibitor's books."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from payments.enums import AttemptMethod, AttemptStatus, LedgerBook, LedgerKind
from payments.models import BankTransferReceipt, LedgerEntry, Receipt
from quotes.enums import PaymentRoute
from quotes.services.quotes import quote_accept
from tests.factories.quotes import post_request, send_quote
from tests.quotes.conftest import market  # noqa: F401

pytestmark = pytest.mark.django_db


def accepted_order(market, route):  # noqa: F811
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    quote = send_quote(request=rfq, company=market.coffee, by=market.coffee_staff)  # 18,000 kg at 4.50 USD
    return quote_accept(quote=quote, buyer=market.buyer, route=route).order


def url(market, order, name="company_money_received"):  # noqa: F811
    return reverse(f"payments:{name}", args=[market.coffee.pk, order.pk])


def form(amount: str, **extra) -> dict:
    return {
        "amount": amount,
        "received_on": timezone.localdate().isoformat(),
        "bank_reference": "SWIFT 123",
    } | extra


@pytest.mark.parametrize("route", [PaymentRoute.BANK_TRANSFER, PaymentRoute.LETTER_OF_CREDIT])
def test_owner_records_partial_then_full_amount_and_the_order_is_paid_once(
    market,  # noqa: F811
    client,
    route,
    django_capture_on_commit_callbacks,
):
    order = accepted_order(market, route)
    assert order.attempts.get().method == AttemptMethod.BANK_TRANSFER
    client.force_login(market.coffee_owner)
    page = client.get(url(market, order, "company_order")).content.decode()
    assert "Money received" in page and "$81,000.00 is still due" in page

    response = client.post(url(market, order), form("30000.00"))
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.paid_at is None
    assert "$51,000.00 is still due" in client.get(url(market, order, "company_order")).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(market, order), form("51000.00"))
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.paid_at is not None
    assert Receipt.objects.filter(order=order).count() == 1
    assert order.attempts.get().status == AttemptStatus.SUCCEEDED
    entries = LedgerEntry.objects.filter(order=order, kind=LedgerKind.BANK_TRANSFER)
    assert {(e.book, e.company_id, e.amount) for e in entries} == {
        (LedgerBook.EXHIBITOR, market.coffee.pk, 3_000_000),
        (LedgerBook.EXHIBITOR, market.coffee.pk, 5_100_000),
    }
    assert [m.to for m in mail.outbox] == [[market.buyer.email]]  # the receipt
    # A repeated submit after the order is paid records nothing more.
    again = client.post(url(market, order), form("51000.00"), follow=True)
    assert "This is paid already" in again.content.decode()
    assert BankTransferReceipt.objects.filter(attempt__order=order).count() == 2
    # The buyer sees the order paid, with its receipt.
    client.force_login(market.buyer)
    page = client.get(reverse("payments:buyer_order", args=[order.pk])).content.decode()
    assert "Paid on" in page and "Bank transfer of $30,000.00 recorded." in page


def test_the_same_form_sent_twice_records_once(market, client):  # noqa: F811
    order = accepted_order(market, PaymentRoute.BANK_TRANSFER)
    client.force_login(market.coffee_owner)
    page = client.get(url(market, order, "company_order")).content.decode()
    token = re.search(r'name="submission" value="([0-9a-f]{32})"', page).group(1)

    first = client.post(url(market, order), form("1000.00", submission=token))
    second = client.post(url(market, order), form("1000.00", submission=token))
    third = client.post(url(market, order), form("1000.00", submission="not-a-token"))

    assert first.status_code == second.status_code == 302 and third.status_code == 400
    assert list(BankTransferReceipt.objects.values_list("amount", flat=True)) == [100_000]
    assert LedgerEntry.objects.filter(order=order, kind=LedgerKind.BANK_TRANSFER).count() == 1
    fresh = client.get(url(market, order, "company_order")).content.decode()
    assert token not in fresh  # a new form, a new token


def test_an_order_with_money_recorded_cannot_be_withdrawn(market, client):  # noqa: F811
    order = accepted_order(market, PaymentRoute.BANK_TRANSFER)
    client.force_login(market.coffee_owner)
    page = client.get(url(market, order, "company_order")).content.decode()
    assert "Withdraw this request" in page
    client.post(url(market, order), form("1000.00"))

    page = client.get(url(market, order, "company_order")).content.decode()
    response = client.post(url(market, order, "company_request_cancel"), follow=True)

    assert "Withdraw this request" not in page
    assert "cannot be withdrawn" in response.content.decode()
    order.refresh_from_db()
    assert order.cancelled_at is None


def test_refused_amounts_keep_what_was_typed(market, client):  # noqa: F811
    order = accepted_order(market, PaymentRoute.BANK_TRANSFER)
    client.force_login(market.coffee_owner)

    too_much = client.post(url(market, order), form("90000.00", note="first tranche"))
    future = client.post(
        url(market, order),
        form("10.00", received_on=(timezone.localdate() + datetime.timedelta(days=2)).isoformat()),
    )
    zero = client.post(url(market, order), form("0"))

    assert too_much.status_code == future.status_code == zero.status_code == 400
    assert "Only $81,000.00 is still due." in too_much.content.decode()
    assert 'value="first tranche"' in too_much.content.decode()
    assert "This date is in the future." in future.content.decode()
    assert "Enter an amount above zero." in zero.content.decode()
    assert not BankTransferReceipt.objects.exists()


def test_only_the_paid_companys_owners_record(market, client):  # noqa: F811
    order = accepted_order(market, PaymentRoute.BANK_TRANSFER)

    client.force_login(market.coffee_staff)  # a member, not an owner
    assert client.post(url(market, order), form("10.00")).status_code == 404
    assert (
        "Only the company's owners can record"
        in client.get(url(market, order, "company_order")).content.decode()
    )
    client.force_login(market.cacao_owner)  # another company
    assert client.post(url(market, order), form("10.00")).status_code == 404
    other = reverse("payments:company_money_received", args=[market.cacao.pk, order.pk])
    assert client.post(other, form("10.00")).status_code == 404
    client.force_login(market.buyer)
    assert client.post(url(market, order), form("10.00")).status_code == 404
    assert not BankTransferReceipt.objects.exists()


def test_buyer_is_told_to_pay_outside_stripe_and_sees_what_arrived(market, client):  # noqa: F811
    order = accepted_order(market, PaymentRoute.LETTER_OF_CREDIT)
    client.force_login(market.coffee_owner)
    client.post(url(market, order), form("1000.00"))
    client.force_login(market.buyer)

    page = client.get(reverse("payments:buyer_order", args=[order.pk])).content.decode()

    assert "bank transfer or letter of credit" in page and "Received so far: $1,000.00." in page
    assert reverse("payments:buyer_pay", args=[order.pk]) not in page


def test_card_orders_take_no_bank_record(market, client):  # noqa: F811
    order = accepted_order(market, PaymentRoute.BANK_TRANSFER)
    order.attempts.all().delete()  # as a card order has: no bank-transfer attempt
    client.force_login(market.coffee_owner)

    assert "Money received" not in client.get(url(market, order, "company_order")).content.decode()
    assert client.post(url(market, order), form("50.00")).status_code == 404
