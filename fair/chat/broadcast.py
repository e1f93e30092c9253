"""Telling connected sockets about a change, after it is committed.

The message is already safe in the database when this runs; a channel layer that is down (Redis restarting)
must not turn that into an error. A failed broadcast is logged and the clients catch up on their next
heartbeat or reconnect (docs/chat-protocol.md).
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


async def group_send_safely(group: str, event: dict) -> bool:
    layer = get_channel_layer()
    if layer is None:
        return False
    try:
        await layer.group_send(group, event)
    except Exception:  # noqa: BLE001 - any layer failure (ConnectionError, timeouts) is logged, never raised
        logger.warning("chat broadcast to %s failed; clients will resync", group, exc_info=True)
        return False
    return True


def broadcast(groups: list[str], event: dict) -> None:
    """Send one event to several groups from synchronous code (services' on_commit callbacks)."""

    async def send_all():
        for group in groups:
            await group_send_safely(group, event)

    async_to_sync(send_all)()
