"""Who is online in chat, per person and per exhibitor company.

How it works. Each open socket is known by its channel-layer name. Two kinds of entries hold it:

- ``chat:online:user:<user id>``: one field per socket of the person (the channel name), from every worker
  process;
- ``chat:online:company:<company id>``: one field per socket of each member of the company
  (``<user id>|<channel name>``); the company's count is the number of distinct people among its live fields,
  so several sockets of one person count once.

Every field holds its own expiry time (a Unix timestamp). A socket writes its fields when it connects and
again at each heartbeat (``presence_refresh``), and deletes them when it closes (``presence_disconnect``).
Readers count only fields whose time has not passed, so the sockets of a killed worker process, which never
run their disconnect, fade out after ``presence_ttl()`` seconds: two heartbeats and a margin. The entries
themselves also expire after that long without a refresh, so nothing piles up; stale fields inside an entry
that still has live ones are deleted when a socket connects or closes and at about one refresh in
``PRUNE_EVERY``.

With a Redis cache (``REDIS_URL``) each entry is a Redis hash under the cache's key prefix, shared by every
worker. A refresh is ONE round trip: a MULTI/EXEC pipeline of HSET + EXPIRE per entry (and sometimes a small
Lua script that deletes stale fields, atomic, so it never deletes a field refreshed meanwhile); a disconnect
is one pipeline of HDELs; a read is one pipeline of HGETALLs. No locks, no read-change-write. Async code
(the chat socket) uses the ``a``-prefixed functions, which talk to Redis through redis-py's asyncio client
(one per process and event loop, on the cache's server), so nothing blocks the event loop and nothing hops
through a thread. Sync callers (the booth and conversation pages) use the plain functions, which use the
cache's own (sync) Redis client.

With any other cache (the local-memory cache of the embedded default, one process) each entry is a dict
``{field: expires at}`` stored in the cache, changed under a lock: a process-wide lock for the local-memory
cache, whose calls are plain memory work, done directly on the event loop by the async functions; for other
backends a short ``cache.add`` lock, and the async functions run in a thread.

While Redis does not answer, presence is a hint that is missing, never an error: writes are skipped (the
next heartbeat after Redis returns writes them again), and reads say "unknown" (None instead of a count or a
yes/no; pages then show no online status, sockets an "unknown" line). The outage is logged once
(fair/chat/outage.py).
"""

import asyncio
import random
import threading
import time
import uuid
import weakref
from contextlib import contextmanager

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.utils.translation import gettext, ngettext

from exhibitors.cache_tags import enabled as page_cache_enabled
from exhibitors.cache_tags import purge_now as page_cache_purge_now
from exhibitors.cache_tags import tag_presence
from fair.chat.outage import REDIS_DOWN_ERRORS, cache_outage

LOCK_SECONDS = 2
LOCK_ATTEMPTS = 10
LOCK_WAIT = 0.005
# About one refresh in this many also deletes the stale fields of the entries it writes.
PRUNE_EVERY = 10

# Deletes the fields of hash KEYS[1] whose expiry time is not after ARGV[1] (or is not a number).
PRUNE_SCRIPT = """
local now = tonumber(ARGV[1])
local flat = redis.call('HGETALL', KEYS[1])
local gone = 0
for i = 1, #flat, 2 do
  local expires = tonumber(flat[i + 1])
  if expires == nil or expires <= now then
    redis.call('HDEL', KEYS[1], flat[i])
    gone = gone + 1
  end
end
return gone
"""


def heartbeat_seconds() -> float:
    """Seconds between heartbeats on each socket (setting FERIA_CHAT_HEARTBEAT_SECONDS, default 25)."""
    return float(getattr(settings, "FERIA_CHAT_HEARTBEAT_SECONDS", 25))


def presence_ttl() -> float:
    """How long a socket counts as online after its last refresh: two heartbeats and a margin."""
    return 2 * heartbeat_seconds() + 5


def _user_key(user_id: int) -> str:
    return f"chat:online:user:{int(user_id)}"


def _company_key(company_id: int) -> str:
    return f"chat:online:company:{int(company_id)}"


def _company_field(user_id: int, channel_name: str) -> str:
    return f"{int(user_id)}|{channel_name}"


