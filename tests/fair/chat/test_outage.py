"""Redis unreachable (nothing listens on its port): the site keeps serving, presence reads "unknown", the
send limit counts in this process, and the chat socket opens, stores and acknowledges sends. Each Redis user
logs the outage once, not once per request. (tests/fair/chat/test_processes.py stops a real Redis in the
middle of a conversation between real workers.)"""

import logging
import uuid

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.urls import reverse

from fair.chat import presence, ratelimit
from fair.chat.models import Message
from tests.fair.chat.conftest import SOCKET_PATH, ChatClient, session_cookie, socket_headers
from tests.fair.chat.processes import free_port

OUTAGE_LOGGER = "fair.chat.outage"


@pytest.fixture
def redis_unreachable(settings):
    """The cache and the channel layer on a Redis nobody answers for (connections are refused)."""
    from cms.settings.redis import redis_caches, redis_channel_layers

    url = f"redis://127.0.0.1:{free_port()}/0"
    prefix = f"feria-test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = redis_caches(url, key_prefix=prefix)
    settings.CHANNEL_LAYERS = redis_channel_layers(url, prefix=prefix)
    return url


class Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture
def outage_log():
    """The outage lines logged during the test (whatever thread or task logged them)."""
    handler = Lines()
    logger = logging.getLogger(OUTAGE_LOGGER)
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def outage_lines(handler) -> list[str]:
    return [line for line in handler.lines if "unreachable" in line]


@pytest.mark.django_db
def test_pages_answer_and_the_outage_is_logged_once(client, chat_booth, redis_unreachable, outage_log):
    fair = chat_booth.fair
    pages = [
        "/en/",
        fair.url,
        reverse("fair:booth", kwargs={"fair_slug": fair.slug, "company_slug": chat_booth.company.slug}),
        "/en/accounts/signup/",
    ]
    for _round in range(2):
        for path in pages:
            assert client.get(path).status_code == 200, path
    lines = outage_lines(outage_log)
    assert len(lines) == 1 and lines[0].startswith("Redis (cache) unreachable"), lines


@pytest.mark.django_db
def test_the_cache_reads_as_empty_and_writes_change_nothing(redis_unreachable):
    from django.core.cache import cache

    cache.set("key", 1)
    assert cache.get("key") is None
    assert cache.get("key", "default") == "default"
    assert cache.get_or_set("counter", 0) == 0
    assert not cache.add("lock", 1)
    with pytest.raises(ValueError):
        cache.incr("counter")


def test_presence_is_unknown(redis_unreachable):
    presence.presence_refresh(7, [3], "socket-a")  # skipped, not raised
    assert presence.user_online(7) is None
    assert presence.staff_online_count(3) is None
    assert presence.presence_for({40: (3, 7)}) == {40: {"staff_online": None, "buyer_online": None}}
    text = presence.presence_text(
        side="buyer", staff_online=None, buyer_online=None, company="Cafe Inca", buyer="Bea"
    )
    assert text == "Whether anyone from Cafe Inca is online cannot be shown right now."


def test_the_send_limit_counts_in_this_process(redis_unreachable):
    start = 8_000_000.0
    for n in range(20):
        assert ratelimit.send_allowed(5, now=start + n * 0.1) == 0
    assert ratelimit.send_allowed(5, now=start + 2) == 8
    assert ratelimit.send_allowed(6, now=start + 2) == 0
    assert ratelimit.send_allowed(5, now=start + 10.05) == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_a_socket_opens_and_its_sends_are_stored_and_acknowledged(
    redis_unreachable, conversation, chat_buyer, outage_log
):
    from cms.asgi import application

    cookie = await database_sync_to_async(session_cookie)(chat_buyer)
    communicator = WebsocketCommunicator(application, SOCKET_PATH, headers=socket_headers(cookie=cookie))
    connected, _code = await communicator.connect(timeout=10)
    assert connected, "the socket must open while Redis is down"
    client = ChatClient(communicator)
    try:
        assert (await client.receive(timeout=10))["type"] == "ready"
        await client.send({"type": "sync", "conversation": conversation.pk, "after": 0})
        synced = await client.receive_type("messages", timeout=10)
        assert synced["presence"]["staff_online"] is None
        assert synced["presence"]["text"] == (
            "Whether anyone from Cafe Inca S.A.C. is online cannot be shown right now."
        )
        for n in range(3):
            frame = {
                "type": "send",
                "conversation": conversation.pk,
                "client_id": f"o-{n}",
                "body": f"Hi {n}",
            }
            await client.send(frame)
            ack = await client.receive_type("ack", timeout=10)
            assert ack["client_id"] == f"o-{n}"
        stored = await database_sync_to_async(
            lambda: list(Message.objects.order_by("id").values_list("client_id", flat=True))
        )()
        assert stored == ["o-0", "o-1", "o-2"]
    finally:
        await communicator.disconnect()
    lines = outage_lines(outage_log)
    # The cache (presence, send limit) and the channel layer: once each.
    assert sorted(line.split(")")[0] for line in lines) == ["Redis (cache", "Redis (channel layer"], lines
