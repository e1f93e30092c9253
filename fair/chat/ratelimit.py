"""Per-person limits on chat sends and typing notices.

`send_allowed` is a true sliding window: a send is allowed when the person made fewer than `limit` counted
sends in the `window` seconds before it; a refused attempt is not counted. When refused, the answer is the
whole seconds until the oldest counted send leaves the window, so a send made after that wait is allowed.

Where the counts live:

- with a Redis cache (REDIS_URL), in one sorted set per person (the times of their counted sends), shared by
  every socket and worker process and checked and updated by one Lua script: ONE round trip per send, at most
  `limit` entries per person, expiring with the window;
- otherwise (the local-memory cache of the embedded default, a single process), in this process's memory;
- while Redis cannot be reached, also in this process's memory (fair/chat/outage.py): the same rule, but each
  worker process counts on its own, so with N workers a person can get up to N times the limit through until
  Redis answers again. Better than refusing every send, or letting every send through.
"""

import math
import threading
import time
import uuid
from collections import deque

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from fair.chat.outage import REDIS_DOWN_ERRORS, cache_outage

SEND_LIMIT = 20
SEND_WINDOW = 10
TYPING_EVERY = 3

# KEYS[1]: the person's sorted set; ARGV: now, window, limit, a unique member. Returns 0 when the send is
# allowed (and counted), else the time of the oldest send still in the window.
SLIDING_WINDOW_SCRIPT = """
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('EXPIRE', KEYS[1], math.ceil(window) + 1)
  return '0'
end
return redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]
"""

# Past this many people in the in-process counts, those with no send left in the window are dropped.
LOCAL_PEOPLE_MAX = 10_000

_local_lock = threading.Lock()
_local_sends: dict[int, deque] = {}


def _key(user_id: int) -> str:
    return f"chat:rl:send:{int(user_id)}"


def _redis_client(key: str):
    """The raw Redis client behind Django's RedisCache for `key` (its full, prefixed name), or None."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    return backend._cache.get_client(key, write=True)


def _wait(oldest: float, now: float, window: float) -> int:
    return max(1, math.ceil(oldest + window - now))


def _local_send_allowed(user_id: int, *, limit: int, window: float, now: float) -> int:
    """The same sliding window in this process's memory."""
    with _local_lock:
        if len(_local_sends) > LOCAL_PEOPLE_MAX:
            for person in [p for p, times in _local_sends.items() if not times or times[-1] <= now - window]:
                del _local_sends[person]
        times = _local_sends.setdefault(int(user_id), deque())
        while times and times[0] <= now - window:
            times.popleft()
        if len(times) < limit:
            times.append(now)
            return 0
        return _wait(times[0], now, window)


def forget_local_counts() -> None:
    """Empty this process's counts (tests, which reuse person ids)."""
    with _local_lock:
        _local_sends.clear()


def send_limit() -> tuple[int, float]:
    """(sends, seconds): settings FERIA_CHAT_SEND_LIMIT and FERIA_CHAT_SEND_WINDOW, by default 20 in 10."""
    return (
        int(getattr(settings, "FERIA_CHAT_SEND_LIMIT", SEND_LIMIT)),
        float(getattr(settings, "FERIA_CHAT_SEND_WINDOW", SEND_WINDOW)),
    )


def send_allowed(user_id: int, *, limit: int | None = None, window: float | None = None, now=None) -> int:
    """Count one send by the person. Returns 0 when allowed, otherwise the whole seconds to wait before trying
    again (the attempt is then not counted). `limit` and `window` default to send_limit()."""
    default_limit, default_window = send_limit()
    limit = default_limit if limit is None else limit
    window = default_window if window is None else window
    now = time.time() if now is None else now
    full_key = cache.make_and_validate_key(_key(user_id))
    client = _redis_client(full_key)
    if client is None or cache_outage.skip():
        return _local_send_allowed(user_id, limit=limit, window=window, now=now)
    try:
        oldest = client.eval(
            SLIDING_WINDOW_SCRIPT, 1, full_key, repr(now), window, limit, f"{now!r}:{uuid.uuid4().hex[:8]}"
        )
    except REDIS_DOWN_ERRORS as error:
        cache_outage.failed(error)
        return _local_send_allowed(user_id, limit=limit, window=window, now=now)
    cache_outage.succeeded()
    oldest = float(oldest)
    return 0 if oldest == 0 else _wait(oldest, now, window)


def send_allowed_many(user_ids: list[int], *, now=None) -> list[int]:
    """send_allowed for several sends at once (a batch of socket sends, fair/chat/services/batch.py), in
    order, in ONE Redis round trip: the scripts run one after another, so two sends of the same person in
    the list count like two calls. One answer per send: 0 (allowed, counted) or the seconds to wait."""
    if not user_ids:
        return []
    limit, window = send_limit()
    now = time.time() if now is None else now
    keys = [cache.make_and_validate_key(_key(user_id)) for user_id in user_ids]
    client = _redis_client(keys[0])
    if client is None or cache_outage.skip():
        return [_local_send_allowed(u, limit=limit, window=window, now=now) for u in user_ids]
    try:
        pipe = client.pipeline(transaction=False)
        for n, key in enumerate(keys):
            pipe.eval(
                SLIDING_WINDOW_SCRIPT, 1, key, repr(now), window, limit, f"{now!r}:{n}:{uuid.uuid4().hex[:8]}"
            )
        answers = pipe.execute()
    except REDIS_DOWN_ERRORS as error:
        cache_outage.failed(error)
        return [_local_send_allowed(u, limit=limit, window=window, now=now) for u in user_ids]
    cache_outage.succeeded()
    return [0 if float(oldest) == 0 else _wait(float(oldest), now, window) for oldest in answers]


def typing_allowed(user_id: int, conversation_id: int, *, every: int = TYPING_EVERY) -> bool:
    """At most one typing notice per person and conversation every few seconds, across all their sockets
    (none while the cache is unreachable)."""
    return cache.add(f"chat:rl:typing:{int(user_id)}:{int(conversation_id)}", 1, timeout=every)
