"""Stripe's processing fee in the ledger: read once from the charge's balance transaction by the task worker
after the payment succeeded, retried when Stripe cannot be reached, shown with gross, commission and net in
both ledgers and their CSV exports, which add up to the cent. Without keys nothing is asked."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from payments.enums import LedgerBook, LedgerKind
from payments.models import LedgerEntry, PaymentAttempt
from payments.periodic import payments_retry
from payments.selectors.ledger import ledger_for, ledger_summary, ledger_totals
from payments.services.fees import stripe_fee_record
from tests.factories.exhibitors import UserFactory
from tests.payments import connect_stripe
from tests.payments.conftest import make_event
from tests.payments.connect_stripe import send_request, start_payment

pytestmark = pytest.mark.django_db
connect_server, world = connect_stripe.connect_server, connect_stripe.world


def _pay(client, world, post_event, order, capture):
    attempt = start_payment(client, world, order)
    session = world.server.complete_session(attempt.stripe_session_id)
    with capture(execute=True):
        assert post_event(make_event("checkout.session.completed", session)).status_code == 200
    attempt.refresh_from_db()
    return attempt


def _rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_fee_is_read_once_from_the_balance_transaction(
    client, world, post_event, django_capture_on_commit_callbacks
):
    order = send_request(world, lines=[("Samples", 1, 12345)])  # 123.45 USD, commission 12.34
    attempt = _pay(client, world, post_event, order, django_capture_on_commit_callbacks)
    (call,) = world.server.calls("GET", r"/v1/payment_intents/.*")
    assert call.path == f"/v1/payment_intents/{attempt.stripe_payment_intent_id}"
    assert call.params == {"expand": ["latest_charge.balance_transaction"]}
    fee = (12345 * 29 + 500) // 1000 + 30  # the local server's 2.9 % + 30
    entry = LedgerEntry.objects.get(kind=LedgerKind.FEE)
    assert (entry.book, entry.amount, entry.currency, entry.attempt) == (
        LedgerBook.CHAMBER,
        -fee,
        "USD",
        attempt,
    )
    assert attempt.stripe_fee_fetched_at is not None and attempt.stripe_charge_id.startswith("ch_")
    # Asked again (a replayed task): nothing new.
    stripe_fee_record(attempt_id=attempt.pk)
    assert len(world.server.calls("GET", r"/v1/payment_intents/.*")) == 1
    assert LedgerEntry.objects.filter(kind=LedgerKind.FEE).count() == 1

    chamber = ledger_summary(ledger_totals(ledger_for()))["USD"]
    assert chamber == {"gross": 0, "stripe_fee": -fee, "commission": 1234, "other": 0, "net": 1234 - fee}
    exhibitor = ledger_summary(ledger_totals(ledger_for(company=world.company)))["USD"]
    assert exhibitor == {"gross": 12345, "stripe_fee": 0, "commission": -1234, "other": 0, "net": 11111}


def test_a_failed_read_is_retried_by_the_worker(
    client, world, post_event, django_capture_on_commit_callbacks
):
    world.server.fail_next(500, path="/v1/payment_intents")
    attempt = _pay(client, world, post_event, send_request(world), django_capture_on_commit_callbacks)
    assert attempt.stripe_fee_fetched_at is None
    assert (attempt.stripe_fee_tries, bool(attempt.stripe_fee_error)) == (1, True)
    assert not LedgerEntry.objects.filter(kind=LedgerKind.FEE).exists()

    assert payments_retry(now=timezone.now())[0] == 0  # its wait is not over
    assert payments_retry(now=timezone.now() + timedelta(minutes=2))[0] == 1
    attempt.refresh_from_db()
    assert attempt.stripe_fee_fetched_at is not None
    assert LedgerEntry.objects.filter(kind=LedgerKind.FEE).count() == 1
    assert payments_retry(now=timezone.now() + timedelta(hours=1)) == (0, 0)


def test_without_keys_nothing_is_asked(
    client, world, post_event, django_capture_on_commit_callbacks, settings
):
    attempt = _pay(client, world, post_event, send_request(world), django_capture_on_commit_callbacks)
    LedgerEntry.objects.filter(kind=LedgerKind.FEE).delete()
    PaymentAttempt.objects.filter(pk=attempt.pk).update(stripe_fee_fetched_at=None)
    calls = len(world.server.requests)
    settings.STRIPE_SECRET_KEY = ""
    stripe_fee_record(attempt_id=attempt.pk)
    assert len(world.server.requests) == calls
    assert not LedgerEntry.objects.filter(kind=LedgerKind.FEE).exists()


def test_csv_totals_show_gross_fee_commission_and_net_to_the_cent(
    client, world, post_event, django_capture_on_commit_callbacks
):
    for cents in (3333, 12345, 99999):
        _pay(
            client,
            world,
            post_event,
            send_request(world, lines=[("Lot", 1, cents)]),
            django_capture_on_commit_callbacks,
        )
    client.force_login(world.owner)
    order = world.company.orders_received.order_by("pk").first()
    client.post(reverse("payments:company_refund", args=[world.company.pk, order.pk]), {"amount": "10.01"})

    chamber_user = UserFactory(is_staff=True)
    chamber_user.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_order")
    )
    for user, url, book in (
        (
            world.owner,
            reverse("payments:company_ledger", args=[world.company.pk]) + "?format=csv",
            "exhibitor",
        ),
        (chamber_user, reverse("payments_connect_admin:ledger_csv"), "chamber"),
    ):
        client.force_login(user)
        rows = _rows(client.get(url))
        entries = [row for row in rows if not row["kind"].startswith("total")]
        totals = {
            row["kind"]: int(row["amount_minor_units"]) for row in rows if row["kind"].startswith("total")
        }
        parts = ["total_gross", "total_stripe_fee", "total_commission", "total_other"]
        assert sum(totals[name] for name in parts) == totals["total"], book
        assert sum(int(row["amount_minor_units"]) for row in entries) == totals["total"], book
        assert sum(Decimal(row["amount"]) for row in entries) == Decimal(totals["total"]) / 100, book
        expected_fee = -sum((cents * 29 + 500) // 1000 + 30 for cents in (3333, 12345, 99999))
        assert totals["total_stripe_fee"] == (expected_fee if book == "chamber" else 0)
    client.force_login(world.owner)
    page = client.get(reverse("payments:company_ledger", args=[world.company.pk])).content.decode()
    assert "Stripe fee" in page and "Chamber commission" in page and "Gross received" in page
