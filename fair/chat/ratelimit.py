"""Per-person limits on chat frames, shared by every socket and worker process through the Django cache
(Redis with REDIS_URL, so the limit holds across processes; local memory otherwise).

`send_allowed` is a sliding-window counter: the count in the current fixed window plus the previous window's
count weighted by how much of it still overlaps the last `window` seconds. It never lets more than about
`limit` messages through in any `window` seconds, with two cache keys per person and no list of timestamps.
"""

import math
import time

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

SEND_LIMIT = 20
SEND_WINDOW = 10
TYPING_EVERY = 3


def _key(user_id: int, window_start: int) -> str:
    return f"chat:rl:send:{int(user_id)}:{window_start}"


def _redis_client(key: str):
    """The raw Redis client behind Django's RedisCache for `key` (its full, prefixed name), or None."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    return backend._cache.get_client(key, write=True)


def _count(current_key: str, previous_key: str, *, timeout: int) -> tuple[int, int]:
    """Count one attempt in the current window; returns (current count, previous window's count).

    On Redis one round trip: SET NX with expiry, INCR and GET in one MULTI/EXEC (Django's Redis cache stores
    integers as plain numbers, so cache.get/decr read the same keys). Elsewhere through the cache API."""
    full_current = cache.make_and_validate_key(current_key)
    client = _redis_client(full_current)
    if client is not None:
        pipe = client.pipeline(transaction=True)
        pipe.set(full_current, 0, nx=True, ex=timeout)
        pipe.incr(full_current)
        pipe.get(cache.make_and_validate_key(previous_key))
        _created, current, previous = pipe.execute()
        return int(current), int(previous or 0)
    cache.add(current_key, 0, timeout=timeout)
    try:
        current = cache.incr(current_key)
    except ValueError:  # expired between add and incr
        cache.set(current_key, 1, timeout=timeout)
        current = 1
    return current, cache.get(previous_key) or 0


def send_allowed(user_id: int, *, limit: int = SEND_LIMIT, window: int = SEND_WINDOW, now=None) -> float:
    """Count one "send" by the person. Returns 0 when allowed, otherwise the seconds to wait before trying
    again (the attempt is then not counted)."""
    now = time.time() if now is None else now
    start = int(now // window) * window
    elapsed = now - start
    current_key = _key(user_id, start)
    current, previous = _count(current_key, _key(user_id, start - window), timeout=2 * window + 1)
    weight = 1 - elapsed / window
    if previous * weight + current <= limit:
        return 0
    try:
        cache.decr(current_key)
    except ValueError:
        pass
    current -= 1
    # Wait until the estimate with this attempt counted falls to the limit again.
    if current + 1 > limit or previous == 0:
        wait = window - elapsed
    else:
        # previous * (1 - (elapsed + t) / window) + current + 1 <= limit
        wait = window * (1 - (limit - current - 1) / previous) - elapsed
    return max(1, math.ceil(wait))


def typing_allowed(user_id: int, conversation_id: int, *, every: int = TYPING_EVERY) -> bool:
    """At most one typing notice per person and conversation every few seconds, across all their sockets."""
    return cache.add(f"chat:rl:typing:{int(user_id)}:{int(conversation_id)}", 1, timeout=every)
