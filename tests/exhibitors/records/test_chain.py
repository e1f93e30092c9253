"""The record log's chain: appending, the formula as docs/records.md states it, and verification catching a
row changed behind the application's back."""

import hashlib
import json

import pytest
import rfc8785
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction

from exhibitors.records.models import GENESIS_HASH, Record, RecordAnchor
from exhibitors.records.selectors import records_verify
from exhibitors.records.services import RecordKindUnknown, record_anchor_today, record_append
from exhibitors.records.tasks import records_daily
from tests.factories.exhibitors import UserFactory
from tests.records_tamper import tamper

pytestmark = pytest.mark.django_db


def append(n: int = 1, **facts) -> list[Record]:
    return [
        record_append(kind="company.verified", facts={"n": i, **facts}, subject=f"test:{i}", companies=[1])
        for i in range(n)
    ]


def test_append_chains_each_entry_to_the_one_before():
    first, second, third = append(3)

    assert [r.position for r in (first, second, third)] == [1, 2, 3]
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash


def test_hash_follows_the_documented_formula():
    record = append(1, name="Café Andino", amount=17700)[0]

    # Recomputed from the documented rule only: no code of the application used.
    canonical = rfc8785.dumps(
        {"facts": {"amount": 17700, "n": 0, "name": "Café Andino"}, "kind": "company.verified", "position": 1}
    ).decode()
    time = record.created_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert record.canonical == canonical
    assert record.hash == hashlib.sha256((GENESIS_HASH + canonical + time).encode()).hexdigest()


def test_unknown_kind_refused():
    with pytest.raises(RecordKindUnknown):
        record_append(kind="nobody.registered", facts={}, subject="x:1")
    assert not Record.objects.exists()


def test_rolled_back_change_leaves_no_record():
    with pytest.raises(RuntimeError), transaction.atomic():
        append(1)
        raise RuntimeError
    assert not Record.objects.exists()
    assert append(1)[0].position == 1


def test_verify_passes_on_an_intact_chain(capsys):
    append(5)

    assert records_verify().ok
    call_command("verify_records")
    assert "intact: 5 entries" in capsys.readouterr().out


def test_verify_names_the_first_entry_changed_behind_the_apps_back():
    records = append(5, amount=100)
    changed = records[2].canonical.replace('"amount":100', '"amount":1')
    tamper("UPDATE records_record SET canonical = %s WHERE position = %s", [changed, 3])

    result = records_verify()

    assert not result.ok
    assert result.broken_position == 3
    assert "hash does not match" in result.reason
    with pytest.raises(CommandError, match="broken at entry 3"):
        call_command("verify_records")


def test_verify_catches_a_rehashed_entry_by_the_next_link():
    records = append(4)
    tamper("UPDATE records_record SET hash = %s WHERE position = %s", ["f" * 64, 2])
    result = records_verify()
    assert (result.ok, result.broken_position) == (False, 2)
    assert records[0].hash != "f" * 64


def test_verify_catches_a_deleted_entry():
    append(4)
    tamper("DELETE FROM records_record WHERE position = %s", [2])
    result = records_verify()
    assert (result.ok, result.broken_position) == (False, 2)
    assert "missing" in result.reason


def test_verify_catches_a_deleted_last_entry_by_the_head():
    append(3)
    tamper("DELETE FROM records_record WHERE position = %s", [3])
    result = records_verify()
    assert (result.ok, result.broken_position) == (False, 3)


def test_daily_job_anchors_the_head_when_the_chain_holds():
    last = append(2)[-1]

    assert records_daily() is True
    anchor = RecordAnchor.objects.get()
    assert (anchor.position, anchor.hash) == (2, last.hash)
    assert mail.outbox == []
    assert record_anchor_today() == anchor  # once a day


def test_daily_job_emails_the_administrators_when_a_link_is_broken():
    admin = UserFactory(is_superuser=True, is_staff=True, email="admin@example.org", preferred_language="es")
    UserFactory(email="someone@example.org")
    append(3)
    tamper("UPDATE records_record SET canonical = %s WHERE position = %s", ['{"x":1}', 2])

    assert records_daily() is False

    assert [message.to for message in mail.outbox] == [[admin.email]]
    assert "2" in mail.outbox[0].body
    assert not RecordAnchor.objects.exists()


def test_facts_are_stored_as_canonical_json():
    record = append(1, z="last", a="first")[0]
    assert json.loads(record.canonical)["facts"] == {"a": "first", "n": 0, "z": "last"}
    assert record.canonical.index('"a"') < record.canonical.index('"z"')
