"""Booth fees end to end: what is due, Stripe Checkout on the chamber's account, events, bank transfers,
receipts, the live rule, and access."""

import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.models import Site

from exhibitors.enums import ApplicationStatus
from exhibitors.selectors.booths import booth_is_live, booths_live
from exhibitors.services.applications import booth_terms_changed
from payments.enums import AttemptMethod, AttemptStatus, EventStatus, LedgerKind
from payments.models import LedgerEntry, Order, PaymentAttempt, PaymentSettings, Receipt, StripeEvent, TaxRate
from payments.services.bank import bank_transfer_record
from payments.services.booth_fees import booth_fee_order_ensure
from payments.webhooks import events_retry_failed
from tests.factories.exhibitors import BoothFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.factories.fair import BoothPackageFactory, FairPageFactory, HallFactory
from tests.factories.uploads import image_bytes, pdf_bytes, upload
from tests.payments.conftest import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair(home_page):
    fair = FairPageFactory(title="Andean Trade Fair", slug="andean", booth_payment_required=True)
    HallFactory(fair=fair, name="Coffee")
    return fair


@pytest.fixture
def igv(db):
    return TaxRate.objects.create(name="IGV", rate="18.000")


@pytest.fixture
def chamber(home_page):
    from cms.models import ChamberSettings

    site = Site.objects.get(is_default_site=True)
    settings_row = ChamberSettings.for_site(site)
    settings_row.chamber_name = "Cámara de Comercio de Lima"
    settings_row.tax_id = "20100000001"
    settings_row.save()
    bank = PaymentSettings.for_site(site)
    bank.bank_account_holder = "Cámara de Comercio de Lima"
    bank.bank_account_number = "PE12 0011 0000 0000 0123 4567"
    bank.bank_name = "Banco Andino"
    bank.save()
    return settings_row


def make_booth(
    fair, *, price=15000, currency="USD", status=ApplicationStatus.PENDING, language="en", name=None
):
    package = BoothPackageFactory(fair=fair, price_amount=price, currency=currency)
    company = CompanyFactory(legal_name=name or "Cafe Inca S.A.C.", tax_id="20600000002")
    owner = UserFactory(preferred_language=language)
    MembershipFactory(user=owner, company=company)
    booth = BoothFactory(fair=fair, company=company, package=package, hall=fair.halls.first(), status=status)
    booth_terms_changed(booth=booth)  # what submitting the application does: the fee order is made
    return booth, owner


@pytest.fixture
def booth_and_owner(fair, igv, chamber):
    return make_booth(fair)


@pytest.fixture
def owner_client(client, booth_and_owner):
    client.force_login(booth_and_owner[1])
    return client


def fee_url(booth, language="en", action=""):
    return f"/{language}/payments/booth-fees/{booth.pk}/{action}"


def start_checkout(client, booth):
    response = client.post(fee_url(booth, action="card/"))
    assert response.status_code == 302, response.content
    return response


# --- What is due ------------------------------------------------------------------------------------------


def test_page_shows_net_tax_and_total_in_the_readers_language(owner_client, booth_and_owner):
    booth, _owner = booth_and_owner
    html = owner_client.get(fee_url(booth, "es")).content.decode()
    assert "150,00\xa0US$" in html
    assert "27,00\xa0US$" in html  # IGV 18 %
    assert "177,00\xa0US$" in html
    assert f"BF-{booth.fair_id}-{booth.pk}" in html
    assert "PE12 0011 0000 0000 0123 4567" in html
    order = Order.objects.get(booth=booth)
    assert (order.net_amount, order.tax_amount, order.total_amount) == (15000, 2700, 17700)


def test_order_follows_a_package_change_until_money_comes_in(booth_and_owner):
    booth, owner = booth_and_owner
    order = booth_fee_order_ensure(booth=booth)
    booth.package = BoothPackageFactory(fair=booth.fair, price_amount=30000)
    booth.save()
    order = booth_fee_order_ensure(booth=booth)
    assert (order.net_amount, order.total_amount) == (30000, 35400)
    bank_transfer_record(order=order, amount=100, received_on=date.today(), by=owner)
    booth.package = BoothPackageFactory(fair=booth.fair, price_amount=10)
    booth.save()
    assert booth_fee_order_ensure(booth=booth).total_amount == 35400


