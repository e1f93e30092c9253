"""Refunds of buyer payments by the exhibitor's owner: reverse_transfer and the fair's commission policy,
never beyond what was paid, safe to retry, and kept in line with Stripe's refund events."""

import pytest
from django.urls import reverse

from payments.enums import LedgerBook, LedgerKind, OrderState, RefundStatus
from payments.models import LedgerEntry, Refund
from payments.selectors.orders import buyer_order_state
from tests.payments import connect_stripe
from tests.payments.conftest import make_event
from tests.payments.connect_stripe import send_request, start_payment

pytestmark = pytest.mark.django_db
connect_server, world = connect_stripe.connect_server, connect_stripe.world


@pytest.fixture
def paid_order(client, world, post_event):
    """A paid order of 100.00 USD with a 10.00 commission."""
    order = send_request(world, lines=[("Samples", 1, 10000)])
    attempt = start_payment(client, world, order)
    session = world.server.complete_session(attempt.stripe_session_id)
    assert post_event(make_event("checkout.session.completed", session)).status_code == 200
    order.refresh_from_db()
    attempt.refresh_from_db()
    assert order.paid_at and order.application_fee_amount == 1000
    client.force_login(world.owner)
    return order, attempt


def _refund(client, world, order, amount, reason=""):
    return client.post(
        reverse("payments:company_refund", args=[world.company.pk, order.pk]),
        {"amount": amount, "reason": reason},
    )


def _ledger(book, kind):
    return sum(LedgerEntry.objects.filter(book=book, kind=kind).values_list("amount", flat=True))


def test_partial_then_full_refund(client, world, paid_order):
    order, attempt = paid_order
    response = _refund(client, world, order, "30.00", "Damaged sample")
    assert response.status_code == 302
    first = Refund.objects.get()
    (call,) = world.server.calls("POST", "/v1/refunds")
    assert call.idempotency_key == f"refund-{first.pk}"
    assert call.stripe_account is None
    assert call.params == {
        "payment_intent": attempt.stripe_payment_intent_id,
        "amount": 3000,
        "reverse_transfer": True,
        "refund_application_fee": True,
        "reason": "requested_by_customer",
        "metadata": {
            "feria_kind": "buyer_payment",
            "order_id": str(order.pk),
            "attempt_id": str(attempt.pk),
            "refund_id": str(first.pk),
        },
    }
    assert first.status == RefundStatus.SUCCEEDED and first.stripe_refund_id.startswith("re_test_")
    order.refresh_from_db()
    assert buyer_order_state(order) == OrderState.PARTIALLY_REFUNDED
    assert _ledger(LedgerBook.EXHIBITOR, LedgerKind.TRANSFER_REVERSAL) == -3000
    assert _ledger(LedgerBook.EXHIBITOR, LedgerKind.APPLICATION_FEE_REFUND) == 300
    assert _ledger(LedgerBook.CHAMBER, LedgerKind.REFUND) == -3000
    assert _ledger(LedgerBook.CHAMBER, LedgerKind.TRANSFER_REVERSAL) == 3000
    assert _ledger(LedgerBook.CHAMBER, LedgerKind.APPLICATION_FEE_REFUND) == -300

    assert _refund(client, world, order, "70.00").status_code == 302
    assert buyer_order_state(order) == OrderState.REFUNDED
    # The whole commission came back, in two parts.
    assert _ledger(LedgerBook.CHAMBER, LedgerKind.APPLICATION_FEE_REFUND) == -1000
    assert _ledger(LedgerBook.EXHIBITOR, LedgerKind.TRANSFER_REVERSAL) == -10000
    page = client.get(reverse("payments:company_order", args=[world.company.pk, order.pk])).content.decode()
    assert "Refunded" in page and "Refund the buyer" not in page


def test_refund_beyond_what_was_paid_is_refused(client, world, paid_order):
    order, _attempt = paid_order
    response = _refund(client, world, order, "100.01")
    assert response.status_code == 400
    assert "At most $100.00 can be refunded" in response.content.decode()
    assert _refund(client, world, order, "60").status_code == 302
    response = _refund(client, world, order, "40.01")
    assert "At most $40.00 can be refunded" in response.content.decode()
    assert _refund(client, world, order, "0").status_code == 400
    assert Refund.objects.count() == 1 and len(world.server.calls("POST", "/v1/refunds")) == 1


