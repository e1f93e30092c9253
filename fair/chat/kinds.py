"""Message kinds: who may send each, how its payload is checked, and which template renders it.

Apps register their own kinds (payments adds "payment_request") from their AppConfig.ready(), with a batch
`prepare` hook when their template shows more than the message itself, so a conversation page makes the same
number of queries for 1 or 50 such messages.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from fair.chat.enums import MessageKind, Side


@dataclass(frozen=True)
class KindSpec:
    kind: str
    template: str
    # Sides allowed to send this kind.
    senders: frozenset = field(default_factory=lambda: frozenset({Side.BUYER, Side.COMPANY}))
    # Raises django.core.exceptions.ValidationError on a bad payload; returns the payload to store.
    clean_payload: Callable[[dict], dict] | None = None
    # Sent from a socket "send" frame (text) or only through the kind's own service (payment requests...).
    from_socket: bool = False
    # What the template needs besides the message, loaded for a whole page of this kind's messages at once in
    # a fixed number of queries (never one per message): called with the messages, returns {message id:
    # data}; each message then carries its data as `kind_data` (fair.chat.selectors_pages.with_templates).
    prepare: Callable[[list], dict] | None = None


KINDS: dict[str, KindSpec] = {}


def register(spec: KindSpec) -> None:
    KINDS[spec.kind] = spec


def spec_for(kind: str) -> KindSpec | None:
    return KINDS.get(kind)


register(KindSpec(kind=MessageKind.TEXT, template="chat/kinds/text.html", from_socket=True))
