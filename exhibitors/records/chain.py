"""The chain's arithmetic, the same for appending, verifying the log and checking a receipt (docs/records.md).

    canonical = RFC 8785 JSON of {"facts": <facts>, "kind": <kind>, "position": <position>}
    time      = the entry's time in UTC, "YYYY-MM-DDTHH:MM:SS.ffffffZ"
    hash      = hex(SHA-256(UTF-8(previous_hash + canonical + time)))

The first entry's previous hash is 64 zeros.
"""

import hashlib
from datetime import UTC, datetime

import rfc8785


def canonical_json(value) -> str:
    """RFC 8785 (JSON Canonicalization Scheme) text of `value`."""
    return rfc8785.dumps(value).decode("utf-8")


def entry_canonical(*, position: int, kind: str, facts: dict) -> str:
    return canonical_json({"facts": facts, "kind": kind, "position": position})


def time_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(*, previous_hash: str, canonical: str, time: str) -> str:
    return hashlib.sha256((previous_hash + canonical + time).encode("utf-8")).hexdigest()
