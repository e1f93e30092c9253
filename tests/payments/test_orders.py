"""Buyer payments: a payment request sent in a conversation, paid through Checkout as a destination charge
with the chamber's commission, fulfilled once from events and the success page, in several currencies."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fair.chat.enums import MessageKind
from fair.chat.models import Message
from fair.chat.services.conversations import message_send
from payments.enums import AttemptStatus, LedgerKind, OrderState
from payments.models import LedgerEntry, Order, PaymentAttempt, Receipt
from tests.payments import connect_stripe
from tests.payments.conftest import make_event
from tests.payments.connect_stripe import send_request, start_payment

pytestmark = pytest.mark.django_db
connect_server, world = connect_stripe.connect_server, connect_stripe.world


def _complete(world, attempt, post_event, **session_changes):
    session = world.server.complete_session(attempt.stripe_session_id)
    if session_changes:
        session = world.server.set_session(attempt.stripe_session_id, **session_changes)
    event = make_event("checkout.session.completed", session)
    response = post_event(event)
    assert response.status_code == 200, response.content
    return event


def test_request_form_sends_a_card_in_the_conversation(client, world):
    client.force_login(world.staff)
    url = reverse("payments:payment_request_new", args=[world.conversation.pk])
    page = client.get(url)
    assert page.status_code == 200
    client_id = page.context["form"]["client_id"].value()
    data = {
        "client_id": client_id,
        "currency": "USD",
        "line_0_description": "Green coffee samples",
        "line_0_quantity": "3",
        "line_0_unit_price": "12.50",
        "line_1_description": "Deposit",
        "line_1_unit_price": "100",
        "tax_0_name": "IGV",
        "tax_0_rate": "18",
        "note": "Ships in a week",
        "expires_on": (timezone.localdate() + timedelta(days=5)).isoformat(),
    }
    response = client.post(url, data)
    assert response.status_code == 302
    order = Order.objects.get()
    assert (order.net_amount, order.tax_amount, order.total_amount) == (13750, 2475, 16225)
    assert order.application_fee_amount == 1622  # 10 % of 162.25 rounded down
    assert (
        order.fair == world.fair and order.payee_company == world.company and order.payer_user == world.buyer
    )
    message = Message.objects.get(kind=MessageKind.PAYMENT_REQUEST)
    assert order.message == message
    assert message.payload["order_id"] == order.pk and message.payload["total"] == 16225
    assert response["Location"].endswith(f"#m{message.pk}")
    # The same form posted again (a double click) makes nothing new.
    client.post(url, data)
    assert Order.objects.count() == 1

    conversation_url = reverse("chat:conversation", args=[world.conversation.pk])
    staff_page = client.get(conversation_url).content.decode()
    assert "Payment request" in staff_page and "$162.25" in staff_page
    assert reverse("payments:buyer_pay", args=[order.pk]) not in staff_page
    assert url in staff_page  # the conversation page links to the request form on the company side
    client.force_login(world.buyer)
    buyer_page = client.get(conversation_url).content.decode()
    assert reverse("payments:buyer_pay", args=[order.pk]) in buyer_page
    assert url not in buyer_page
    assert "Ships in a week" in buyer_page
    fragment = client.get(reverse("chat:fragment", args=[world.conversation.pk, message.pk])).content.decode()
    assert reverse("payments:buyer_pay", args=[order.pk]) in fragment


def test_request_form_refuses_bad_input_and_keeps_it(client, world):
    client.force_login(world.owner)
    url = reverse("payments:payment_request_new", args=[world.conversation.pk])
    client_id = client.get(url).context["form"]["client_id"].value()
    response = client.post(
        url,
        {
            "client_id": client_id,
            "currency": "JPY",
            "line_0_description": "Samples",
            "line_0_unit_price": "10.5",
            "expires_on": (timezone.localdate() + timedelta(days=31)).isoformat(),
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "line_0_unit_price" in form.errors and "expires_on" in form.errors
    assert 'value="Samples"' in response.content.decode()
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("currency", "price", "quantity", "field"),
    [
        ("USD", "1e18", "1", "line_0_unit_price"),
        ("USD", "99999999999999999999", "100000", "line_0_unit_price"),
        ("USD", "1e999999999", "1", "line_0_unit_price"),
        ("USD", "10000", "100000", "__all__"),  # 1,000,000,000.00 USD: each price fine, the total not
        ("XTS", "10", "1", "currency"),
        ("XXX", "10", "1", "currency"),
    ],
)
def test_request_form_refuses_amounts_and_currencies_stripe_does_not_take(
    client, world, currency, price, quantity, field
):
    client.force_login(world.owner)
    url = reverse("payments:payment_request_new", args=[world.conversation.pk])
    response = client.post(
        url,
        {
            "client_id": "bounds",
            "currency": currency,
            "line_0_description": "Container",
            "line_0_quantity": quantity,
            "line_0_unit_price": price,
            "expires_on": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    if currency == "USD":
        assert "Stripe takes at most $999,999.99 in one payment" in " ".join(errors[field])
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("lines", "currency", "message"),
    [
        ([("Ship", 100000, 99999999999999999999 * 100)], "USD", "Stripe takes at most $999,999.99"),
        ([("Ship", 1, 9_200_000_000_000_000)], "USD", "Stripe takes at most $999,999.99"),
        ([("Ship", 1, 100_000_000)], "JPY", "Stripe takes at most ¥99,999,999"),
        ([("Ship", 1, 1000)], "XTS", "Choose a currency from the list."),
    ],
)
def test_requests_are_bounded_by_what_stripe_charges(world, lines, currency, message):
    with pytest.raises(ValidationError) as caught:
        send_request(world, lines=lines, currency=currency)
    assert message in " ".join(caught.value.messages)
    assert not Order.objects.exists()
    # The largest amount Stripe takes is accepted.
    assert send_request(world, lines=[("Ship", 1, 99_999_999)], currency="USD").total_amount == 99_999_999


def test_only_the_company_side_sends_requests_and_never_from_a_socket(client, world):
    client.force_login(world.buyer)
    assert (
        client.get(reverse("payments:payment_request_new", args=[world.conversation.pk])).status_code == 404
    )
    client.force_login(world.other_buyer)
    assert (
        client.get(reverse("payments:payment_request_new", args=[world.conversation.pk])).status_code == 404
    )
    order = send_request(world)
    payload = order.message.payload
    with pytest.raises(ValidationError):
        message_send(
            conversation=world.conversation,
            sender=world.buyer,
            client_id="x1",
            kind=MessageKind.PAYMENT_REQUEST,
            payload=payload,
        )
    with pytest.raises(ValidationError):
        message_send(
            conversation=world.conversation,
            sender=world.staff,
            client_id="x2",
            kind=MessageKind.PAYMENT_REQUEST,
            payload=payload,
            from_socket=True,
        )
    with pytest.raises(ValidationError):
        message_send(
            conversation=world.conversation,
            sender=world.staff,
            client_id="x3",
            kind=MessageKind.PAYMENT_REQUEST,
            payload={**payload, "order_id": "1"},
        )


def test_requests_need_a_connected_account_that_takes_charges(world):
    world.account.charges_enabled = False
    world.account.save()
    with pytest.raises(ValidationError) as error:
        send_request(world)
    assert error.value.code == "not_connected"
    assert not Order.objects.exists()


def test_pay_creates_a_destination_charge_with_the_commission(client, world):
    order = send_request(
        world, lines=[("Coffee samples", 2, 2500), ("Deposit", 1, 10000)], taxes=[("IGV", "18")]
    )
    assert (order.net_amount, order.tax_amount, order.total_amount, order.application_fee_amount) == (
        15000,
        2700,
        17700,
        1770,
    )
    attempt = start_payment(client, world, order)
    (call,) = world.server.calls("POST", "/v1/checkout/sessions")
    assert call.idempotency_key == f"checkout-{attempt.pk}"
    assert call.stripe_account is None  # a destination charge is made on the platform
    params = call.params
    metadata = {
        "feria_kind": "buyer_payment",
        "order_id": str(order.pk),
        "attempt_id": str(attempt.pk),
        "company_id": str(world.company.pk),
        "conversation_id": str(world.conversation.pk),
        "fair_id": str(world.fair.pk),
    }
    assert params["line_items"] == [
        {
            "quantity": 2,
            "price_data": {
                "currency": "usd",
                "unit_amount": 2500,
                "product_data": {"name": "Coffee samples"},
            },
        },
        {
            "quantity": 1,
            "price_data": {"currency": "usd", "unit_amount": 10000, "product_data": {"name": "Deposit"}},
        },
        {
            "quantity": 1,
            "price_data": {"currency": "usd", "unit_amount": 2700, "product_data": {"name": "IGV 18 %"}},
        },
    ]
    assert params["payment_intent_data"] == {
        "application_fee_amount": 1770,
        "transfer_data": {"destination": "acct_test_cafeinca"},
        "metadata": metadata,
        "description": f"{order.reference} Cafe Inca S.A.C.",
    }
    assert params["metadata"] == metadata
    assert params["mode"] == "payment" and params["client_reference_id"] == order.reference
    assert params["customer_email"] == "bea.buyer@example.com" and params["locale"] == "en"
    assert params["success_url"].endswith(
        reverse("payments:buyer_pay_return", args=[order.pk]) + "?session_id={CHECKOUT_SESSION_ID}"
    )
    now = timezone.now().timestamp()
    assert now + 22 * 3600 < params["expires_at"] <= now + 23 * 3600 + 5
    # Pressing Pay again while the session is open goes back to the same session.
    client.post(reverse("payments:buyer_pay", args=[order.pk]))
    assert len(world.server.calls("POST", "/v1/checkout/sessions")) == 1


def test_session_ends_with_the_request_when_it_expires_sooner(client, world):
    order = send_request(world, expires_at=timezone.now() + timedelta(hours=3))
    start_payment(client, world, order)
    (call,) = world.server.calls("POST", "/v1/checkout/sessions")
    assert abs(call.params["expires_at"] - order.expires_at.timestamp()) < 2


def test_fulfilment_happens_once_whatever_the_order_of_events(client, world, post_event):
    order = send_request(world, taxes=[("IGV", "18")])
    attempt = start_payment(client, world, order)
    event = _complete(world, attempt, post_event)
    order.refresh_from_db()
    assert order.paid_at is not None
    receipt = Receipt.objects.get(order=order)
    assert (receipt.issuer_name, receipt.issuer_tax_id) == ("Cafe Inca S.A.C.", "20123456789")
    assert receipt.display_number == f"S{world.company.pk}-000001" and receipt.series_company == world.company
    ledger = list(LedgerEntry.objects.values_list("book", "kind", "amount"))
    assert sorted(ledger) == sorted(
        [
            ("exhibitor", LedgerKind.CHARGE, 5900),
            ("exhibitor", LedgerKind.APPLICATION_FEE, -590),
            ("chamber", LedgerKind.APPLICATION_FEE, 590),
        ]
    )
    # The same event again, async_payment_succeeded, a late expiry and the success page: nothing new.
    assert post_event(event).status_code == 200
    session = world.server.sessions[attempt.stripe_session_id]
    post_event(make_event("checkout.session.async_payment_succeeded", session))
    post_event(make_event("checkout.session.expired", {**session, "status": "expired"}))
    client.force_login(world.buyer)
    response = client.get(
        reverse("payments:buyer_pay_return", args=[order.pk]) + f"?session_id={attempt.stripe_session_id}"
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUCCEEDED
    assert LedgerEntry.objects.count() == 3 and Receipt.objects.count() == 1
    page = client.get(reverse("payments:buyer_order", args=[order.pk])).content.decode()
    assert receipt.display_number in page


def test_success_page_first_then_the_event(client, world, post_event):
    order = send_request(world)
    attempt = start_payment(client, world, order)
    session = world.server.complete_session(attempt.stripe_session_id)
    response = client.get(
        reverse("payments:buyer_pay_return", args=[order.pk]) + f"?session_id={attempt.stripe_session_id}",
        follow=True,
    )
    assert "your payment was received" in response.content.decode()
    assert post_event(make_event("checkout.session.completed", session)).status_code == 200
    assert Receipt.objects.count() == 1 and LedgerEntry.objects.filter(kind=LedgerKind.CHARGE).count() == 1
    order.refresh_from_db()
    assert order.paid_at is not None


def test_booth_fee_handlers_leave_buyer_sessions_alone(client, world, post_event):
    """The same event types reach the booth-fee handlers: they ignore sessions of another kind."""
    from payments.services.checkout import checkout_session_apply

    order = send_request(world)
    attempt = start_payment(client, world, order)
    session = world.server.complete_session(attempt.stripe_session_id)
    assert checkout_session_apply(session=session) is None
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.OPEN


@pytest.mark.parametrize("fault", ["500", "timeout"])
def test_stripe_fault_then_retry_repeats_the_same_call(client, world, fault):
    order = send_request(world)
    if fault == "500":
        world.server.fail_next(500, path="/v1/checkout/sessions")
    else:
        world.server.hang_next(3, path="/v1/checkout/sessions")
    client.force_login(world.buyer)
    response = client.post(reverse("payments:buyer_pay", args=[order.pk]), follow=True)
    assert "could not be opened" in response.content.decode()
    attempt = PaymentAttempt.objects.get()
    assert attempt.status == AttemptStatus.CREATED and attempt.failure_reason
    response = client.post(reverse("payments:buyer_pay", args=[order.pk]))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.OPEN and PaymentAttempt.objects.count() == 1
    keys = {call.idempotency_key for call in world.server.calls("POST", "/v1/checkout/sessions")}
    assert keys == {f"checkout-{attempt.pk}"}


def test_expired_or_withdrawn_requests_cannot_be_paid(client, world):
    order = send_request(world)
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(world.buyer)
    response = client.post(reverse("payments:buyer_pay", args=[order.pk]), follow=True)
    assert "expired" in response.content.decode()
    assert not world.server.calls("POST", "/v1/checkout/sessions") and not PaymentAttempt.objects.exists()
    page = client.get(reverse("chat:conversation", args=[world.conversation.pk])).content.decode()
    assert reverse("payments:buyer_pay", args=[order.pk]) not in page and "Expired" in page

    other = send_request(world)
    client.force_login(world.staff)
    client.post(reverse("payments:company_request_cancel", args=[world.company.pk, other.pk]))
    client.force_login(world.buyer)
    response = client.post(reverse("payments:buyer_pay", args=[other.pk]), follow=True)
    assert "cancelled" in response.content.decode()
    assert not world.server.calls("POST", "/v1/checkout/sessions")


def test_someone_elses_orders_answer_404(client, world):
    from tests.factories.exhibitors import CompanyFactory, MembershipFactory, UserFactory

    order = send_request(world)
    client.force_login(world.other_buyer)
    for name in ("buyer_order", "buyer_pay_return"):
        assert client.get(reverse(f"payments:{name}", args=[order.pk])).status_code == 404
    assert client.post(reverse("payments:buyer_pay", args=[order.pk])).status_code == 404
    stranger = UserFactory()
    other_company = CompanyFactory()
    MembershipFactory(user=stranger, company=other_company)
    client.force_login(stranger)
    assert client.get(reverse("payments:company_order", args=[world.company.pk, order.pk])).status_code == 404
    assert client.get(reverse("payments:company_order", args=[other_company.pk, order.pk])).status_code == 404
    assert client.get(reverse("payments:company_payments", args=[world.company.pk])).status_code == 404
    assert client.get(reverse("payments:company_ledger", args=[world.company.pk])).status_code == 404
    assert (
        client.post(
            reverse("payments:company_refund", args=[other_company.pk, order.pk]), {"amount": "1"}
        ).status_code
        == 404
    )
    assert not world.server.calls("POST", "/v1/checkout/sessions")


@pytest.mark.parametrize(
    ("currency", "typed", "minor", "stripe_unit", "fee"),
    [
        ("JPY", "1500", 1500, 1500, 150),  # zero-decimal: yen are yen everywhere
        ("CLP", "9999", 9999, 9999, 999),  # commission rounded down to a whole peso
        ("HUF", "1500.50", 150050, 150050, 15005),  # Stripe's special case: charged with two decimals
        ("TWD", "300", 30000, 30000, 3000),
    ],
)
def test_currencies_end_to_end(client, world, post_event, currency, typed, minor, stripe_unit, fee):
    client.force_login(world.staff)
    url = reverse("payments:payment_request_new", args=[world.conversation.pk])
    client_id = client.get(url).context["form"]["client_id"].value()
    response = client.post(
        url,
        {
            "client_id": client_id,
            "currency": currency,
            "line_0_description": "Samples",
            "line_0_quantity": "1",
            "line_0_unit_price": typed,
            "expires_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    order = Order.objects.get()
    assert (order.currency, order.total_amount, order.application_fee_amount) == (currency, minor, fee)
    attempt = start_payment(client, world, order)
    (call,) = world.server.calls("POST", "/v1/checkout/sessions")
    assert call.params["line_items"][0]["price_data"] == {
        "currency": currency.lower(),
        "unit_amount": stripe_unit,
        "product_data": {"name": "Samples"},
    }
    assert call.params["payment_intent_data"]["application_fee_amount"] == fee
    _complete(world, attempt, post_event)
    order.refresh_from_db()
    assert order.paid_at is not None
    assert LedgerEntry.objects.get(kind=LedgerKind.CHARGE).amount == minor


def test_mismatched_amount_is_not_fulfilled(client, world, post_event):
    order = send_request(world)
    attempt = start_payment(client, world, order)
    session = world.server.complete_session(attempt.stripe_session_id)
    response = post_event(make_event("checkout.session.completed", {**session, "amount_total": 1}))
    assert response.status_code == 500
    order.refresh_from_db()
    assert order.paid_at is None and not LedgerEntry.objects.exists()


def test_dashboards_list_requests_for_both_sides(client, world, post_event):
    paid = send_request(world, lines=[("Paid samples", 1, 1000)])
    _complete(world, start_payment(client, world, paid), post_event)
    waiting = send_request(world, lines=[("More samples", 1, 2000)])
    client.force_login(world.staff)
    page = client.get(reverse("payments:company_payments", args=[world.company.pk])).content.decode()
    assert paid.reference in page and waiting.reference in page
    assert "Paid" in page and "Waiting for payment" in page
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert reverse("payments:company_payments", args=[world.company.pk]) in dashboard
    client.force_login(world.buyer)
    mine = client.get(reverse("payments:buyer_payments")).content.decode()
    assert paid.reference in mine and waiting.reference in mine
    assert reverse("payments:buyer_payments") in client.get(reverse("dashboard")).content.decode()
    client.force_login(world.other_buyer)
    assert paid.reference not in client.get(reverse("payments:buyer_payments")).content.decode()
    assert OrderState.PAID == "paid"


def test_payment_request_event_is_broadcast_like_any_message(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order = send_request(world)
    assert callbacks, "the chat message broadcast is queued after commit"
    assert json.loads(json.dumps(order.message.payload))["reference"] == order.reference
