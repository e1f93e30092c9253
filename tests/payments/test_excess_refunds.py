"""Money that arrives after an order is covered is given back automatically: a card payment completing
after bank transfers covered the booth fee, and a buyer's second payment of the same request. The Refund row
is saved first, Stripe is asked with its idempotency key, the ledger records both movements, the payer gets
an e-mail in their language, and the order's history says why."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from payments.enums import AttemptMethod, AttemptStatus, LedgerBook, LedgerKind, OrderState, RefundStatus
from payments.models import LedgerEntry, Order, PaymentAttempt, Refund
from payments.periodic import payments_retry
from payments.selectors.orders import buyer_order_state
from payments.services.bank import bank_transfer_record
from tests.payments import connect_stripe, test_booth_fees
from tests.payments.conftest import make_event
from tests.payments.connect_stripe import send_request, start_payment
from tests.payments.test_booth_fees import fee_url, make_booth

pytestmark = pytest.mark.django_db
connect_server, world = connect_stripe.connect_server, connect_stripe.world
fair, igv, chamber = test_booth_fees.fair, test_booth_fees.igv, test_booth_fees.chamber


def _ledger(**filters):
    return sorted(LedgerEntry.objects.filter(**filters).values_list("kind", "amount"))


def test_card_payment_after_transfers_covered_the_fee_is_refunded(
    client,
    fair,
    igv,
    chamber,
    connect_server,
    post_event,
    django_capture_on_commit_callbacks,  # noqa: F811
):
    booth, owner = make_booth(fair, language="es")
    order = Order.objects.get(booth=booth)
    client.force_login(owner)
    assert client.post(fee_url(booth, action="card/")).status_code == 302
    attempt = PaymentAttempt.objects.get(method=AttemptMethod.CHECKOUT)
    # Meanwhile the chamber records the transfer that covers the fee; the open card attempt is cancelled.
    bank_transfer_record(order=order, amount=17700, received_on=date.today(), by=owner)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.CANCELLED
    # ...but the company's other tab was already on Stripe's page and pays.
    session = connect_server.complete_session(attempt.stripe_session_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(make_event("checkout.session.completed", session)).status_code == 200

    attempt.refresh_from_db()
    refund = Refund.objects.get()
    assert attempt.status == AttemptStatus.SUCCEEDED
    assert (refund.amount, refund.excess, refund.attempt, refund.status) == (
        17700,
        True,
        attempt,
        RefundStatus.SUCCEEDED,
    )
    (call,) = connect_server.calls("POST", "/v1/refunds")
    assert call.idempotency_key == f"refund-{refund.pk}"
    assert call.params == {
        "payment_intent": attempt.stripe_payment_intent_id,
        "amount": 17700,
        "reason": "duplicate",
        "metadata": {
            "feria_kind": "booth_fee",
            "order_id": str(order.pk),
            "attempt_id": str(attempt.pk),
            "refund_id": str(refund.pk),
            "feria_excess": "true",
        },
    }  # a charge on the chamber's own account: no transfer to reverse
    chamber_book = _ledger(
        book=LedgerBook.CHAMBER, order=order, kind__in=["charge", "refund", "bank_transfer"]
    )
    assert chamber_book == [("bank_transfer", 17700), ("charge", 17700), ("refund", -17700)]

    (notice,) = [m for m in mail.outbox if m.subject == f"177,00 US$ devueltos en {order.reference}"]
    assert notice.to == [owner.email]
    assert notice.extra_headers["Content-Language"] == "es"
    assert "177,00\xa0US$" in notice.body
    assert Refund.objects.get().payer_notified_at is not None

    html = client.get(fee_url(booth)).content.decode()
    assert "given back automatically" in html
    # Paid: opening another Checkout is refused with a clear message.
    response = client.post(fee_url(booth, action="card/"), follow=True)
    assert "This was paid by card already" in response.content.decode()
    assert PaymentAttempt.objects.filter(method=AttemptMethod.CHECKOUT).count() == 1


def test_a_second_payment_of_the_same_request_is_refunded_with_the_transfer_reversed(
    client, world, post_event, django_capture_on_commit_callbacks
):
    order = send_request(world, lines=[("Samples", 1, 10000)])  # 100.00 USD, commission 10.00
    first = start_payment(client, world, order)
    # Tab 1 stays on Stripe's page while its session nears its end; tab 2 presses Pay and gets a new one.
    PaymentAttempt.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(hours=22, minutes=58)
    )
    second_response = client.post(reverse("payments:buyer_pay", args=[order.pk]))
    second = PaymentAttempt.objects.get(status=AttemptStatus.OPEN)
    assert second.pk != first.pk and second_response["Location"] == second.checkout_url
    # Both tabs pay.
    with django_capture_on_commit_callbacks(execute=True):
        for attempt in (second, first):
            session = world.server.complete_session(attempt.stripe_session_id)
            assert post_event(make_event("checkout.session.completed", session)).status_code == 200

    first.refresh_from_db()
    refund = Refund.objects.get()
    assert (refund.attempt, refund.amount, refund.excess, refund.status) == (
        first,
        10000,
        True,
        RefundStatus.SUCCEEDED,
    )
    (call,) = world.server.calls("POST", "/v1/refunds")
    assert call.idempotency_key == f"refund-{refund.pk}"
    assert call.params["payment_intent"] == first.stripe_payment_intent_id
    assert (call.params["reverse_transfer"], call.params["refund_application_fee"]) == (True, True)
    assert call.params["reason"] == "duplicate"
    # The exhibitor keeps one payment minus one commission; the chamber one commission.
    exhibitor = LedgerEntry.objects.filter(book=LedgerBook.EXHIBITOR, order=order)
    assert sum(exhibitor.values_list("amount", flat=True)) == 10000 - 1000
    assert exhibitor.filter(kind=LedgerKind.CHARGE).count() == 2
    assert exhibitor.get(kind=LedgerKind.TRANSFER_REVERSAL).amount == -10000
    chamber_book = LedgerEntry.objects.filter(book=LedgerBook.CHAMBER, order=order).exclude(
        kind=LedgerKind.FEE
    )
    assert sum(chamber_book.values_list("amount", flat=True)) == 1000

    order.refresh_from_db()
    order = Order.objects.prefetch_related("refunds", "disputes", "attempts").get(pk=order.pk)
    assert buyer_order_state(order) == OrderState.PAID  # the excess refund does not make it "refunded"
    notices = [m for m in mail.outbox if m.to == [world.buyer.email] and order.reference in m.subject]
    assert [m.subject for m in notices if "given back" in m.subject] == [
        f"$100.00 given back on {order.reference}"
    ]

    client.force_login(world.buyer)
    page = client.get(reverse("payments:buyer_order", args=[order.pk])).content.decode()
    assert "given back automatically: it was paid after the total was already covered" in page
    response = client.post(reverse("payments:buyer_pay", args=[order.pk]), follow=True)
    assert "This was paid by card already" in response.content.decode()
    client.force_login(world.owner)
    page = client.get(reverse("payments:company_order", args=[world.company.pk, order.pk])).content.decode()
    assert "given back automatically" in page
    # The owner can still refund the payment that counts, in full.
    client.post(reverse("payments:company_refund", args=[world.company.pk, order.pk]), {"amount": "100"})
    full = Refund.objects.get(excess=False)
    assert (full.attempt_id, full.status) == (
        PaymentAttempt.objects.get(pk=second.pk).pk,
        RefundStatus.SUCCEEDED,
    )


def test_an_excess_refund_stripe_could_not_take_is_sent_again_with_the_same_key(
    client, world, post_event, django_capture_on_commit_callbacks
):
    order = send_request(world, lines=[("Samples", 1, 10000)])
    first = start_payment(client, world, order)
    PaymentAttempt.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(hours=22, minutes=58)
    )
    client.post(reverse("payments:buyer_pay", args=[order.pk]))
    second = PaymentAttempt.objects.get(status=AttemptStatus.OPEN)
    world.server.fail_next(500, path="/v1/refunds")
    with django_capture_on_commit_callbacks(execute=True):
        for attempt in (first, second):
            session = world.server.complete_session(attempt.stripe_session_id)
            assert post_event(make_event("checkout.session.completed", session)).status_code == 200
    refund = Refund.objects.get()
    assert refund.status == RefundStatus.CREATED and refund.failure_reason
    assert not [m for m in mail.outbox if "given back" in m.subject]

    assert payments_retry(now=timezone.now() + timedelta(minutes=5))[1] == 1
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    keys = [call.idempotency_key for call in world.server.calls("POST", "/v1/refunds")]
    assert keys == [f"refund-{refund.pk}", f"refund-{refund.pk}"]
    assert len([m for m in mail.outbox if "given back" in m.subject]) == 1
