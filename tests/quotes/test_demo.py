"""The demo's requests for quotation: a fair-wide request with three quotes (one accepted), a booth request
waiting for a quote (with a specification sheet), an expired one; a second seed adds nothing
(tests/cms/test_seed.py checks row counts)."""

import pytest

from quotes.enums import QuoteStatus, RequestStatus
from quotes.models import QuoteRequest
from tests.cms.test_seed import seeded  # noqa: F401

pytestmark = pytest.mark.django_db


def test_demo_has_the_three_kinds_of_request(seeded):  # noqa: F811
    requests = list(QuoteRequest.objects.order_by("pk"))
    assert [r.status for r in requests] == [RequestStatus.ACCEPTED, RequestStatus.OPEN, RequestStatus.EXPIRED]
    wide, booth, _old = requests
    assert wide.booth is None and wide.quotes.count() == 3
    accepted = wide.quotes.get(status=QuoteStatus.ACCEPTED)
    assert accepted.order is not None and accepted.record_position is not None
    # Its 30 % advance arrived by bank and was recorded by the company; the balance is still due.
    from payments.services.booth_fees import received_amount

    assert received_amount(accepted.order) == accepted.order.total_amount * 3 // 10
    assert accepted.order.paid_at is None
    assert booth.booth is not None and not booth.quotes.exists()
    # The booth request carries a specification sheet, under its neutral name.
    (sheet,) = booth.attachments.select_related("file")
    assert sheet.file.name == f"rfq-{booth.pk}-1.pdf" and sheet.file.content_type == "application/pdf"
    assert sheet.file.file.open("rb").read(5) == b"%PDF-"
