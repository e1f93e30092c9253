"""The chamber's booth-fee screens: which transfers have a proof waiting to be recorded; the date picker."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from payments.models import Order
from payments.services.booth_fees import booth_fee_order_ensure
from tests.factories.uploads import pdf_bytes, upload
from tests.payments import test_booth_fees as fees
from tests.payments.test_booth_fees import fee_url, make_booth

# The booth-fee tests' fixtures: a fair with a tax rate and the chamber's bank details, a booth and its owner.
fair, igv, chamber, booth_and_owner = fees.fair, fees.igv, fees.chamber, fees.booth_and_owner

WAITING = "/admin/booth-fees/?state=proof_unrecorded"


@pytest.fixture
def owner_client(booth_and_owner):
    # Its own client: staff_client holds the staff member's session.
    owner_client = Client()
    owner_client.force_login(booth_and_owner[1])
    return owner_client


def send_proof(owner_client, booth):
    proof = upload(pdf_bytes(), name="transfer.pdf", content_type="application/pdf")
    assert owner_client.post(fee_url(booth, action="transfer/"), {"proof": proof}).status_code == 302


def test_list_shows_proof_and_filters_proofs_not_yet_recorded(staff_client, owner_client, booth_and_owner):
    booth, _owner = booth_and_owner
    send_proof(owner_client, booth)
    order = Order.objects.get()

    listing = staff_client.get("/admin/booth-fees/").content.decode()
    waiting = staff_client.get(WAITING).content.decode()
    staff_client.post(
        f"/admin/booth-fees/{order.pk}/", {"amount": "100.00", "received_on": date.today().isoformat()}
    )
    after_recording = staff_client.get(WAITING).content.decode()
    send_proof(owner_client, booth)
    after_second_proof = staff_client.get(WAITING).content.decode()

    assert "Transfer proof" in listing
    assert "Uploaded " in listing
    assert "Not yet recorded" in listing
    row_link = f'href="/admin/booth-fees/{order.pk}/"'
    assert row_link in waiting
    assert row_link not in after_recording
    assert "No booth fees match." in after_recording
    assert row_link in after_second_proof


def test_fee_without_proof_says_so_and_is_not_waiting(staff_client, booth_and_owner):
    booth, _owner = booth_and_owner
    order = booth_fee_order_ensure(booth=booth)

    listing = staff_client.get("/admin/booth-fees/").content.decode()

    assert f'href="/admin/booth-fees/{order.pk}/"' in listing
    assert "No proof" in listing
    assert f'href="/admin/booth-fees/{order.pk}/"' not in staff_client.get(WAITING).content.decode()


def test_waiting_filter_label_is_offered(staff_client, booth_and_owner):
    content = staff_client.get("/admin/booth-fees/").content.decode()

    assert '<option value="proof_unrecorded">Proof uploaded, not yet recorded</option>' in content


def test_list_query_count_does_not_grow_with_proofs(staff_client, owner_client, booth_and_owner, fair):
    booth, _owner = booth_and_owner
    send_proof(owner_client, booth)
    staff_client.get("/admin/booth-fees/")  # the first request also fills per-process caches
    with CaptureQueriesContext(connection) as one:
        staff_client.get("/admin/booth-fees/")
    for n in range(3):
        other, _ = make_booth(fair, name=f"Company {n}")
        booth_fee_order_ensure(booth=other)
    with CaptureQueriesContext(connection) as many:
        staff_client.get("/admin/booth-fees/")

    assert len(many) == len(one)


def test_received_on_is_a_date_picker(staff_client, booth_and_owner):
    booth, _owner = booth_and_owner
    order = booth_fee_order_ensure(booth=booth)

    content = staff_client.get(f"/admin/booth-fees/{order.pk}/").content.decode()

    assert 'initDateChooser("id_received_on"' in content
    assert "wagtailadmin/js/date-time-chooser.js" in content