def test_fair_policy_can_keep_the_commission(client, world, paid_order):
    order, _attempt = paid_order
    world.fair.refund_application_fee = False
    world.fair.save()
    _refund(client, world, order, "100")
    (call,) = world.server.calls("POST", "/v1/refunds")
    assert call.params["refund_application_fee"] is False and call.params["reverse_transfer"] is True
    assert not LedgerEntry.objects.filter(kind=LedgerKind.APPLICATION_FEE_REFUND).exists()


def test_only_owners_refund(client, world, paid_order):
    order, _attempt = paid_order
    client.force_login(world.staff)
    assert _refund(client, world, order, "10").status_code == 404
    page = client.get(reverse("payments:company_order", args=[world.company.pk, order.pk])).content.decode()
    assert "Only the company's owners can refund." in page
    client.force_login(world.buyer)
    assert _refund(client, world, order, "10").status_code == 404
    assert not Refund.objects.exists()


def test_stripe_fault_keeps_the_refund_and_the_retry_uses_the_same_key(client, world, paid_order):
    order, _attempt = paid_order
    world.server.fail_next(500, path="/v1/refunds")
    response = _refund(client, world, order, "25")
    assert response.status_code == 400 and "try sending it again" in response.content.decode()
    refund = Refund.objects.get()
    assert refund.status == RefundStatus.CREATED and not LedgerEntry.objects.filter(refund=refund).exists()
    # The saved refund keeps its amount reserved.
    assert "At most $75.00" in _refund(client, world, order, "80").content.decode()
    world.server.hang_next(3, path="/v1/refunds")
    url = reverse("payments:company_refund_retry", args=[world.company.pk, order.pk, refund.pk])
    client.post(url)
    refund.refresh_from_db()
    assert refund.status == RefundStatus.CREATED
    client.post(url)
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    assert {c.idempotency_key for c in world.server.calls("POST", "/v1/refunds")} == {f"refund-{refund.pk}"}
    client.post(url)  # nothing more to send
    assert len(world.server.calls("POST", "/v1/refunds")) == 3
    assert LedgerEntry.objects.filter(refund=refund, kind=LedgerKind.TRANSFER_REVERSAL).count() == 2


def test_refund_events_move_a_pending_refund_once(client, world, paid_order, post_event):
    order, attempt = paid_order
    world.server.objects["next_refund_status"] = "pending"
    _refund(client, world, order, "50")
    refund = Refund.objects.get()
    assert refund.status == RefundStatus.PENDING and not LedgerEntry.objects.filter(refund=refund).exists()
    stripe_refund = dict(world.server.objects[refund.stripe_refund_id])
    charge = {
        "id": "ch_test_1",
        "object": "charge",
        "payment_intent": attempt.stripe_payment_intent_id,
        "amount_refunded": 5000,
        "refunds": {"object": "list", "data": [{**stripe_refund, "status": "succeeded"}]},
    }
    event = make_event("charge.refunded", charge)
    updated = make_event("refund.updated", {**stripe_refund, "status": "succeeded"})
    for delivery in (event, updated, event, updated):
        assert post_event(delivery).status_code == 200
    refund.refresh_from_db()
    attempt.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED and attempt.stripe_charge_id == "ch_test_1"
    assert LedgerEntry.objects.filter(refund=refund).count() == 5
    # A late "pending" changes nothing; a refund that fails after all gives the money back to the platform.
    post_event(make_event("refund.updated", {**stripe_refund, "status": "pending"}))
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    failed = make_event(
        "refund.failed", {**stripe_refund, "status": "failed", "failure_reason": "expired_or_canceled_card"}
    )
    assert post_event(failed).status_code == 200
    refund.refresh_from_db()
    assert refund.status == RefundStatus.FAILED and refund.failure_reason == "expired_or_canceled_card"
    assert LedgerEntry.objects.get(key=f"bp-refund-failed-{refund.pk}").amount == 5000


def test_refund_made_in_the_stripe_dashboard_is_recorded(client, world, paid_order, post_event):
    order, attempt = paid_order
    outside = {
        "id": "re_dashboard_1",
        "object": "refund",
        "amount": 2000,
        "currency": "usd",
        "status": "succeeded",
        "payment_intent": attempt.stripe_payment_intent_id,
        "metadata": {},
        "transfer_reversal": "trr_1",
    }
    assert post_event(make_event("refund.created", outside)).status_code == 200
    assert post_event(make_event("refund.updated", outside)).status_code == 200
    refund = Refund.objects.get()
    assert (refund.amount, refund.status, refund.reverse_transfer) == (2000, RefundStatus.SUCCEEDED, True)
    assert _ledger(LedgerBook.EXHIBITOR, LedgerKind.TRANSFER_REVERSAL) == -2000