def test_a_package_change_cancels_the_open_card_attempt(booth_and_owner):
    booth, owner = booth_and_owner
    order = booth_fee_order_ensure(booth=booth)
    attempt = PaymentAttempt.objects.create(
        order=order,
        method=AttemptMethod.CHECKOUT,
        status=AttemptStatus.OPEN,
        amount=order.total_amount,
        currency=order.currency,
        created_by=owner,
    )
    booth.package = BoothPackageFactory(fair=booth.fair, price_amount=30000)
    booth.save()
    booth_fee_order_ensure(booth=booth)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.failure_reason) == (AttemptStatus.CANCELLED, "The amount due changed.")


def test_free_package_has_nothing_to_pay(client, fair, chamber):
    booth, owner = make_booth(fair, price=0)
    client.force_login(owner)
    response = client.get(fee_url(booth))
    assert "Your package is free" in response.content.decode()
    assert not Order.objects.exists()
    assert client.post(fee_url(booth, action="card/")).status_code == 404


# --- Without Stripe keys --------------------------------------------------------------------------------


def test_without_keys_card_is_hidden_with_an_explanation_and_bank_transfer_works(
    owner_client, booth_and_owner, settings
):
    settings.STRIPE_SECRET_KEY = ""
    booth, owner = booth_and_owner
    html = owner_client.get(fee_url(booth)).content.decode()
    assert "Card payment is not available on this site yet" in html
    assert fee_url(booth, action="card/") not in html
    assert "Pay by bank transfer" in html
    response = owner_client.post(fee_url(booth, action="card/"), follow=True)
    assert "Card payment is not available on this site." in response.content.decode()
    assert not PaymentAttempt.objects.filter(method=AttemptMethod.CHECKOUT).exists()
    proof = upload(pdf_bytes(), name="transfer.pdf", content_type="application/pdf")
    assert owner_client.post(fee_url(booth, action="transfer/"), {"proof": proof}).status_code == 302
    order = Order.objects.get()
    bank_transfer_record(order=order, amount=17700, received_on=date.today(), by=owner)
    order.refresh_from_db()
    assert order.paid_at is not None


# --- Stripe Checkout ------------------------------------------------------------------------------------


def test_checkout_sends_exactly_this_to_stripe(owner_client, booth_and_owner, stripe_server):
    booth, owner = booth_and_owner
    response = start_checkout(owner_client, booth)
    (call,) = stripe_server.calls("POST", "/v1/checkout/sessions")
    attempt = PaymentAttempt.objects.get()
    order = attempt.order
    assert response["Location"] == f"https://checkout.stripe.com/c/pay/{attempt.stripe_session_id}"
    assert call.idempotency_key == f"checkout-{attempt.pk}"
    assert call.stripe_account is None  # the chamber's own account
    metadata = {
        "feria_kind": "booth_fee",
        "order_id": str(order.pk),
        "attempt_id": str(attempt.pk),
        "booth_id": str(booth.pk),
        "fair_id": str(booth.fair_id),
        "company_id": str(booth.company_id),
    }
    params = dict(call.params)
    success_url, cancel_url, expires_at = (
        params.pop("success_url"),
        params.pop("cancel_url"),
        params.pop("expires_at"),
    )
    assert params == {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 15000,
                    "product_data": {"name": booth.package.name},
                },
            },
            {
                "quantity": 1,
                "price_data": {"currency": "usd", "unit_amount": 2700, "product_data": {"name": "IGV 18 %"}},
            },
        ],
        "client_reference_id": order.reference,
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata, "description": order.reference},
        "locale": "en",
        "customer_email": owner.email,
    }
    assert (
        success_url
        == f"http://testserver/en/payments/booth-fees/{booth.pk}/card/done/?session_id={{CHECKOUT_SESSION_ID}}"
    )
    assert cancel_url == f"http://testserver/en/payments/booth-fees/{booth.pk}/?cancelled=1"
    assert expires_at == int((attempt.created_at + timedelta(hours=23)).timestamp())
    assert attempt.status == AttemptStatus.OPEN
    # Pressing the button again while the session is open sends the payer to the same session.
    assert start_checkout(owner_client, booth)["Location"] == response["Location"]
    assert len(stripe_server.calls("POST", "/v1/checkout/sessions")) == 1


