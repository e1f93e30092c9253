"""A "refund recommended" decision on a Stripe-paid buyer payment, issued with one click through the
payments app (refund_create) against the local Stripe server."""

import pytest
from django.urls import reverse

from complaints.enums import EntryKind, Outcome, Status
from complaints.models import Complaint
from complaints.services.complaints import complaint_open
from complaints.services.decisions import complaint_decide
from payments.enums import OrderState, RefundStatus
from payments.models import Refund
from payments.selectors.orders import buyer_order_state
from tests.factories.complaints import buyer_order
from tests.payments import connect_stripe
from tests.payments.conftest import make_event, post_event, sign_event, stripe_server, stripe_settings  # noqa: F401
from tests.payments.connect_stripe import send_request, start_payment

pytestmark = pytest.mark.django_db
connect_server, world = connect_stripe.connect_server, connect_stripe.world


@pytest.fixture
def paid_order(client, world, post_event):  # noqa: F811
    order = send_request(world, lines=[("Samples", 1, 10000)])
    attempt = start_payment(client, world, order)
    session = world.server.complete_session(attempt.stripe_session_id)
    assert post_event(make_event("checkout.session.completed", session)).status_code == 200
    order.refresh_from_db()
    assert order.paid_at
    return order


@pytest.fixture
def refund_complaint(world, paid_order, staff):
    complaint = complaint_open(
        by=world.buyer, subject=paid_order, what_happened="Half the samples were mouldy.", wish="refund"
    )
    return complaint_decide(
        complaint=complaint,
        by=staff,
        outcome=Outcome.REFUND,
        refund_amount=4000,
        text="Refund 40.00 for the mouldy half.",
    )


def test_refund_issued_through_stripe(client, world, paid_order, refund_complaint, staff):
    client.force_login(staff)
    page = client.get(reverse("complaints_admin:detail", args=[refund_complaint.pk])).content.decode()
    assert reverse("complaints_admin:refund", args=[refund_complaint.pk]) in page
    response = client.post(reverse("complaints_admin:refund", args=[refund_complaint.pk]))
    assert response.status_code == 302
    refund = Refund.objects.get()
    assert refund.order == paid_order and refund.amount == 4000 and refund.status == RefundStatus.SUCCEEDED
    assert refund.reverse_transfer is True
    (call,) = world.server.calls("POST", "/v1/refunds")
    assert call.idempotency_key == f"refund-{refund.pk}"
    assert call.params["amount"] == 4000
    complaint = Complaint.objects.get()
    assert complaint.refund == refund and complaint.status == Status.DECIDED
    assert complaint.entries.filter(kind=EntryKind.REFUND).count() == 1
    assert buyer_order_state(paid_order) == OrderState.PARTIALLY_REFUNDED
    # A second click issues nothing more.
    client.post(reverse("complaints_admin:refund", args=[refund_complaint.pk]))
    assert Refund.objects.count() == 1 and len(world.server.calls("POST", "/v1/refunds")) == 1


def test_refund_not_offered_without_card_payment(client, world, staff):
    order = buyer_order(buyer=world.buyer, company=world.company, fair=world.fair)  # paid by other means
    complaint = complaint_open(by=world.buyer, subject=order, what_happened="Never delivered.", wish="refund")
    complaint_decide(
        complaint=complaint, by=staff, outcome=Outcome.REFUND, refund_amount=10000, text="Refund it all."
    )
    client.force_login(staff)
    page = client.get(reverse("complaints_admin:detail", args=[complaint.pk])).content.decode()
    assert "The order was not paid by card" in page
    client.post(reverse("complaints_admin:refund", args=[complaint.pk]))
    assert not Refund.objects.exists() and world.server.calls("POST", "/v1/refunds") == []


def test_refund_above_what_card_paid_refused(world, paid_order, staff):
    from complaints.services.complaints import ComplaintRefused

    complaint = complaint_open(by=world.buyer, subject=paid_order, what_happened="Bad.", wish="refund")
    with pytest.raises(ComplaintRefused):
        complaint_decide(
            complaint=complaint, by=staff, outcome=Outcome.REFUND, refund_amount=10001, text="Too much"
        )
