"""Receipt numbers stay gapless when many orders of one fair are settled at the same moment (PostgreSQL)."""

import threading
from datetime import date

import pytest
from django.db import connection

from payments.models import Receipt
from payments.services.bank import bank_transfer_record
from payments.services.booth_fees import booth_fee_order_ensure
from tests.factories.fair import FairPageFactory, HallFactory
from tests.payments.test_booth_fees import make_booth


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_settlements_take_consecutive_numbers(require_postgres, home_page):
    fair = FairPageFactory(slug="rush", booth_payment_required=True)
    HallFactory(fair=fair)
    orders = []
    for number in range(6):
        booth, owner = make_booth(fair, name=f"Company {number}")
        orders.append((booth_fee_order_ensure(booth=booth), owner))
    barrier = threading.Barrier(len(orders))
    errors = []

    def settle(order, owner):
        try:
            barrier.wait()
            bank_transfer_record(order=order, amount=order.total_amount, received_on=date.today(), by=owner)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=settle, args=pair) for pair in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = Receipt.objects.filter(series_fair=fair).values_list("number", flat=True)
    assert sorted(numbers) == [1, 2, 3, 4, 5, 6]
