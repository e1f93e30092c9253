"""The Redis pub/sub channel layer, made to ride out a Redis outage instead of failing the sockets.

channels-redis's RedisPubSubChannelLayer raises from `new_channel`, `group_add` and `group_discard` while
Redis cannot be reached, so a socket could not even open (its channel is subscribed before `connect`), and its
receiving task logs an error every second of the outage. This subclass changes only that:

- a subscription that cannot be made now (a new socket's channel, a group it joins) is kept and made by the
  receiving task as soon as Redis answers; one that cannot be dropped now is dropped then;
- a publish during the outage fails at once (the caller, fair/chat/broadcast.py, leaves the delivery to the
  clients' heartbeat and resync, as docs/chat-protocol.md says) without waiting for a connection error;
- the outage is logged once when it starts and once when it ends (fair/chat/outage.py), not per call.

The subscriptions the layer already had come back by themselves: redis-py's PubSub subscribes its channels
again when it reconnects. Connection options (health checks, one retry on a dead pooled connection) come from
cms/settings/redis.py.

A socket's backlog is bounded, in this layer and in the in-memory one of the embedded default
(BoundedInMemoryChannelLayer). Events for a socket wait in its channel's queue in this process until its
consumer takes them; a consumer that falls behind (stalled, or a server whose sends wait on a client that does
not read) would let that queue grow without limit. At most `socket_backlog()` events wait
(FERIA_CHAT_SOCKET_BACKLOG, 300 by default): the next one overflows the channel. Its waiting events are
dropped at once (the memory goes back), every later one is dropped too, and the consumer's next event is
OVERFLOW_EVENT ("chat.overflow"): the chat socket closes with 1013, and the client reconnects and resyncs
(docs/chat-protocol.md, "Close codes"), so nothing stored is lost to it. What the web server itself buffers
for a client that does not read is bounded by the socket (fair/chat/sendbuffer.py).
"""

import asyncio
import logging
import time

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer, RedisPubSubLoopLayer, RedisSingleShardConnection
from channels_redis.utils import _wrap_close
from django.conf import settings
from redis.exceptions import ConnectionError as RedisConnectionError

from fair.chat.outage import REDIS_DOWN_ERRORS, layer_outage

logger = logging.getLogger(__name__)

# How long the receiving task waits before trying Redis again during an outage.
RETRY_SECONDS = 0.5

SOCKET_BACKLOG = 300
# What a consumer receives instead of the events of a channel that overflowed.
OVERFLOW_EVENT = {"type": "chat.overflow"}


def socket_backlog() -> int:
    """How many events may wait for one socket (setting FERIA_CHAT_SOCKET_BACKLOG)."""
    return max(1, int(getattr(settings, "FERIA_CHAT_SOCKET_BACKLOG", SOCKET_BACKLOG)))


class BacklogQueue(asyncio.Queue):
    """A channel's queue of serialized events, at most `backlog` of them. The one past that overflows the
    channel: the queue is emptied and holds only the (serialized) overflow event, and everything after it is
    dropped (see the module docstring)."""

    def __init__(self, backlog: int, overflow: bytes):
        super().__init__()
        self.backlog = backlog
        self.overflow = overflow
        self.overflowed = False

    def put_nowait(self, item):
        if self.overflowed:
            return
        if self.qsize() >= self.backlog:
            self.overflowed = True
            self._queue.clear()
            logger.info("chat socket fell %d events behind: its channel overflowed", self.backlog)
            item = self.overflow
        super().put_nowait(item)