@pytest.mark.parametrize(
    ("currency", "price", "stripe_amount", "tax"),
    [("JPY", 150000, 150000, 27000), ("ISK", 5000, 500000, 90000), ("KWD", 50000, 50000, 9000)],
)
def test_checkout_amounts_in_stripe_units(
    client, fair, igv, chamber, stripe_server, currency, price, stripe_amount, tax
):
    booth, owner = make_booth(fair, price=price, currency=currency)
    client.force_login(owner)
    start_checkout(client, booth)
    (call,) = stripe_server.calls("POST", "/v1/checkout/sessions")
    items = [item["price_data"] for item in call.params["line_items"]]
    assert [(i["currency"], i["unit_amount"]) for i in items] == [
        (currency.lower(), stripe_amount),
        (currency.lower(), tax),
    ]


def complete(stripe_server, attempt):
    return stripe_server.complete_session(attempt.stripe_session_id)


def test_success_page_fulfils_then_duplicated_and_reordered_events_change_nothing(
    owner_client, booth_and_owner, stripe_server, post_event, django_capture_on_commit_callbacks
):
    booth, _owner = booth_and_owner
    start_checkout(owner_client, booth)
    attempt = PaymentAttempt.objects.get()
    session = complete(stripe_server, attempt)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.get(
            fee_url(booth, action=f"card/done/?session_id={session['id']}"), follow=True
        )
    assert "your booth fee is paid" in response.content.decode()
    completed = make_event("checkout.session.completed", session)
    with django_capture_on_commit_callbacks(execute=True):
        for event in (completed, completed, make_event("checkout.session.async_payment_succeeded", session)):
            assert post_event(event).status_code == 200
    expired = make_event("checkout.session.expired", {**session, "status": "expired"})
    assert post_event(expired).status_code == 200  # late and out of order: ignored by the state machine

    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUCCEEDED
    assert Receipt.objects.get().number == 1
    assert LedgerEntry.objects.filter(kind=LedgerKind.CHARGE).count() == 1
    assert [e.subject for e in mail.outbox] == [
        f"Receipt F{booth.fair_id}-000001 from Cámara de Comercio de Lima"
    ]
    assert set(StripeEvent.objects.values_list("status", flat=True)) == {EventStatus.PROCESSED}


def test_event_first_then_success_page(
    owner_client, booth_and_owner, stripe_server, post_event, django_capture_on_commit_callbacks
):
    booth, _owner = booth_and_owner
    start_checkout(owner_client, booth)
    attempt = PaymentAttempt.objects.get()
    session = complete(stripe_server, attempt)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(make_event("checkout.session.completed", session)).status_code == 200
        owner_client.get(fee_url(booth, action=f"card/done/?session_id={session['id']}"))
    assert Receipt.objects.count() == 1
    assert len(mail.outbox) == 1


def test_delayed_payment_processing_then_failed(owner_client, booth_and_owner, stripe_server, post_event):
    booth, _owner = booth_and_owner
    start_checkout(owner_client, booth)
    attempt = PaymentAttempt.objects.get()
    session = stripe_server.complete_session(attempt.stripe_session_id, payment_status="unpaid")
    post_event(make_event("checkout.session.completed", session))
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.PROCESSING
    post_event(make_event("checkout.session.async_payment_failed", session))
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.FAILED
    assert Order.objects.get().paid_at is None
    # A replayed "completed" cannot bring a failed attempt back.
    post_event(make_event("checkout.session.completed", {**session, "payment_status": "paid"}))
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.FAILED
    assert not Receipt.objects.exists()


def test_expired_then_a_late_payment_still_counts(owner_client, booth_and_owner, stripe_server, post_event):
    booth, _owner = booth_and_owner
    start_checkout(owner_client, booth)
    attempt = PaymentAttempt.objects.get()
    post_event(
        make_event(
            "checkout.session.expired", stripe_server.set_session(attempt.stripe_session_id, status="expired")
        )
    )
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED
    post_event(make_event("checkout.session.completed", complete(stripe_server, attempt)))
    assert Order.objects.get().paid_at is not None


