"""Reads of the record log: receipts, checking a receipt, walking the chain (docs/records.md)."""

import json
from dataclasses import dataclass
from datetime import datetime

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from exhibitors.models import Membership
from exhibitors.records.chain import canonical_json, entry_hash, time_text
from exhibitors.records.models import GENESIS_HASH, Record, RecordAnchor, RecordHead
from exhibitors.records.signing import key_id, sign, signature_valid

RECEIPT_FORMAT = "feria-record-receipt/1"
MAX_POSITION = 2**63 - 1


def record_receipt(record: Record) -> dict:
    """The signed receipt of one entry: what a party downloads and anyone can check."""
    body = {
        "canonical": record.canonical,
        "hash": record.hash,
        "previous_hash": record.previous_hash,
        "time": time_text(record.created_at),
    }
    return {
        "format": RECEIPT_FORMAT,
        "key_id": key_id(),
        "record": body,
        "signature": sign(canonical_json(body).encode("utf-8")),
    }


def record_for_party(*, position: int, user) -> Record | None:
    """The entry at `position` if `user` is one of its parties (named, or a member of a named company)."""
    if not user.is_authenticated or not 1 <= position <= MAX_POSITION:
        return None
    record = Record.objects.filter(position=position).first()
    if record is None:
        return None
    if user.pk in record.party_users:
        return record
    if (
        record.party_companies
        and Membership.objects.filter(user=user, company_id__in=record.party_companies).exists()
    ):
        return record
    return None


def records_for_subjects(*, subjects: list[str], user) -> list[Record]:
    """The entries about `subjects` that `user` may download a receipt of, oldest first (two queries)."""
    if not subjects or not user.is_authenticated:
        return []
    companies = set(Membership.objects.filter(user=user).values_list("company_id", flat=True))
    return [
        record
        for record in Record.objects.filter(subject__in=subjects).only(
            "position", "kind", "party_users", "party_companies", "created_at"
        )
        if user.pk in record.party_users or companies & set(record.party_companies)
    ]


@dataclass
class ReceiptCheck:
    ok: bool
    time: datetime | None = None
    position: int | None = None
    error: str = ""


def receipt_check(text: str) -> ReceiptCheck:
    """Does this receipt name an entry of our log, unchanged? Says nothing about the entry beyond that."""
    try:
        receipt = json.loads(text)
        body = receipt["record"]
        canonical, digest = body["canonical"], body["hash"]
        previous, time = body["previous_hash"], body["time"]
        signature = receipt["signature"]
        if not all(isinstance(value, str) for value in (canonical, digest, previous, time, signature)):
            raise TypeError
        position = json.loads(canonical)["position"]
        moment = parse_datetime(time)
        if not isinstance(position, int) or not 1 <= position <= MAX_POSITION or moment is None:
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return ReceiptCheck(
            ok=False, error=_("This is not a record receipt: paste the whole file you downloaded.")
        )
    if receipt.get("format") != RECEIPT_FORMAT:
        return ReceiptCheck(ok=False, error=_("This receipt is in a format this site does not know."))
    if not signature_valid(canonical_json(body).encode("utf-8"), signature):
        return ReceiptCheck(
            ok=False, error=_("The signature does not match: this receipt was changed or not issued here.")
        )
    if entry_hash(previous_hash=previous, canonical=canonical, time=time) != digest:
        return ReceiptCheck(ok=False, error=_("The receipt's hash does not match its contents."))
    record = Record.objects.filter(position=position).first()
    if record is None or (record.hash, record.canonical, record.previous_hash) != (
        digest,
        canonical,
        previous,
    ):
        return ReceiptCheck(ok=False, error=_("No record in the log matches this receipt."))
    return ReceiptCheck(ok=True, time=record.created_at, position=position)


@dataclass
class ChainCheck:
    ok: bool
    checked: int
    broken_position: int | None = None
    reason: str = ""


def records_verify() -> ChainCheck:
    """Walk the whole chain from the first entry; stop at the first broken link and name it."""
    expected_previous, expected_position, checked = GENESIS_HASH, 1, 0
    for record in Record.objects.order_by("position").iterator(chunk_size=2000):
        problem = _link_problem(record, expected_position, expected_previous)
        if problem:
            broken = min(record.position, expected_position)
            return ChainCheck(ok=False, checked=checked, broken_position=broken, reason=problem)
        expected_previous, expected_position, checked = record.hash, record.position + 1, checked + 1
    head = RecordHead.objects.filter(pk=1).first()
    if head is not None and (head.position, head.hash) != (expected_position - 1, expected_previous):
        return ChainCheck(
            ok=False,
            checked=checked,
            broken_position=expected_position,
            reason=f"the head names entry {head.position}, but the log ends at {expected_position - 1}",
        )
    return ChainCheck(ok=True, checked=checked)


def _link_problem(record: Record, position: int, previous: str) -> str:
    if record.position != position:
        return f"entry {position} is missing"
    if record.previous_hash != previous:
        return "its previous hash is not the hash of the entry before"
    try:
        entry = json.loads(record.canonical)
    except ValueError:
        return "its JSON does not parse"
    if canonical_json(entry) != record.canonical:
        return "its JSON is not in canonical form"
    if entry.get("position") != record.position or entry.get("kind") != record.kind:
        return "its position or kind differs from what was hashed"
    if entry_hash(previous_hash=previous, canonical=record.canonical, time=time_text(record.created_at)) != (
        record.hash
    ):
        return "its hash does not match its contents and time"
    return ""


def record_anchors(*, limit: int = 30) -> list[RecordAnchor]:
    return list(RecordAnchor.objects.all()[:limit])


def _export_row(record: Record, party: str) -> dict:
    return {
        "position": record.position,
        "kind": record.kind,
        "party": party,
        "facts": json.loads(record.canonical).get("facts"),
        "hash": record.hash,
        "created_at": record.created_at,
    }


def person_records(*, person) -> list[dict]:
    """Export section: every entry of the record log naming the person, or a company they are a member of
    (`party`: "person" or "company:<id>"). The log's parties are JSON lists, read here in Python so it
    works on every database."""
    companies = set(Membership.objects.filter(user=person).values_list("company_id", flat=True))
    rows = []
    for record in Record.objects.order_by("position").iterator(chunk_size=500):
        if person.pk in record.party_users:
            rows.append(_export_row(record, "person"))
        else:
            shared = sorted(companies & set(record.party_companies))
            if shared:
                rows.append(_export_row(record, f"company:{shared[0]}"))
    return rows


def company_records(*, company) -> list[dict]:
    """Export section: every entry of the record log naming the company."""
    return [
        _export_row(record, f"company:{company.pk}")
        for record in Record.objects.order_by("position").iterator(chunk_size=500)
        if company.pk in record.party_companies
    ]


def export_sections_register() -> None:
    from exhibitors.services.exports import export_section_register

    export_section_register("records", person=person_records, company=company_records)
