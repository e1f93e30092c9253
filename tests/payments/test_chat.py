"""Payment-request cards on the conversation page: their orders are loaded for the whole page at once through
the chat kinds' `prepare` hook (payments.chat.payment_request_orders), never once per card."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.payments import connect_stripe
from tests.payments.connect_stripe import send_request

pytestmark = pytest.mark.django_db
connect_server, world = connect_stripe.connect_server, connect_stripe.world


@pytest.mark.parametrize("viewer", ["buyer", "staff"])
def test_a_conversation_page_costs_the_same_queries_for_one_or_thirty_payment_cards(
    client, world, viewer, django_assert_num_queries
):
    client.force_login(getattr(world, viewer))
    url = reverse("chat:conversation", args=[world.conversation.pk])
    send_request(world, note="first")
    client.get(url)
    send_request(world, note="second")
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    orders = [send_request(world, note=f"request {n}") for n in range(28)]
    with django_assert_num_queries(len(two.captured_queries)):
        response = client.get(url)
    html = response.content.decode()
    assert html.count('class="card payment-request ') == 30
    pay_links = html.count(reverse("payments:buyer_pay", args=[orders[-1].pk]))
    assert pay_links == (1 if viewer == "buyer" else 0)


def test_a_card_whose_order_no_longer_names_it_says_so(client, world):
    from payments.models import Order

    order = send_request(world)
    message_id = order.message_id
    Order.objects.filter(pk=order.pk).update(message=None)
    client.force_login(world.buyer)
    fragment = client.get(reverse("chat:fragment", args=[world.conversation.pk, message_id]))
    assert "This payment request is no longer available." in fragment.content.decode()