def _timeout() -> int:
    return int(presence_ttl()) + 1


def _cache():
    return caches["default"]


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _live(items, now: float) -> dict:
    """The fields of a stored mapping whose time has not passed (anything malformed counts as gone)."""
    if not isinstance(items, dict):
        return {}
    live = {}
    for field, value in items.items():
        try:
            expires = float(value)
        except (TypeError, ValueError):
            continue
        if expires > now:
            live[_text(field)] = expires
    return live


def _people(items, now: float) -> int:
    """How many distinct people have a live field in a company entry."""
    return len({field.split("|", 1)[0] for field in _live(items, now)})


def _writes(user_id: int, company_ids, channel_name: str) -> list:
    """(entry key, field) pairs one socket keeps."""
    pairs = [(_user_key(user_id), channel_name)]
    pairs += [(_company_key(c), _company_field(user_id, channel_name)) for c in sorted(company_ids)]
    return pairs


UNKNOWN = {"staff_online": None, "buyer_online": None}


def _results(pairs: dict, found: dict | None, now: float) -> dict:
    if found is None:
        return {conversation_id: dict(UNKNOWN) for conversation_id in pairs}
    return {
        conversation_id: {
            "staff_online": _people(found.get(_company_key(company_id)), now),
            "buyer_online": bool(_live(found.get(_user_key(buyer_id)), now)),
        }
        for conversation_id, (company_id, buyer_id) in pairs.items()
    }


def _read_keys(pairs: dict) -> list:
    keys = set()
    for company_id, buyer_id in pairs.values():
        keys.add(_company_key(company_id))
        keys.add(_user_key(buyer_id))
    return sorted(keys)


# --- Redis: hashes, one pipelined round trip per call -------------------------------------------------------


def _redis_cache():
    cache = _cache()
    return cache if isinstance(cache, RedisCache) else None


def _pipeline_refresh(pipe, cache, pairs, now: float, prune: bool) -> None:
    expires = repr(now + presence_ttl())
    timeout = _timeout()
    for key, field in pairs:
        name = cache.make_and_validate_key(key)
        pipe.hset(name, field, expires)
        pipe.expire(name, timeout)
        if prune:
            pipe.eval(PRUNE_SCRIPT, 1, name, repr(now))


def _pipeline_remove(pipe, cache, pairs, now: float) -> None:
    for key, field in pairs:
        name = cache.make_and_validate_key(key)
        pipe.hdel(name, field)
        pipe.eval(PRUNE_SCRIPT, 1, name, repr(now))


def _pipeline_read(pipe, cache, keys) -> None:
    for key in keys:
        pipe.hgetall(cache.make_and_validate_key(key))


def _sync_client(cache):
    return cache._cache.get_client(write=True)


_async_clients: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _async_options(cache) -> dict:
    """The cache's connection options (cms/settings/redis.py) for redis-py's asyncio client."""
    from redis.asyncio.retry import Retry as AsyncRetry
    from redis.backoff import NoBackoff

    options = dict(getattr(cache, "_options", {}) or {})
    for name in ("parser_class", "pool_class", "serializer"):
        options.pop(name, None)
    retry = options.pop("retry", None)
    if retry is not None:
        options["retry"] = AsyncRetry(NoBackoff(), retry.get_retries())
    return options


def _sync_call(run, fallback=None):
    """`run()` on Redis; during an outage (or when this call finds one) `fallback` instead."""
    if cache_outage.skip():
        return fallback
    try:
        result = run()
    except REDIS_DOWN_ERRORS as error:
        cache_outage.failed(error)
        return fallback
    cache_outage.succeeded()
    return result


async def _async_call(run, fallback=None):
    """`await run()` on Redis; during an outage (or when this call finds one) `fallback` instead."""
    if cache_outage.skip():
        return fallback
    try:
        result = await run()
    except REDIS_DOWN_ERRORS as error:
        cache_outage.failed(error)
        return fallback
    cache_outage.succeeded()
    return result


