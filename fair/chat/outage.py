"""Redis is a speed-up and a fan-out, never a gate: what a process does while Redis does not answer.

Each user of Redis (the cache, the channel layer) has one `Outage` per process. A call that fails with a
connection error or a timeout reports it (`failed`); the caller then does without Redis (the cache reads the
database, presence reads "unknown", the send limit counts in this process, a broadcast waits for the clients'
heartbeat and resync). For RETRY_SECONDS after a failure, callers ask `skip()` and do without Redis at once
instead of each waiting for its own connection error; after that one call tries again, and the first call that
succeeds ends the outage (`succeeded`).

Logged twice per outage and process, whatever the traffic: a warning when it starts (with the error), and one
when Redis answers again (with how long it was gone).
"""

import logging
import threading
import time

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# The errors that mean "Redis cannot be reached now" (redis-py's own, and the OS's when a socket dies).
REDIS_DOWN_ERRORS = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)
RETRY_SECONDS = 1.0


class Outage:
    """Whether `name` (a Redis user in this process) is known to be unreachable right now."""

    def __init__(self, name: str, *, retry_seconds: float = RETRY_SECONDS):
        self.name = name
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._retry_at = 0.0

    @property
    def down(self) -> bool:
        return self._down_since is not None

    def skip(self) -> bool:
        """True while a recent failure says not to try Redis yet (callers use their fallback directly)."""
        return self._down_since is not None and time.monotonic() < self._retry_at

    def failed(self, error: BaseException) -> None:
        """A call could not reach Redis: starts the outage (logged once) or pushes the next try back."""
        now = time.monotonic()
        with self._lock:
            first = self._down_since is None
            if first:
                self._down_since = now
            self._retry_at = now + self.retry_seconds
        if first:
            logger.warning(
                "Redis (%s) unreachable (%s: %s); working without it until it answers again.",
                self.name,
                type(error).__name__,
                error,
            )

    def succeeded(self) -> None:
        """A call reached Redis: ends the outage, if there was one (logged once)."""
        if self._down_since is None:
            return  # the usual case: no lock, no work
        with self._lock:
            since, self._down_since = self._down_since, None
        if since is not None:
            logger.warning("Redis (%s) answers again after %.1f s.", self.name, time.monotonic() - since)

    def reset(self) -> None:
        """Forget any outage (tests that start with a fresh Redis)."""
        with self._lock:
            self._down_since = None
            self._retry_at = 0.0


cache_outage = Outage("cache")
layer_outage = Outage("channel layer")
