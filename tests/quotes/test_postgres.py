"""On PostgreSQL, concurrent acceptances (a double submit, and the same buyer accepting two quotes at once)
leave exactly one accepted quote, one order and one record entry."""

import threading

import pytest
from django.db import connection

from exhibitors.records.models import Record
from payments.models import Order
from quotes.enums import PaymentRoute, QuoteStatus
from quotes.models import Quote
from quotes.services.quotes import quote_accept
from tests.factories.quotes import post_request, send_quote


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_acceptances_make_one_order_and_one_record(require_postgres, market):
    rfq = post_request(buyer=market.buyer, fair=market.fair)
    first = send_quote(request=rfq, company=market.coffee, by=market.coffee_staff)
    second = send_quote(request=rfq, company=market.cacao, by=market.cacao_owner)
    targets = [first, first, first, second]
    barrier = threading.Barrier(len(targets))
    outcomes = []

    def work(quote):
        try:
            barrier.wait()
            accepted = quote_accept(quote=quote, buyer=market.buyer, route=PaymentRoute.BANK_TRANSFER)
            outcomes.append(accepted.pk)
        except Exception as error:  # counted below
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(quote,)) for quote in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    accepted = Quote.objects.filter(status=QuoteStatus.ACCEPTED)
    assert accepted.count() == 1
    assert Order.objects.count() == 1 and Record.objects.filter(kind="quote.accepted").count() == 1
    winner = accepted.get().pk
    assert all(outcome in (winner, "QuoteRefused") for outcome in outcomes), outcomes