@pytest.mark.parametrize("fault", ["500", "timeout"])
def test_stripe_fault_then_the_retry_repeats_the_same_call(
    owner_client, booth_and_owner, stripe_server, fault
):
    booth, _owner = booth_and_owner
    if fault == "500":
        stripe_server.fail_next(500, path="/v1/checkout/sessions")
    else:
        stripe_server.hang_next(3, path="/v1/checkout/sessions")
    response = owner_client.post(fee_url(booth, action="card/"), follow=True)
    assert "could not be opened just now" in response.content.decode()
    attempt = PaymentAttempt.objects.get()
    assert attempt.status == AttemptStatus.CREATED and attempt.failure_reason
    start_checkout(owner_client, booth)
    keys = [call.idempotency_key for call in stripe_server.calls("POST", "/v1/checkout/sessions")]
    assert keys == [f"checkout-{attempt.pk}", f"checkout-{attempt.pk}"]
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.OPEN
    assert PaymentAttempt.objects.count() == 1


def _install_receipt_failure():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION feria_test_fail() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'receipts down'; END; $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER feria_test_fail BEFORE INSERT ON payments_receipt "
                "FOR EACH ROW EXECUTE FUNCTION feria_test_fail()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER feria_test_fail BEFORE INSERT ON payments_receipt "
                "BEGIN SELECT RAISE(ABORT, 'receipts down'); END"
            )


def _remove_receipt_failure():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER feria_test_fail ON payments_receipt")
            cursor.execute("DROP FUNCTION feria_test_fail()")
        else:
            cursor.execute("DROP TRIGGER feria_test_fail")


def test_database_fault_inside_fulfilment_rolls_back_then_the_retry_fulfils_once(
    owner_client, booth_and_owner, stripe_server, post_event, django_capture_on_commit_callbacks
):
    booth, _owner = booth_and_owner
    start_checkout(owner_client, booth)
    attempt = PaymentAttempt.objects.get()
    event = make_event("checkout.session.completed", complete(stripe_server, attempt))
    _install_receipt_failure()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert post_event(event).status_code == 500
    finally:
        _remove_receipt_failure()
    stored = StripeEvent.objects.get()
    assert stored.status == EventStatus.FAILED and "receipts down" in stored.error
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.OPEN  # everything the handler did was rolled back
    assert Order.objects.get().paid_at is None
    assert not LedgerEntry.objects.exists()
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert events_retry_failed(now=timezone.now() + timedelta(minutes=2)) == 1
        assert post_event(event).status_code == 200  # Stripe's own retry, afterwards
    assert Receipt.objects.get().number == 1
    assert LedgerEntry.objects.filter(kind=LedgerKind.CHARGE).count() == 1
    assert len(mail.outbox) == 1


def test_success_page_with_stripe_down_waits_for_the_event(
    owner_client, booth_and_owner, stripe_server, post_event
):
    booth, _owner = booth_and_owner
    start_checkout(owner_client, booth)
    attempt = PaymentAttempt.objects.get()
    session = complete(stripe_server, attempt)
    stripe_server.fail_next(500, path="/v1/checkout/sessions/")
    response = owner_client.get(fee_url(booth, action=f"card/done/?session_id={session['id']}"), follow=True)
    assert "has not confirmed your payment yet" in response.content.decode()
    assert Order.objects.get().paid_at is None
    post_event(make_event("checkout.session.completed", session))
    assert Order.objects.get().paid_at is not None


def test_a_session_of_another_order_is_not_looked_at(
    owner_client, booth_and_owner, fair, stripe_server, client
):
    booth, _owner = booth_and_owner
    other_booth, other_owner = make_booth(fair, name="Other S.A.")
    client.force_login(other_owner)
    start_checkout(client, other_booth)
    other_session = PaymentAttempt.objects.get().stripe_session_id
    complete(stripe_server, PaymentAttempt.objects.get())
    client.force_login(booth_and_owner[1])
    client.get(fee_url(booth, action=f"card/done/?session_id={other_session}"))
    assert not Order.objects.filter(paid_at__isnull=False).exists()
    assert not stripe_server.calls("GET")


def test_reconcile_processes_the_events_missed(owner_client, booth_and_owner, stripe_server):
    booth, _owner = booth_and_owner
    start_checkout(owner_client, booth)
    attempt = PaymentAttempt.objects.get()
    session = complete(stripe_server, attempt)
    stripe_server.add_event(make_event("checkout.session.completed", session))
    stripe_server.add_event(make_event("customer.created", {"id": "cus_1", "object": "customer"}))
    call_command("reconcile_stripe")
    assert Order.objects.get().paid_at is not None
    assert StripeEvent.objects.count() == 2
    call_command("reconcile_stripe")
    assert StripeEvent.objects.count() == 2
    assert Receipt.objects.count() == 1
    (listing, _again) = stripe_server.calls("GET", "/v1/events")
    assert "created" in listing.params


