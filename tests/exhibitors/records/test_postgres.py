"""On PostgreSQL the log's table refuses UPDATE and DELETE (a trigger), and concurrent appends queue on the
chain head so the chain never forks."""

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from exhibitors.records.models import Record
from exhibitors.records.selectors import records_verify
from exhibitors.records.services import record_append


def append(n: int) -> Record:
    return record_append(kind="company.verified", facts={"n": n}, subject=f"test:{n}", companies=[1])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE records_record SET kind = 'changed' WHERE position = 1",
        "DELETE FROM records_record WHERE position = 1",
    ],
)
def test_trigger_refuses_update_and_delete(require_postgres, statement):
    append(1)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)

    assert Record.objects.get().kind == "company.verified"
    assert records_verify().ok


@pytest.mark.django_db
def test_orm_update_and_delete_refused_too(require_postgres):
    record = append(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        Record.objects.filter(pk=record.pk).update(kind="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        record.delete()
    assert Record.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_appends_never_fork_the_chain(require_postgres):
    workers, each = 6, 5
    barrier = threading.Barrier(workers)
    errors = []

    def work(worker: int):
        try:
            barrier.wait()
            for step in range(each):
                append(worker * 100 + step)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    positions = list(Record.objects.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, workers * each + 1))
    result = records_verify()
    assert result.ok, result.reason
    assert result.checked == workers * each
