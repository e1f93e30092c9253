"""The ledger: one row per money movement, written by the services in the same transaction as the change."""

from payments.models import LedgerEntry


def ledger_write(*, key: str, book: str, kind: str, amount: int, currency: str, **links) -> LedgerEntry:
    """Write the movement named `key` unless it is written already (a replayed event writes nothing).

    `links` are the row's optional foreign keys and texts (company, fair, order, attempt, refund, dispute,
    description, stripe_object_id). Side effects: one LedgerEntry row at most.
    """
    entry, _created = LedgerEntry.objects.get_or_create(
        key=key, defaults={"book": book, "kind": kind, "amount": amount, "currency": currency, **links}
    )
    return entry
