"""Telling connected sockets about a change, after it is committed.

The message is already safe in the database when this runs; a channel layer that is down (Redis restarting)
must not turn that into an error. A failed broadcast is logged and the clients catch up on their next
heartbeat or reconnect (docs/chat-protocol.md).
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from fair.chat.outage import REDIS_DOWN_ERRORS, layer_outage

logger = logging.getLogger(__name__)


async def group_send_safely(group: str, event: dict) -> bool:
    """Send the event to the group; False when the layer could not take it (logged, never raised). A Redis
    outage is logged once when it starts (fair/chat/outage.py), not once per event."""
    layer = get_channel_layer()
    if layer is None:
        return False
    try:
        await layer.group_send(group, event)
    except REDIS_DOWN_ERRORS as error:
        if not layer_outage.down:  # a layer of another kind, or one that does not report outages itself
            layer_outage.failed(error)
        return False
    except Exception:  # noqa: BLE001 - any other layer failure is logged, never raised
        logger.warning("chat broadcast to %s failed; clients will resync", group, exc_info=True)
        return False
    return True


async def group_send_many_safely(sends: list[tuple[str, dict]]) -> bool:
    """group_send_safely for several (group, event) pairs: in one round trip on the Redis layer
    (fair/chat/layers.py, group_send_many), one after another on a layer without it."""
    layer = get_channel_layer()
    if layer is None or not sends:
        return False
    many = getattr(layer, "group_send_many", None)
    if many is None:
        results = [await group_send_safely(group, event) for group, event in sends]
        return all(results)
    try:
        await many(sends)
    except REDIS_DOWN_ERRORS as error:
        if not layer_outage.down:
            layer_outage.failed(error)
        return False
    except Exception:  # noqa: BLE001 - any other layer failure is logged, never raised
        logger.warning("chat broadcast of %d events failed; clients will resync", len(sends), exc_info=True)
        return False
    return True


def broadcast(groups: list[str], event: dict) -> None:
    """Send one event to several groups from synchronous code (services' on_commit callbacks)."""

    async def send_all():
        for group in groups:
            await group_send_safely(group, event)

    async_to_sync(send_all)()
