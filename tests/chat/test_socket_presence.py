"""Presence in the cache (fair/chat/presence.py) and the per-person send limit (fair/chat/ratelimit.py)."""

import pytest

from fair.chat import presence, ratelimit


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves by hand."""
    now = [1_000_000.0]
    monkeypatch.setattr(presence.time, "time", lambda: now[0])
    return now


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


def test_twenty_sends_per_ten_seconds_then_retry_after():
    start = 5_000_000.0  # the start of a window
    for n in range(20):
        assert ratelimit.send_allowed(1, now=start + n * 0.1) == 0
    wait = ratelimit.send_allowed(1, now=start + 2.5)
    assert 1 <= wait <= 10
    assert ratelimit.send_allowed(2, now=start + 2.5) == 0  # per person
    # The refused attempt was not counted; the window slides: halfway into the next window about half of
    # the previous window's sends still count.
    assert ratelimit.send_allowed(1, now=start + 10.1) != 0
    allowed = sum(ratelimit.send_allowed(1, now=start + 15) == 0 for _ in range(20))
    assert allowed == 10
    assert ratelimit.send_allowed(1, now=start + 30) == 0


def test_retry_after_is_when_the_window_lets_a_send_through_again():
    start = 6_000_000.0
    for _ in range(20):
        ratelimit.send_allowed(3, now=start + 8)
    wait = ratelimit.send_allowed(3, now=start + 8.5)
    assert wait == 2  # the current window ends in 1.5 s
    assert ratelimit.send_allowed(3, now=start + 8.5 + wait) == 0


def test_typing_once_per_three_seconds_per_person_and_conversation():
    assert ratelimit.typing_allowed(1, 12)
    assert not ratelimit.typing_allowed(1, 12)
    assert ratelimit.typing_allowed(1, 13)
    assert ratelimit.typing_allowed(2, 12)
