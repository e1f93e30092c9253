"""Who is online in chat, per person and per exhibitor company, kept in the Django cache.

How it works. Each open socket is known by its channel-layer name. Two kinds of cache entries hold it:

- ``chat:presence:user:<user id>`` -> ``{channel name: expires at}``: every socket of one person, from every
  worker process;
- ``chat:presence:company:<company id>`` -> ``{user id: expires at}``: which members of the company have at
  least one socket.

Every item carries its own expiry time (a Unix timestamp). A socket writes its items when it connects and
again at each heartbeat (``presence_refresh``), and removes them when it closes (``presence_disconnect``).
Readers count only items whose time has not passed, so the sockets of a killed worker process, which never
run their disconnect, fade out after ``presence_ttl()`` seconds: two heartbeats and a margin. The cache keys
themselves also expire after that long without a refresh, so nothing piles up.

Multi-process safety. With ``REDIS_URL`` the cache is Redis, shared by every worker. An update is a read,
a change and a write of one key, done under a short lock taken with ``cache.add`` (SET NX on Redis, atomic
within one process on the local-memory cache). If the lock cannot be had within about 50 ms the update goes
ahead anyway: the worst a lost update does is leave one socket uncounted (or counted after it closed) until
its next refresh, one heartbeat later. Presence is a hint for people ("2 staff online"), never a delivery
decision, so this is enough.

These functions are synchronous and do blocking cache I/O; async code calls them through
``asgiref.sync.sync_to_async``.
"""

import time
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache

LOCK_SECONDS = 2
LOCK_ATTEMPTS = 10
LOCK_WAIT = 0.005


def heartbeat_seconds() -> float:
    """Seconds between heartbeats on each socket (setting FERIA_CHAT_HEARTBEAT_SECONDS, default 25)."""
    return float(getattr(settings, "FERIA_CHAT_HEARTBEAT_SECONDS", 25))


def presence_ttl() -> float:
    """How long a socket counts as online after its last refresh: two heartbeats and a margin."""
    return 2 * heartbeat_seconds() + 5


def _user_key(user_id: int) -> str:
    return f"chat:presence:user:{int(user_id)}"


def _company_key(company_id: int) -> str:
    return f"chat:presence:company:{int(company_id)}"


@contextmanager
def _locked(key: str):
    lock_key = f"{key}:lock"
    token = uuid.uuid4().hex
    acquired = False
    for _attempt in range(LOCK_ATTEMPTS):
        if cache.add(lock_key, token, timeout=LOCK_SECONDS):
            acquired = True
            break
        time.sleep(LOCK_WAIT)
    try:
        yield
    finally:
        if acquired and cache.get(lock_key) == token:
            cache.delete(lock_key)


def _live(items, now: float) -> dict:
    """The items of a stored mapping whose time has not passed (anything malformed counts as gone)."""
    if not isinstance(items, dict):
        return {}
    return {k: v for k, v in items.items() if isinstance(v, int | float) and v > now}


def _timeout() -> int:
    return int(presence_ttl()) + 1


def presence_refresh(user_id: int, company_ids, channel_name: str) -> None:
    """Mark one socket of the person as online now, and the person as online in each of their companies."""
    now = time.time()
    expires = now + presence_ttl()
    key = _user_key(user_id)
    with _locked(key):
        channels = _live(cache.get(key), now)
        channels[channel_name] = expires
        cache.set(key, channels, timeout=_timeout())
    for company_id in company_ids:
        key = _company_key(company_id)
        with _locked(key):
            members = _live(cache.get(key), now)
            members[str(int(user_id))] = expires
            cache.set(key, members, timeout=_timeout())


def presence_connect(user_id: int, company_ids, channel_name: str) -> None:
    """A socket of the person opened."""
    presence_refresh(user_id, company_ids, channel_name)


def presence_disconnect(user_id: int, company_ids, channel_name: str) -> None:
    """A socket of the person closed. The person stays online (also in their companies) while they have
    another live socket, in this process or another."""
    now = time.time()
    key = _user_key(user_id)
    with _locked(key):
        channels = _live(cache.get(key), now)
        channels.pop(channel_name, None)
        if channels:
            cache.set(key, channels, timeout=_timeout())
        else:
            cache.delete(key)
    if channels:
        return
    for company_id in company_ids:
        key = _company_key(company_id)
        with _locked(key):
            members = _live(cache.get(key), now)
            members.pop(str(int(user_id)), None)
            if members:
                cache.set(key, members, timeout=_timeout())
            else:
                cache.delete(key)


def user_online(user_id: int) -> bool:
    """The person has at least one live chat socket."""
    return bool(_live(cache.get(_user_key(user_id)), time.time()))


def staff_online_count(company_id: int) -> int:
    """How many members of the company have at least one live chat socket."""
    return len(_live(cache.get(_company_key(company_id)), time.time()))


def presence_for(pairs) -> dict:
    """Presence for several conversations at once, one cache round trip.

    `pairs` maps conversation id -> (company id, buyer id); returns conversation id ->
    ``{"staff_online": n, "buyer_online": bool}``.
    """
    pairs = dict(pairs)
    if not pairs:
        return {}
    keys = set()
    for company_id, buyer_id in pairs.values():
        keys.add(_company_key(company_id))
        keys.add(_user_key(buyer_id))
    found = cache.get_many(list(keys))
    now = time.time()
    return {
        conversation_id: {
            "staff_online": len(_live(found.get(_company_key(company_id)), now)),
            "buyer_online": bool(_live(found.get(_user_key(buyer_id)), now)),
        }
        for conversation_id, (company_id, buyer_id) in pairs.items()
    }
