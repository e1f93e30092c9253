"""The Redis channel layer and cache for a REDIS_URL, with connections that heal after a Redis restart.

Used by the settings (base.py) and by the tests that start their own Redis. docs/deploy.md explains the
choices; in short, for every pooled connection (the cache's, the channel layer's, presence's asyncio client):

- `health_check_interval`: a connection idle for longer is checked with a PING before it is used again, so a
  connection that died with a Redis restart is replaced instead of failing the next command;
- `retry` on connection errors and timeouts, once, without waiting: a connection found dead while in use is
  reconnected and the command sent again; if that fails too, Redis is really down and the caller's fallback
  takes over (fair/chat/outage.py);
- short connect and read timeouts, so an unreachable Redis (a host that does not answer at all) costs a page
  at most about a second, and then nothing while the outage lasts.
"""

from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

HEALTH_CHECK_SECONDS = 10
CONNECT_TIMEOUT_SECONDS = 1
READ_TIMEOUT_SECONDS = 2


def connection_options(*, asyncio: bool = False) -> dict:
    """redis-py connection-pool options shared by every Redis client of the site."""
    if asyncio:
        from redis.asyncio.retry import Retry as AsyncRetry

        retry = AsyncRetry(NoBackoff(), 1)
    else:
        retry = Retry(NoBackoff(), 1)
    return {
        "health_check_interval": HEALTH_CHECK_SECONDS,
        "retry": retry,
        "retry_on_error": [RedisConnectionError, RedisTimeoutError],
        "socket_connect_timeout": CONNECT_TIMEOUT_SECONDS,
        "socket_timeout": READ_TIMEOUT_SECONDS,
    }


def redis_channel_layers(url: str, *, prefix: str = "asgi") -> dict:
    """CHANNEL_LAYERS on Redis pub/sub (fair/chat/layers.py: keeps sockets open through an outage)."""
    # The pub/sub receiver reads with its own short timeout, so the read timeout only bounds publishing.
    host = {"address": url, **connection_options(asyncio=True)}
    return {
        "default": {
            "BACKEND": "fair.chat.layers.ResilientRedisPubSubChannelLayer",
            "CONFIG": {"hosts": [host], "prefix": prefix},
        }
    }


def redis_caches(url: str, *, key_prefix: str = "feria") -> dict:
    """CACHES on Redis, failing soft while Redis is down (cms/cache_backends.py)."""
    return {
        "default": {
            "BACKEND": "cms.cache_backends.FailSoftRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": key_prefix,
            "OPTIONS": connection_options(),
        }
    }