def _async_client(cache):
    """redis-py's asyncio client on the cache's (write) server: one per process and event loop."""
    from redis.asyncio import Redis

    loop = asyncio.get_running_loop()
    server = cache._cache._servers[0]
    clients = _async_clients.setdefault(loop, {})
    client = clients.get(server)
    if client is None:
        for other in [other for other in _async_clients if other.is_closed()]:
            del _async_clients[other]  # a finished loop's clients (tests run one loop per test)
        client = clients[server] = Redis.from_url(server, **_async_options(cache))
    return client


async def aclose_clients() -> None:
    """Close this event loop's asyncio Redis clients (a worker shutting down, or the end of a test)."""
    clients = _async_clients.pop(asyncio.get_running_loop(), {})
    for client in clients.values():
        await client.aclose()


# --- Any other cache: dicts under a lock ------------------------------------------------------------------

_process_lock = threading.Lock()


@contextmanager
def _locked(cache, key: str):
    if isinstance(cache, LocMemCache):
        with _process_lock:  # the local-memory cache lives in this process only
            yield
        return
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


def _dict_change(cache, pairs, now: float, expires: float | None) -> None:
    """Set each field to `expires` (None: delete it), dropping stale fields, in the dict entries."""
    for key, field in pairs:
        with _locked(cache, key):
            items = _live(cache.get(key), now)
            if expires is None:
                items.pop(field, None)
            else:
                items[field] = expires
            if items:
                cache.set(key, items, timeout=_timeout())
            else:
                cache.delete(key)


# --- The API ----------------------------------------------------------------------------------------------


def presence_refresh(user_id: int, company_ids, channel_name: str, *, prune: bool | None = None) -> None:
    """Mark one socket of the person as online now, and the person as online in each of their companies.
    Writes the presence entries (one Redis round trip); `prune` (default: about one call in PRUNE_EVERY)
    also deletes their stale fields."""
    now = time.time()
    pairs = _writes(user_id, company_ids, channel_name)
    cache = _redis_cache()
    if cache is None:
        _dict_change(_cache(), pairs, now, now + presence_ttl())
        return
    prune = random.randrange(PRUNE_EVERY) == 0 if prune is None else prune

    def run():
        pipe = _sync_client(cache).pipeline(transaction=True)
        _pipeline_refresh(pipe, cache, pairs, now, prune)
        pipe.execute()

    _sync_call(run)


def _page_cache_purge(company_ids) -> None:
    """The companies' booth pages say who is online: anonymous visitors' cached copies are made again
    (exhibitors/cache_tags.py). Like presence itself, skipped while the cache cannot be reached."""
    tags = [tag_presence(company_id) for company_id in company_ids]
    if tags and page_cache_enabled():
        try:
            page_cache_purge_now(tags)
        except REDIS_DOWN_ERRORS:
            pass


async def _apage_cache_purge(company_ids) -> None:
    if company_ids and page_cache_enabled():
        await sync_to_async(_page_cache_purge, thread_sensitive=False)(list(company_ids))


def presence_connect(user_id: int, company_ids, channel_name: str) -> None:
    """A socket of the person opened (writes its presence fields and deletes stale ones)."""
    presence_refresh(user_id, company_ids, channel_name, prune=True)
    _page_cache_purge(company_ids)


def presence_disconnect(user_id: int, company_ids, channel_name: str) -> None:
    """A socket of the person closed: deletes its fields (and stale ones). The person stays online (also in
    their companies) while they have another live socket, in this process or another."""
    now = time.time()
    pairs = _writes(user_id, company_ids, channel_name)
    cache = _redis_cache()
    if cache is None:
        _dict_change(_cache(), pairs, now, None)
        _page_cache_purge(company_ids)
        return

    def run():
        pipe = _sync_client(cache).pipeline(transaction=True)
        _pipeline_remove(pipe, cache, pairs, now)
        pipe.execute()

    _sync_call(run)
    _page_cache_purge(company_ids)


def _read(keys) -> dict | None:
    """The entries under `keys`; None when Redis cannot be reached (presence unknown)."""
    cache = _redis_cache()
    if cache is None:
        return _cache().get_many(list(keys))

    def run():
        pipe = _sync_client(cache).pipeline(transaction=False)
        _pipeline_read(pipe, cache, keys)
        return dict(zip(keys, pipe.execute(), strict=True))

    return _sync_call(run)


