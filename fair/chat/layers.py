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
"""

import asyncio
import logging

from channels_redis.pubsub import RedisPubSubChannelLayer, RedisPubSubLoopLayer, RedisSingleShardConnection
from channels_redis.utils import _wrap_close
from redis.exceptions import ConnectionError as RedisConnectionError

from fair.chat.outage import REDIS_DOWN_ERRORS, layer_outage

logger = logging.getLogger(__name__)

# How long the receiving task waits before trying Redis again during an outage.
RETRY_SECONDS = 0.5


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
