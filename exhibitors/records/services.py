"""Writes to the record log. `record_append` is the only way an entry gets in (docs/records.md)."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from exhibitors.records.chain import entry_canonical, entry_hash, time_text
from exhibitors.records.kinds import KINDS
from exhibitors.records.models import Record, RecordAnchor, RecordHead


class RecordKindUnknown(ValueError):
    """Appending a kind nobody registered (exhibitors.records.kinds.record_kind_register)."""


def record_append(
    *,
    kind: str,
    facts: dict,
    subject: str,
    users: list[int] | tuple[int, ...] = (),
    companies: list[int] | tuple[int, ...] = (),
) -> Record:
    """Append one entry after the chain head (head row locked, so concurrent appends queue); `facts` must be
    JSON (no floats for money). Side effects: a Record row and the head moved. Runs in the caller's
    transaction when there is one, so a rolled-back decision leaves no record."""
    if kind not in KINDS:
        raise RecordKindUnknown(kind)
    with transaction.atomic():
        RecordHead.objects.get_or_create(pk=1)
        head = RecordHead.objects.select_for_update().get(pk=1)
        position = head.position + 1
        canonical = entry_canonical(position=position, kind=kind, facts=facts)
        created_at = timezone.now()
        digest = entry_hash(previous_hash=head.hash, canonical=canonical, time=time_text(created_at))
        record = Record.objects.create(
            position=position,
            kind=kind,
            canonical=canonical,
            created_at=created_at,
            previous_hash=head.hash,
            hash=digest,
            party_users=sorted({int(user) for user in users if user}),
            party_companies=sorted({int(company) for company in companies if company}),
            subject=subject,
        )
        head.position, head.hash = position, digest
        head.save(update_fields=["position", "hash"])
    return record


def record_anchor_today(*, today: date | None = None) -> RecordAnchor | None:
    """Publish today's chain head on the verification page (once a day; later calls change nothing).
    Side effects: a RecordAnchor row. None while the log is empty."""
    head = Record.objects.order_by("-position").only("position", "hash").first()
    if head is None:
        return None
    anchor, _created = RecordAnchor.objects.get_or_create(
        day=today or timezone.localdate(), defaults={"position": head.position, "hash": head.hash}
    )
    return anchor