def user_online(user_id: int) -> bool | None:
    """The person has at least one live chat socket (None: unknown, Redis is unreachable)."""
    key = _user_key(user_id)
    found = _read([key])
    return None if found is None else bool(_live(found.get(key), time.time()))


def staff_online_count(company_id: int) -> int | None:
    """How many members of the company have at least one live chat socket (None: unknown)."""
    key = _company_key(company_id)
    found = _read([key])
    return None if found is None else _people(found.get(key), time.time())


def presence_for(pairs) -> dict:
    """Presence for several conversations at once, one cache round trip.

    `pairs` maps conversation id -> (company id, buyer id); returns conversation id ->
    ``{"staff_online": n, "buyer_online": bool}``.
    """
    pairs = dict(pairs)
    if not pairs:
        return {}
    keys = _read_keys(pairs)
    found = _read(keys)
    return _results(pairs, found, time.time())


# --- The same for async code (the chat socket) -------------------------------------------------------------


async def _off_loop(function, *args, **kwargs):
    """A dict-cache call: directly for the local-memory cache (memory work), else in a thread."""
    if isinstance(_cache(), LocMemCache):
        return function(*args, **kwargs)
    return await sync_to_async(function, thread_sensitive=False)(*args, **kwargs)


async def apresence_refresh(
    user_id: int, company_ids, channel_name: str, *, prune: bool | None = None
) -> None:
    """presence_refresh for async code: one Redis round trip on the asyncio client."""
    cache = _redis_cache()
    if cache is None:
        await _off_loop(presence_refresh, user_id, company_ids, channel_name, prune=prune)
        return
    now = time.time()
    prune = random.randrange(PRUNE_EVERY) == 0 if prune is None else prune

    async def run():
        pipe = _async_client(cache).pipeline(transaction=True)
        _pipeline_refresh(pipe, cache, _writes(user_id, company_ids, channel_name), now, prune)
        await pipe.execute()

    await _async_call(run)


async def apresence_connect(user_id: int, company_ids, channel_name: str) -> None:
    """presence_connect for async code."""
    await apresence_refresh(user_id, company_ids, channel_name, prune=True)
    await _apage_cache_purge(company_ids)


async def apresence_disconnect(user_id: int, company_ids, channel_name: str) -> None:
    """presence_disconnect for async code."""
    cache = _redis_cache()
    if cache is None:
        await _off_loop(presence_disconnect, user_id, company_ids, channel_name)
        return

    async def run():
        pipe = _async_client(cache).pipeline(transaction=True)
        _pipeline_remove(pipe, cache, _writes(user_id, company_ids, channel_name), time.time())
        await pipe.execute()

    await _async_call(run)
    await _apage_cache_purge(company_ids)


async def apresence_for(pairs) -> dict:
    """presence_for for async code: one Redis round trip on the asyncio client."""
    cache = _redis_cache()
    if cache is None:
        return await _off_loop(presence_for, pairs)
    pairs = dict(pairs)
    if not pairs:
        return {}
    keys = _read_keys(pairs)

    async def run():
        pipe = _async_client(cache).pipeline(transaction=False)
        _pipeline_read(pipe, cache, keys)
        return dict(zip(keys, await pipe.execute(), strict=True))

    return _results(pairs, await _async_call(run), time.time())


def presence_text(
    *, side: str, staff_online: int | None, buyer_online: bool | None, company: str, buyer: str
) -> str:
    """The status line under a conversation for a person on `side`: who of the other side is online (the
    conversation page and the socket's frames say the same words). None counts are "unknown"."""
    if side == "buyer":
        if staff_online is None:
            return gettext("Whether anyone from %(company)s is online cannot be shown right now.") % {
                "company": company
            }
        if not staff_online:
            return gettext(
                "Nobody from %(company)s is online right now; they will see your message later."
            ) % {"company": company}
        return ngettext("%(count)d staff member online", "%(count)d staff members online", staff_online) % {
            "count": staff_online
        }
    if buyer_online is None:
        return gettext("Whether %(buyer)s is online cannot be shown right now.") % {"buyer": buyer}
    if buyer_online:
        return gettext("%(buyer)s is online") % {"buyer": buyer}
    return gettext("%(buyer)s is not online right now.") % {"buyer": buyer}
