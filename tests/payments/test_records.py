"""Payments and booth decisions append to the record log, and their pages link the parties' receipts."""

from datetime import date

import pytest

from exhibitors.records.models import Record
from exhibitors.records.selectors import records_verify
from exhibitors.services.decisions import application_approve
from payments.models import Order
from payments.services.bank import bank_transfer_record
from payments.services.booth_fees import booth_fee_order_ensure
from tests.factories.exhibitors import UserFactory
from tests.payments.test_booth_fees import booth_and_owner, chamber, fair, fee_url, igv  # noqa: F401

pytestmark = pytest.mark.django_db


def test_decision_and_paid_booth_fee_are_recorded_and_linked(client, booth_and_owner, staff):  # noqa: F811
    booth, owner = booth_and_owner
    application_approve(application=booth.application, by=staff)
    order = booth_fee_order_ensure(booth=booth)
    bank_transfer_record(order=order, amount=order.total_amount, received_on=date.today(), by=staff)

    kinds = list(Record.objects.values_list("kind", flat=True))
    assert kinds == ["booth_application.decided", "order.paid"]
    paid = Record.objects.get(kind="order.paid")
    assert booth.company_id in paid.party_companies
    assert order.reference in paid.canonical
    assert records_verify().ok

    client.force_login(owner)
    fee_page = client.get(fee_url(booth)).content.decode()
    assert f"/en/records/{paid.position}/receipt/" in fee_page
    decided = Record.objects.get(kind="booth_application.decided")
    builder = client.get(f"/en/booths/{booth.pk}/").content.decode()
    assert f"/en/records/{decided.position}/receipt/" in builder
    receipt_page = client.get(f"/en/payments/receipts/{Order.objects.get().receipt.pk}/").content.decode()
    assert f"/en/records/{paid.position}/receipt/" in receipt_page

    client.force_login(UserFactory())
    assert client.get(f"/en/records/{paid.position}/receipt/").status_code == 404