# --- Bank transfer --------------------------------------------------------------------------------------


def test_partial_bank_transfers_add_up(staff_client, booth_and_owner):
    booth, owner = booth_and_owner
    order = booth_fee_order_ensure(booth=booth)
    url = f"/admin/booth-fees/{order.pk}/"
    assert (
        staff_client.post(url, {"amount": "100.00", "received_on": date.today().isoformat()}).status_code
        == 302
    )
    order.refresh_from_db()
    assert order.paid_at is None
    page = staff_client.get("/admin/booth-fees/?state=partial").content.decode()
    assert order.reference in page and "$77.00" in page
    too_much = staff_client.post(url, {"amount": "80.00", "received_on": date.today().isoformat()})
    assert "Only $77.00 is still due." in too_much.content.decode()
    assert (
        staff_client.post(url, {"amount": "77.00", "received_on": date.today().isoformat()}).status_code
        == 302
    )
    order.refresh_from_db()
    assert order.paid_at is not None
    receipt = Receipt.objects.get()
    assert (receipt.payment_method, receipt.total_amount, receipt.issuer_tax_id) == (
        "bank_transfer",
        17700,
        "20100000001",
    )
    assert PaymentAttempt.objects.get(method=AttemptMethod.BANK_TRANSFER).status == AttemptStatus.SUCCEEDED
    assert sorted(LedgerEntry.objects.values_list("kind", "amount")) == [
        ("bank_transfer", 7700),
        ("bank_transfer", 10000),
        ("tax", -2700),
    ]
    after = staff_client.post(url, {"amount": "1", "received_on": date.today().isoformat()}).content.decode()
    assert "paid already" in after
    assert order.reference in staff_client.get("/admin/booth-fees/?state=paid").content.decode()
    assert order.reference not in staff_client.get("/admin/booth-fees/?state=unpaid").content.decode()


def test_booth_fee_state_filter_is_in_the_readers_language():
    from payments.admin.booth_fees import STATES

    with translation.override("es"):
        assert str(dict(STATES)[""]) == "Todos"


def test_booth_fee_screens_need_the_permission(client, booth_and_owner):
    booth, owner = booth_and_owner
    owner.is_staff = True
    owner.save()
    client.force_login(owner)
    order = booth_fee_order_ensure(booth=booth)
    assert client.get(f"/admin/booth-fees/{order.pk}/").status_code in (302, 403)


def test_proof_upload_is_checked_like_every_upload(owner_client, booth_and_owner):
    booth, _owner = booth_and_owner
    refused = owner_client.post(
        fee_url(booth, action="transfer/"),
        {
            "proof": upload(b"just text", name="proof.pdf", content_type="application/pdf"),
            "note": "sent Monday",
        },
    )
    assert refused.status_code == 400
    assert "not a PNG, JPEG, GIF or WebP image" in refused.content.decode()
    assert "sent Monday" in refused.content.decode()  # nothing typed is lost
    ok = owner_client.post(
        fee_url(booth, action="transfer/"), {"proof": upload(image_bytes("png"), name="p.png")}
    )
    assert ok.status_code == 302
    order = Order.objects.get()
    assert order.attempts.get().proofs.get().file.content_type == "image/png"


# --- Receipts -------------------------------------------------------------------------------------------


def test_receipts_are_numbered_per_fair(fair, igv, chamber, home_page):
    other_fair = FairPageFactory(slug="other", booth_payment_required=True)
    HallFactory(fair=other_fair)
    numbers = []
    for target, name in [(fair, "A"), (fair, "B"), (other_fair, "C"), (fair, "D")]:
        booth, owner = make_booth(target, name=name)
        order = booth_fee_order_ensure(booth=booth)
        bank_transfer_record(order=order, amount=order.total_amount, received_on=date.today(), by=owner)
        numbers.append((target.pk, Receipt.objects.get(order=order).number))
    assert numbers == [(fair.pk, 1), (fair.pk, 2), (other_fair.pk, 1), (fair.pk, 3)]


