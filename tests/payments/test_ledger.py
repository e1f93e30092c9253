"""The ledger of buyer payments: totals match the orders, each company exports only its own book, the
chamber exports its own."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.db.models import Sum
from django.urls import reverse

from payments.enums import LedgerBook, LedgerKind, RefundStatus
from payments.models import LedgerEntry, Order, Refund
from payments.selectors.ledger import ledger_for, ledger_totals
from tests.payments import connect_stripe
from tests.payments.conftest import make_event
from tests.payments.connect_stripe import send_request, start_payment

pytestmark = pytest.mark.django_db
connect_server, world = connect_stripe.connect_server, connect_stripe.world


def _pay(client, world, post_event, order):
    attempt = start_payment(client, world, order)
    session = world.server.complete_session(attempt.stripe_session_id)
    assert post_event(make_event("checkout.session.completed", session)).status_code == 200


def _rows(response):
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode(
        "utf-8-sig"
    )
    return list(csv.DictReader(io.StringIO(text)))


def test_ledger_totals_match_the_orders(client, world, post_event):
    orders = [
        send_request(world, lines=[("Samples", 3, 3333)], taxes=[("IGV", "18")]),
        send_request(world, lines=[("Deposit", 1, 50000)]),
        send_request(world, lines=[("Unpaid", 1, 999)]),
    ]
    for order in orders[:2]:
        _pay(client, world, post_event, order)
    client.force_login(world.owner)
    client.post(
        reverse("payments:company_refund", args=[world.company.pk, orders[0].pk]), {"amount": "12.34"}
    )
    client.post(reverse("payments:company_refund", args=[world.company.pk, orders[1].pk]), {"amount": "500"})

    paid = Order.objects.filter(paid_at__isnull=False)
    paid_total = paid.aggregate(total=Sum("total_amount"))["total"]
    commission = paid.aggregate(total=Sum("application_fee_amount"))["total"]
    refunded = Refund.objects.filter(status=RefundStatus.SUCCEEDED).aggregate(total=Sum("amount"))["total"]
    assert refunded == 1234 + 50000
    exhibitor = ledger_totals(ledger_for(company=world.company))["USD"]
    assert exhibitor[LedgerKind.CHARGE] == paid_total
    assert exhibitor[LedgerKind.APPLICATION_FEE] == -commission
    assert exhibitor[LedgerKind.TRANSFER_REVERSAL] == -refunded
    chamber = ledger_totals(ledger_for())["USD"]
    assert chamber[LedgerKind.APPLICATION_FEE] == commission
    assert chamber[LedgerKind.REFUND] == -refunded and chamber[LedgerKind.TRANSFER_REVERSAL] == refunded
    # What each side kept adds up to what the buyer finally paid.
    assert exhibitor["net"] + chamber["net"] == paid_total - refunded

    response = client.get(reverse("payments:company_ledger", args=[world.company.pk]) + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    entries = [row for row in rows if not row["kind"].startswith("total")]
    assert len(entries) == LedgerEntry.objects.filter(book=LedgerBook.EXHIBITOR).count()
    assert sum(int(row["amount_minor_units"]) for row in entries) == exhibitor["net"]
    (total,) = [row for row in rows if row["kind"] == "total"]
    assert int(total["amount_minor_units"]) == exhibitor["net"]
    assert {row["order"] for row in entries} == {orders[0].reference, orders[1].reference}
    page = client.get(reverse("payments:company_ledger", args=[world.company.pk])).content.decode()
    assert orders[0].reference in page


def test_each_company_exports_only_its_own_book(client, world, post_event):
    from exhibitors.enums import MembershipRole
    from fair.chat.services.conversations import conversation_start
    from payments.models import ConnectedAccount
    from tests.factories.exhibitors import CompanyFactory, MembershipFactory, UserFactory

    _pay(client, world, post_event, send_request(world))
    other = CompanyFactory(legal_name="Other Exports S.A.")
    other_owner = UserFactory()
    MembershipFactory(user=other_owner, company=other, role=MembershipRole.OWNER)
    ConnectedAccount.objects.create(company=other, stripe_account_id="acct_test_other", charges_enabled=True)
    world.conversation = conversation_start(buyer=world.buyer, company=other)
    _pay(client, world, post_event, send_request(world, by=other_owner, lines=[("Other", 1, 7777)]))

    client.force_login(other_owner)
    rows = _rows(client.get(reverse("payments:company_ledger", args=[other.pk]) + "?format=csv"))
    assert {row["company"] for row in rows if not row["kind"].startswith("total")} == {"Other Exports S.A."}
    assert (
        client.get(reverse("payments:company_ledger", args=[world.company.pk]) + "?format=csv").status_code
        == 404
    )


def test_chamber_exports_its_book_from_the_admin(client, world, post_event):
    from tests.factories.exhibitors import UserFactory

    _pay(client, world, post_event, send_request(world, lines=[("Samples", 1, 20000)]))
    chamber = UserFactory(is_staff=True)
    chamber.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_order")
    )
    client.force_login(chamber)
    rows = _rows(client.get(reverse("payments_connect_admin:ledger_csv")))
    assert [(row["kind"], row["amount_minor_units"]) for row in rows] == [
        ("application_fee", "2000"),
        ("total_gross", "0"),
        ("total_stripe_fee", "0"),
        ("total_commission", "2000"),
        ("total_other", "0"),
        ("total", "2000"),
    ]
    client.force_login(world.owner)
    assert client.get(reverse("payments_connect_admin:ledger_csv")).status_code in (302, 403)


def test_lists_and_exports_do_not_query_per_row(client, world, post_event):
    """Order lists, ledger pages and CSV exports make as many queries for three paid, refunded orders as
    for one (no query per row)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.exhibitors import UserFactory

    chamber = UserFactory(is_staff=True)
    chamber.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_order")
    )
    company_ledger = reverse("payments:company_ledger", args=[world.company.pk])
    pages = [
        (world.owner, reverse("payments:company_payments", args=[world.company.pk])),
        (world.owner, company_ledger),
        (world.owner, company_ledger + "?format=csv"),
        (world.buyer, reverse("payments:buyer_payments")),
        (chamber, reverse("payments_connect_admin:index")),
        (chamber, reverse("payments_connect_admin:ledger_csv")),
    ]

    def add_paid_refunded_order():
        order = send_request(world, lines=[("Samples", 1, 10000)], taxes=[("IGV", "18")])
        _pay(client, world, post_event, order)
        client.force_login(world.owner)
        client.post(reverse("payments:company_refund", args=[world.company.pk, order.pk]), {"amount": "10"})

    def counts():
        result = []
        for user, url in pages:
            client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
                _rows(response) if "csv" in url else response.content
            assert response.status_code == 200, url
            result.append(len(queries))
        return result

    add_paid_refunded_order()
    counts()  # the first requests fill caches (site, settings)
    one = counts()
    add_paid_refunded_order()
    add_paid_refunded_order()
    assert counts() == one


def test_exports_neutralise_formulas_in_names_and_products(client, world, post_event):
    from tests.factories.exhibitors import UserFactory

    world.company.legal_name = '=HYPERLINK("http://x","y")'
    world.company.save()
    order = send_request(world, lines=[("@SUM(1)", 1, 20000)])
    _pay(client, world, post_event, order)
    client.force_login(world.owner)
    response = client.get(reverse("payments:company_ledger", args=[world.company.pk]) + "?format=csv")
    assert response.content.startswith("\ufeff".encode())
    rows = [row for row in _rows(response) if row["kind"] == "charge"]
    assert [(row["company"], row["items"]) for row in rows] == [('\'=HYPERLINK("http://x","y")', "'@SUM(1)")]
    chamber = UserFactory(is_staff=True)
    chamber.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_order")
    )
    client.force_login(chamber)
    for row in _rows(client.get(reverse("payments_connect_admin:ledger_csv"))):
        if row["order"]:
            assert row["company"] == '\'=HYPERLINK("http://x","y")' and row["items"] == "'@SUM(1)"
