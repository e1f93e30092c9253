"""Presence in the cache (fair/chat/presence.py) and the per-person send limit (fair/chat/ratelimit.py).

The presence tests run on the local-memory cache (the embedded default: dicts under a lock) and on Redis
(hashes, one pipelined round trip per write), each Redis run under a key prefix of its own."""

import os
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches

from fair.chat import presence, ratelimit

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(params=["locmem", "redis"])
def presence_cache(request, settings):
    """The cache presence runs on: "locmem", or "redis" with this test's own key prefix."""
    if request.param == "locmem":
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        caches["default"].clear()
        yield "locmem"
        return
    url = request.getfixturevalue("redis_url")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"feria-test-{uuid.uuid4().hex[:12]}",
        }
    }
    yield "redis"
    client = caches["default"]._cache.get_client(write=True)
    prefix = caches["default"].make_key("chat:online:")
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)


@pytest.fixture
def clock(monkeypatch, presence_cache):
    """A clock the test moves by hand."""
    now = [1_000_000.0]
    monkeypatch.setattr(presence.time, "time", lambda: now[0])
    return now


def stored_fields(key: str) -> set:
    """The fields an entry holds, stale ones included."""
    cache = caches["default"]
    if presence._redis_cache() is not None:
        client = cache._cache.get_client(write=True)
        return {f.decode() for f in client.hkeys(cache.make_and_validate_key(key))}
    return set(cache.get(key) or {})


def test_a_person_is_online_while_one_of_their_sockets_is(clock):
    presence.presence_connect(7, [3], "tab-1")
    presence.presence_connect(7, [3], "tab-2")
    presence.presence_connect(8, [3], "tab-3")
    assert presence.user_online(7)
    assert presence.staff_online_count(3) == 2
    presence.presence_disconnect(7, [3], "tab-1")
    assert presence.user_online(7)
    assert presence.staff_online_count(3) == 2
    presence.presence_disconnect(7, [3], "tab-2")
    assert not presence.user_online(7)
    assert presence.staff_online_count(3) == 1
    assert presence.presence_for({40: (3, 8), 41: (9, 7)}) == {
        40: {"staff_online": 1, "buyer_online": True},
        41: {"staff_online": 0, "buyer_online": False},
    }


def test_sockets_of_a_killed_worker_fade_after_two_heartbeats_unless_refreshed(clock, settings):
    settings.FERIA_CHAT_HEARTBEAT_SECONDS = 10
    presence.presence_connect(7, [3], "dead-worker-socket")
    presence.presence_connect(8, [3], "live-socket")
    clock[0] += 20  # two heartbeats: still counted (the margin)
    presence.presence_refresh(8, [3], "live-socket")
    assert presence.staff_online_count(3) == 2
    clock[0] += 10  # past 2 heartbeats + 5 s for the socket that never refreshed
    assert not presence.user_online(7)
    assert presence.user_online(8)
    assert presence.staff_online_count(3) == 1


def test_several_sockets_of_one_person_count_once_in_each_company(clock):
    for channel in ("tab-1", "tab-2", "phone"):
        presence.presence_connect(7, [3, 4], channel)
    presence.presence_refresh(7, [3, 4], "tab-2")
    assert presence.staff_online_count(3) == 1
    assert presence.staff_online_count(4) == 1
    assert presence.presence_for({40: (4, 7)}) == {40: {"staff_online": 1, "buyer_online": True}}
    presence.presence_disconnect(7, [3, 4], "tab-1")
    presence.presence_disconnect(7, [3, 4], "phone")
    assert presence.staff_online_count(3) == 1  # tab-2 is still open
    presence.presence_disconnect(7, [3, 4], "tab-2")
    assert presence.staff_online_count(3) == 0
    assert not presence.user_online(7)


def test_stale_fields_are_ignored_then_deleted_when_a_socket_connects(clock, settings):
    settings.FERIA_CHAT_HEARTBEAT_SECONDS = 10
    presence.presence_connect(7, [3], "dead-1")
    presence.presence_connect(7, [3], "dead-2")
    clock[0] += 20
    presence.presence_connect(7, [3], "live")
    clock[0] += 10  # dead-1 and dead-2 are past their time, still stored until something prunes
    presence.presence_refresh(7, [3], "live", prune=False)
    assert presence.staff_online_count(3) == 1
    assert presence.user_online(7)
    presence.presence_connect(8, [3], "new")  # prunes the company entry
    assert stored_fields("chat:online:company:3") == {"7|live", "8|new"}
    presence.presence_refresh(7, [3], "live", prune=True)
    assert stored_fields("chat:online:user:7") == {"live"}