def test_receipt_page_for_members_only_and_email_in_their_language(
    client, fair, igv, chamber, django_capture_on_commit_callbacks
):
    booth, owner = make_booth(fair, language="es")
    colleague = UserFactory(preferred_language="fr")
    MembershipFactory(user=colleague, company=booth.company, role="staff")
    order = booth_fee_order_ensure(booth=booth)
    with django_capture_on_commit_callbacks(execute=True):
        bank_transfer_record(order=order, amount=17700, received_on=date.today(), by=owner)
    receipt = Receipt.objects.get()
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address[owner.email].extra_headers["Content-Language"] == "es"
    assert "177,00\xa0US$" in by_address[owner.email].body
    assert "/es/payments/receipts/" in by_address[owner.email].body
    assert by_address[colleague.email].extra_headers["Content-Language"] == "fr"
    assert "177,00\xa0$US" in by_address[colleague.email].body

    client.force_login(colleague)
    html = client.get(f"/en/payments/receipts/{receipt.pk}/").content.decode()
    assert "20100000001" in html and "20600000002" in html and "$177.00" in html
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(f"/en/payments/receipts/{receipt.pk}/").status_code == 404


# --- Access ---------------------------------------------------------------------------------------------


def test_another_companys_ids_answer_404(client, booth_and_owner, fair):
    booth, owner = booth_and_owner
    _other_booth, other_owner = make_booth(fair, name="Rival S.A.")
    client.force_login(other_owner)
    for action in ("", "card/done/?session_id=cs_x"):
        assert client.get(fee_url(booth, action=action)).status_code == 404
    for action in ("card/", "transfer/"):
        assert client.post(fee_url(booth, action=action)).status_code == 404
    client.logout()
    assert client.get(fee_url(booth)).status_code == 302  # to the login page


# --- The live rule --------------------------------------------------------------------------------------


def test_a_booth_goes_live_only_once_approved_and_paid(fair, igv, chamber):
    booth, owner = make_booth(fair)
    order = booth_fee_order_ensure(booth=booth)
    bank_transfer_record(order=order, amount=order.total_amount, received_on=date.today(), by=owner)
    assert not booth_is_live(booth)  # paid, still pending
    booth.application.status = ApplicationStatus.APPROVED
    booth.application.save()
    assert booth_is_live(booth)

    unpaid, _ = make_booth(fair, status=ApplicationStatus.APPROVED, name="Unpaid S.A.")
    free, _ = make_booth(fair, price=0, status=ApplicationStatus.APPROVED, name="Free S.A.")
    assert set(booths_live()) == {booth, free}
    fair.booth_payment_required = False
    fair.save()
    assert set(booths_live()) == {booth, free, unpaid}


def test_booth_status_and_dashboard_link_the_booth_fee(owner_client, booth_and_owner):
    booth, _owner = booth_and_owner
    target = fee_url(booth)
    assert target in owner_client.get(f"/en/booths/{booth.pk}/").content.decode()
    assert target in owner_client.get("/en/dashboard/").content.decode()


def test_success_url_keeps_the_session_placeholder(owner_client, booth_and_owner, stripe_server):
    booth, _owner = booth_and_owner
    start_checkout(owner_client, booth)
    success = stripe_server.calls("POST", "/v1/checkout/sessions")[0].params["success_url"]
    assert parse_qs(urlsplit(success).query) == {"session_id": ["{CHECKOUT_SESSION_ID}"]}
    assert re.search(r"/card/done/\?", success)


# --- Partly paid by transfer, the rest by card -----------------------------------------------------------


