"""Disputes (chargebacks) on buyer payments: recorded from events, shown to the exhibitor and the chamber,
with the money Stripe moved written to the chamber's ledger."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from payments.enums import DisputeStatus, LedgerKind, OrderState
from payments.models import Dispute, LedgerEntry
from payments.selectors.orders import buyer_order_state
from tests.payments import connect_stripe
from tests.payments.conftest import make_event
from tests.payments.connect_stripe import send_request, start_payment

pytestmark = pytest.mark.django_db
connect_server, world = connect_stripe.connect_server, connect_stripe.world


def _dispute(attempt, status, transactions=()):
    return {
        "id": "dp_test_1",
        "object": "dispute",
        "amount": 5000,
        "currency": "usd",
        "charge": "ch_test_9",
        "payment_intent": attempt.stripe_payment_intent_id,
        "reason": "product_not_received",
        "status": status,
        "evidence_details": {"due_by": 1893456000},
        "balance_transactions": list(transactions),
    }


def test_dispute_lifecycle(client, world, post_event):
    from tests.factories.exhibitors import UserFactory

    order = send_request(world)
    attempt = start_payment(client, world, order)
    session = world.server.complete_session(attempt.stripe_session_id)
    post_event(make_event("checkout.session.completed", session))
    attempt.refresh_from_db()
    withdrawn = {"id": "txn_w1", "amount": -5000, "fee": 1500}
    created = make_event("charge.dispute.created", _dispute(attempt, "needs_response", [withdrawn]))
    assert post_event(created).status_code == 200
    assert post_event(created).status_code == 200  # delivered twice
    dispute = Dispute.objects.get()
    assert (dispute.amount, dispute.status, dispute.order_id) == (
        5000,
        DisputeStatus.NEEDS_RESPONSE,
        order.pk,
    )
    order.refresh_from_db()
    assert buyer_order_state(order) == OrderState.DISPUTED
    assert LedgerEntry.objects.get(kind=LedgerKind.DISPUTE).amount == -5000
    assert LedgerEntry.objects.get(kind=LedgerKind.DISPUTE_FEE).amount == -1500

    client.force_login(world.staff)
    page = client.get(reverse("payments:company_order", args=[world.company.pk, order.pk])).content.decode()
    assert "Disputes" in page and "Needs response" in page

    reinstated = {"id": "txn_r1", "amount": 5000, "fee": 0}
    closed = make_event("charge.dispute.closed", _dispute(attempt, "won", [withdrawn, reinstated]))
    assert post_event(closed).status_code == 200
    # A late "updated" from before the close does not reopen it.
    late = make_event("charge.dispute.updated", _dispute(attempt, "under_review", [withdrawn]))
    assert post_event(late).status_code == 200
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.WON and dispute.closed_at is not None
    assert LedgerEntry.objects.get(kind=LedgerKind.DISPUTE_WON).amount == 5000
    assert LedgerEntry.objects.filter(dispute=dispute).count() == 3
    assert buyer_order_state(order) == OrderState.PAID

    # The chamber's staff see it in the admin; people without the permission do not.
    chamber = UserFactory(is_staff=True)
    chamber.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_order")
    )
    client.force_login(chamber)
    admin_page = client.get(reverse("payments_connect_admin:index"))
    assert admin_page.status_code == 200
    assert "dp_test_1" in admin_page.content.decode() and order.reference in admin_page.content.decode()
    nobody = UserFactory(is_staff=True)
    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(nobody)
    assert client.get(reverse("payments_connect_admin:index")).status_code in (302, 403)


def test_disputes_on_unknown_payments_are_ignored(world, post_event):
    event = make_event(
        "charge.dispute.created",
        {
            "id": "dp_x",
            "object": "dispute",
            "amount": 100,
            "payment_intent": "pi_unknown",
            "status": "needs_response",
        },
    )
    assert post_event(event).status_code == 200
    assert not Dispute.objects.exists()
