"""Message kinds: who may send each, how its payload is checked, and which template renders it.

Apps register their own kinds (payments adds "payment_request") from their AppConfig.ready().
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


KINDS: dict[str, KindSpec] = {}


def register(spec: KindSpec) -> None:
    KINDS[spec.kind] = spec


def spec_for(kind: str) -> KindSpec | None:
    return KINDS.get(kind)


register(KindSpec(kind=MessageKind.TEXT, template="chat/kinds/text.html", from_socket=True))