def test_card_pays_the_balance_after_a_transfer_and_one_receipt_lists_both(
    client, fair, igv, chamber, stripe_server, post_event, django_capture_on_commit_callbacks
):
    booth, owner = make_booth(fair, price=45000)  # 450.00 + IGV 81.00 = 531.00 USD
    order = Order.objects.get(booth=booth)
    assert order.total_amount == 53100
    bank_transfer_record(order=order, amount=30000, received_on=date(2026, 3, 2), by=owner)
    client.force_login(owner)
    assert "Pay $231.00 by card" in client.get(fee_url(booth)).content.decode()

    start_checkout(client, booth)
    (call,) = stripe_server.calls("POST", "/v1/checkout/sessions")
    assert call.params["line_items"] == [
        {
            "quantity": 1,
            "price_data": {
                "currency": "usd",
                "unit_amount": 23100,
                "product_data": {"name": f"Balance of booth fee {order.reference}"},
            },
        }
    ]
    attempt = PaymentAttempt.objects.get(method=AttemptMethod.CHECKOUT)
    assert attempt.amount == 23100
    assert stripe_server.sessions[attempt.stripe_session_id]["amount_total"] == 23100

    session = stripe_server.complete_session(attempt.stripe_session_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(make_event("checkout.session.completed", session)).status_code == 200
    order.refresh_from_db()
    assert order.paid_at is not None
    receipt = Receipt.objects.get(order=order)
    assert receipt.total_amount == 53100
    assert [(p["method"], p["amount"]) for p in receipt.payments] == [
        ("bank_transfer", 30000),
        ("checkout", 23100),
    ]
    html = client.get(f"/en/payments/receipts/{receipt.pk}/").content.decode()
    assert "Bank transfer" in html and "$300.00" in html
    assert "Card (Stripe Checkout)" in html and "$231.00" in html
    assert "$531.00" in html
    (message,) = mail.outbox
    assert "$300.00" in message.body and "$231.00" in message.body
    assert not order.refunds.exists()


def test_a_session_for_the_whole_fee_does_not_pay_a_balance(
    owner_client, booth_and_owner, stripe_server, post_event
):
    """The success check compares the session's amount_total with the balance the attempt is for."""
    booth, owner = booth_and_owner
    order = Order.objects.get(booth=booth)
    bank_transfer_record(order=order, amount=7700, received_on=date.today(), by=owner)
    start_checkout(owner_client, booth)
    attempt = PaymentAttempt.objects.get(method=AttemptMethod.CHECKOUT)
    session = stripe_server.complete_session(attempt.stripe_session_id)
    tampered = {**session, "amount_total": order.total_amount}
    assert post_event(make_event("checkout.session.completed", tampered)).status_code == 500
    order.refresh_from_db()
    assert order.paid_at is None


# --- A GET never writes ----------------------------------------------------------------------------------


def test_opening_the_booth_fee_page_writes_nothing(client, fair, igv, chamber, django_assert_num_queries):
    booth, owner = make_booth(fair)
    client.force_login(owner)
    client.get(fee_url(booth))  # caches (site, settings) filled
    order = Order.objects.get(booth=booth)
    # The package changes behind the site's back: the page shows the order as it stands, it does not fix it.
    booth.package = BoothPackageFactory(fair=fair, price_amount=99900)
    booth.save()
    with CaptureQueriesContext(connection) as queries:
        html = client.get(fee_url(booth)).content.decode()
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert "$177.00" in html
    order.refresh_from_db()
    assert order.total_amount == 17700
    with django_assert_num_queries(len(queries)):
        client.get(fee_url(booth))

    # A booth that owes a fee but has no order yet (made outside the site): the page does not make one.
    other = BoothFactory(
        fair=fair, company=CompanyFactory(), package=BoothPackageFactory(fair=fair, price_amount=5000)
    )
    MembershipFactory(user=owner, company=other.company)
    html = client.get(fee_url(other)).content.decode()
    assert "not ready yet" in html
    assert not Order.objects.filter(booth=other).exists()


def test_the_order_is_made_on_approval_and_follows_a_package_change(fair, igv, chamber):
    from exhibitors.models import BoothApplication
    from exhibitors.services.booths import booth_application_resubmit, booth_application_withdraw
    from exhibitors.services.decisions import application_approve
    from tests.factories.staff import ChamberStaffFactory

    package = BoothPackageFactory(fair=fair, price_amount=20000)
    company = CompanyFactory()
    owner = UserFactory()
    MembershipFactory(user=owner, company=company)
    booth = BoothFactory(fair=fair, company=company, package=package, hall=fair.halls.first())
    assert not Order.objects.filter(booth=booth).exists()  # made by factory, not through the site

    application_approve(application=BoothApplication.objects.get(booth=booth), by=ChamberStaffFactory())
    assert Order.objects.get(booth=booth).total_amount == 23600

    booth.refresh_from_db()
    booth_application_withdraw(booth=booth, by=owner)
    booth.refresh_from_db()
    bigger = BoothPackageFactory(fair=fair, price_amount=50000)
    booth_application_resubmit(booth=booth, hall=booth.hall, package=bigger, by=owner)
    assert Order.objects.get(booth=booth).total_amount == 59000