async def test_the_socket_side_writes_without_threads_and_pages_read_the_same(clock, settings):
    """The consumer's async functions (asyncio Redis client) and the pages' sync ones share the entries."""
    settings.FERIA_CHAT_HEARTBEAT_SECONDS = 10
    try:
        await presence.apresence_connect(7, [3], "socket-a")
        await presence.apresence_connect(7, [3], "socket-b")
        await presence.apresence_connect(8, [3], "socket-c")
        assert presence.staff_online_count(3) == 2
        assert await presence.apresence_for({40: (3, 8), 41: (9, 7)}) == {
            40: {"staff_online": 2, "buyer_online": True},
            41: {"staff_online": 0, "buyer_online": True},
        }
        await presence.apresence_disconnect(7, [3], "socket-a")
        assert presence.user_online(7)
        clock[0] += 20
        await presence.apresence_refresh(8, [3], "socket-c")
        clock[0] += 10  # socket-b, never refreshed, is gone after two heartbeats and the margin
        assert await presence.apresence_for({40: (3, 7)}) == {40: {"staff_online": 1, "buyer_online": False}}
        assert presence.user_online(8)
    finally:
        await presence.aclose_clients()


OTHER_PROCESS = textwrap.dedent(
    """
    import asyncio, json, os, sys
    from django.conf import settings
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": sys.argv[1], "KEY_PREFIX": sys.argv[2]}}
    import django
    django.setup()
    from fair.chat import presence

    async def main():
        await presence.apresence_connect(7, [3], "other-process-socket")
        seen = {"staff": presence.staff_online_count(3), "user_8": presence.user_online(8)}
        print(json.dumps(seen), flush=True)
        await presence.aclose_clients()

    asyncio.run(main())
    os.kill(os.getpid(), 9)  # a killed worker: no disconnect ever runs
    """
)


def test_two_processes_see_each_others_presence_and_a_killed_ones_sockets_fade(
    redis_url, settings, monkeypatch
):
    prefix = f"feria-test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    presence.presence_connect(8, [3], "this-process-socket")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, redis_url, prefix],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    finished = time.time()
    assert done.returncode == -9, done.stderr
    assert done.stdout.strip().splitlines()[-1] == '{"staff": 2, "user_8": true}'
    assert presence.user_online(7)
    assert presence.staff_online_count(3) == 2
    # The other process wrote with the default 25 s heartbeat: its socket counts 55 s after it wrote, then
    # fades, as it never disconnects; this process's socket stays while it refreshes.
    ttl = 2 * 25 + 5
    monkeypatch.setattr(presence.time, "time", lambda: started + ttl - 5)
    presence.presence_refresh(8, [3], "this-process-socket")
    assert presence.user_online(7)
    assert presence.staff_online_count(3) == 2
    monkeypatch.setattr(presence.time, "time", lambda: finished + ttl + 1)
    assert not presence.user_online(7)
    assert presence.user_online(8)
    assert presence.staff_online_count(3) == 1
    presence.presence_disconnect(8, [3], "this-process-socket")
    assert presence.staff_online_count(3) == 0  # the killed process's entries expire in Redis on their own


@pytest.fixture(params=["locmem", "redis"])
def limit_cache(request, settings):
    """The cache the send limit counts in: this process's memory, or Redis (this test's own key prefix)."""
    if request.param == "locmem":
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        return "locmem"
    from cms.settings.redis import redis_caches

    settings.CACHES = redis_caches(
        request.getfixturevalue("redis_url"), key_prefix=f"feria-test-{uuid.uuid4().hex[:12]}"
    )
    return "redis"


def test_twenty_sends_in_any_ten_seconds_then_retry_after(limit_cache):
    start = 5_000_000.0
    for n in range(20):
        assert ratelimit.send_allowed(1, now=start + n * 0.1) == 0
    # The oldest send (at start) leaves the window at start + 10: 7.5 s from now, rounded up.
    assert ratelimit.send_allowed(1, now=start + 2.5) == 8
    assert ratelimit.send_allowed(2, now=start + 2.5) == 0  # per person
    # A true sliding window: just after the first send left it, one more goes through, the next does not.
    assert ratelimit.send_allowed(1, now=start + 10.05) == 0
    assert ratelimit.send_allowed(1, now=start + 10.06) == 1
    # Refused attempts were not counted: after the wait the window has room again.
    assert ratelimit.send_allowed(1, now=start + 11.07) == 0


def test_sends_older_than_the_window_no_longer_count(limit_cache):
    # A two-window estimate would still count most of these 20 sends 10.04 s later.
    start = 6_000_000.0
    for _ in range(20):
        assert ratelimit.send_allowed(3, now=start) == 0
    assert ratelimit.send_allowed(3, now=start + 9.9) == 1
    assert ratelimit.send_allowed(3, now=start + 10.04) == 0


def test_the_limit_and_window_are_settings(limit_cache, settings):
    settings.FERIA_CHAT_SEND_LIMIT = 2
    settings.FERIA_CHAT_SEND_WINDOW = 60
    start = 7_000_000.0
    assert ratelimit.send_allowed(4, now=start) == 0
    assert ratelimit.send_allowed(4, now=start + 1) == 0
    assert ratelimit.send_allowed(4, now=start + 2) == 58


def test_typing_once_per_three_seconds_per_person_and_conversation():
    assert ratelimit.typing_allowed(1, 12)
    assert not ratelimit.typing_allowed(1, 12)
    assert ratelimit.typing_allowed(1, 13)
    assert ratelimit.typing_allowed(2, 12)