class ResilientShard(RedisSingleShardConnection):
    def __init__(self, host, channel_layer):
        super().__init__(host, channel_layer)
        self._to_subscribe: set[str] = set()
        self._to_unsubscribe: set[str] = set()

    async def publish(self, channel, message):
        if layer_outage.skip():
            raise RedisConnectionError("Redis is unreachable (outage in progress)")
        try:
            await super().publish(channel, message)
        except REDIS_DOWN_ERRORS as error:
            layer_outage.failed(error)
            raise
        layer_outage.succeeded()

    async def publish_many(self, items: list[tuple[str, bytes]]) -> None:
        """Publish several (channel, serialized message) pairs in one pipelined round trip, in order."""
        if layer_outage.skip():
            raise RedisConnectionError("Redis is unreachable (outage in progress)")
        try:
            async with self._lock:
                self._ensure_redis()
                pipe = self._redis.pipeline(transaction=False)
                for channel, message in items:
                    pipe.publish(channel, message)
                await pipe.execute()
        except REDIS_DOWN_ERRORS as error:
            layer_outage.failed(error)
            raise
        layer_outage.succeeded()

    async def subscribe(self, channel):
        self._to_unsubscribe.discard(channel)
        if not layer_outage.skip():
            try:
                await super().subscribe(channel)
            except REDIS_DOWN_ERRORS as error:
                layer_outage.failed(error)
            else:
                layer_outage.succeeded()
                return
        self._to_subscribe.add(channel)
        self._ensure_redis()
        self._ensure_receiver()

    async def unsubscribe(self, channel):
        self._to_subscribe.discard(channel)
        if not layer_outage.skip():
            try:
                await super().unsubscribe(channel)
            except REDIS_DOWN_ERRORS as error:
                layer_outage.failed(error)
            else:
                return
        if channel in self._subscribed_to:
            self._to_unsubscribe.add(channel)

    async def _catch_up(self) -> None:
        """Make the subscriptions (and unsubscriptions) that could not be made during the outage."""
        for channel in list(self._to_subscribe):
            async with self._lock:
                if channel not in self._to_subscribe:
                    continue  # dropped meanwhile
                self._ensure_redis()
                if channel not in self._subscribed_to:
                    await self._pubsub.subscribe(channel)
                    self._subscribed_to.add(channel)
                self._to_subscribe.discard(channel)
        for channel in list(self._to_unsubscribe):
            self._to_unsubscribe.discard(channel)
            try:
                await super().unsubscribe(channel)
            except REDIS_DOWN_ERRORS:
                self._to_unsubscribe.add(channel)
                raise

    async def _do_receiving(self):
        while True:
            try:
                if self._to_subscribe or self._to_unsubscribe:
                    await self._catch_up()
                    layer_outage.succeeded()
                if self._pubsub and self._pubsub.subscribed:
                    message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1)
                    layer_outage.succeeded()
                    self._receive_message(message)
                else:
                    await asyncio.sleep(0.1)
            except (TimeoutError, asyncio.CancelledError, GeneratorExit):
                raise
            except REDIS_DOWN_ERRORS as error:
                layer_outage.failed(error)
                await asyncio.sleep(RETRY_SECONDS)
            except BaseException:
                logger.exception("Unexpected exception in the channel layer's receive task")
                await asyncio.sleep(1)


class ResilientRedisPubSubLoopLayer(RedisPubSubLoopLayer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shards = [ResilientShard(shard.host, self) for shard in self._shards]

    async def group_send_many(self, sends: list[tuple[str, dict]]) -> None:
        """group_send for several (group, message) pairs: each message serialized once, and one pipelined
        round trip per shard instead of one round trip (under the shard's lock) per group."""
        encoded: dict[int, bytes] = {}
        by_shard: dict = {}
        for group, message in sends:
            data = encoded.get(id(message))
            if data is None:
                data = encoded[id(message)] = self.channel_layer.serialize(message)
            channel = self._get_group_channel_name(group)
            by_shard.setdefault(self._get_shard(channel), []).append((channel, data))
        for shard, items in by_shard.items():
            await shard.publish_many(items)

    async def _subscribe_to_channel(self, channel):
        # A bounded queue per channel (the module docstring); the rest as channels-redis does it.
        self.channels[channel] = BacklogQueue(socket_backlog(), self.channel_layer.serialize(OVERFLOW_EVENT))
        shard = self._get_shard(channel)
        await shard.subscribe(channel)


class ResilientRedisPubSubChannelLayer(RedisPubSubChannelLayer):
    """RedisPubSubChannelLayer whose sockets open and stay open while Redis is down (module docstring)."""

    def _get_layer(self):
        loop = asyncio.get_running_loop()
        layer = self._layers.get(loop)
        if layer is None:
            layer = self._layers[loop] = ResilientRedisPubSubLoopLayer(
                *self._args, **self._kwargs, channel_layer=self
            )
            _wrap_close(self, loop)
        return layer


class BoundedInMemoryChannelLayer(InMemoryChannelLayer):
    """Channels' in-memory layer (one process: the embedded default and tests) with the same bound per
    socket as the Redis layer: a channel holding `socket_backlog()` events overflows (the module docstring).
    Channels' own layer drops what does not fit into a full channel without telling anyone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._overflowed: set[str] = set()

    def get_capacity(self, channel):
        return socket_backlog()

    async def send(self, channel, message):
        if channel in self._overflowed:
            return
        try:
            await super().send(channel, message)
        except ChannelFull:
            logger.info("chat socket fell %d events behind: its channel overflowed", socket_backlog())
            self._overflowed.add(channel)
            queue = self.channels.get(channel)
            if queue is not None:
                queue._queue.clear()
                queue.put_nowait((time.time() + self.expiry, dict(OVERFLOW_EVENT)))

    async def receive(self, channel):
        message = await super().receive(channel)
        if message.get("type") == OVERFLOW_EVENT["type"]:
            self._overflowed.discard(channel)
        return message

    async def flush(self):
        await super().flush()
        self._overflowed.clear()
