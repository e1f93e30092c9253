"""Shared fixtures for the chat tests: a conversation between a buyer and a company (owner and staff), the
channel layer the socket tests run on (in memory, and Redis pub/sub when Redis is there), and signed-in
WebSocket clients talking to the real ASGI application (origin check and session auth included)."""

import uuid

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.test import Client

from exhibitors.enums import MembershipRole
from tests.factories.exhibitors import CompanyFactory, MembershipFactory, UserFactory

SOCKET_PATH = "/ws/chat/"
ORIGIN = "http://testserver"


@pytest.fixture
def chat_company(db):
    return CompanyFactory(legal_name="Cafe Inca S.A.C.", slug="cafe-inca-chat")


@pytest.fixture
def chat_buyer(db):
    return UserFactory(email="bea@example.com", first_name="Bea", last_name="Buyer", preferred_language="en")


@pytest.fixture
def chat_owner(chat_company):
    user = UserFactory(email="olga@example.com", first_name="Olga", last_name="Owner")
    MembershipFactory(user=user, company=chat_company, role=MembershipRole.OWNER)
    return user


@pytest.fixture
def chat_staff(chat_company):
    user = UserFactory(email="sam@example.com", first_name="Sam", last_name="Staff")
    MembershipFactory(user=user, company=chat_company, role=MembershipRole.STAFF)
    return user


@pytest.fixture
def conversation(chat_buyer, chat_company, chat_owner, chat_staff):
    """The buyer's conversation with the company; the company has an owner and a staff member."""
    from fair.chat.services.conversations import conversation_start

    return conversation_start(buyer=chat_buyer, company=chat_company)


@pytest.fixture
def outsider(db):
    """Someone in no conversation at all."""
    return UserFactory(email="otto@example.com", first_name="Otto", last_name="Outsider")


@pytest.fixture(autouse=True)
def _no_outage_left_over():
    """Each test starts with Redis taken as reachable and no send counted in this process."""
    from fair.chat import ratelimit
    from fair.chat.outage import cache_outage, layer_outage

    for outage in (cache_outage, layer_outage):
        outage.reset()
    ratelimit.forget_local_counts()
    yield
    for outage in (cache_outage, layer_outage):
        outage.reset()


@pytest.fixture(params=["memory", "redis"])
def chat_layer(request, settings):
    """Run a socket test on the in-memory channel layer and on RedisPubSubChannelLayer (the production
    choice). The Redis variant also puts the cache (presence, rate limits) on Redis; both use a prefix of
    this test's own, so other runs on the same Redis never see its messages or keys."""
    if request.param == "memory":
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": "fair.chat.layers.BoundedInMemoryChannelLayer"}}
        return "memory"
    from cms.settings.redis import redis_caches, redis_channel_layers

    url = request.getfixturevalue("redis_url")
    prefix = f"feria-test-{uuid.uuid4().hex[:12]}"
    settings.CHANNEL_LAYERS = redis_channel_layers(url, prefix=prefix)
    settings.CACHES = redis_caches(url, key_prefix=prefix)
    return "redis"


def session_cookie(user) -> str:
    """A signed-in session for the person, as the browser's Cookie header would carry it."""
    client = Client()
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def socket_headers(*, cookie: str | None = None, origin: str | None = ORIGIN) -> list:
    headers = [(b"host", b"testserver")]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if cookie is not None:
        headers.append((b"cookie", cookie.encode()))
    return headers


class ChatClient:
    """A WebSocket client on the real cms.asgi application, with JSON helpers."""

    def __init__(self, communicator: WebsocketCommunicator):
        self.communicator = communicator
        self.ready: dict | None = None
        self.connected = False

    async def send(self, frame: dict) -> None:
        await self.communicator.send_json_to(frame)

    async def send_text(self, text: str) -> None:
        await self.communicator.send_to(text_data=text)

    async def receive(self, timeout: float = 3) -> dict:
        return await self.communicator.receive_json_from(timeout=timeout)

    async def receive_type(self, kind: str, timeout: float = 3, skip=("heartbeat", "typing", "read")) -> dict:
        """The next frame of type `kind`, passing over frames of the types in `skip`."""
        while True:
            frame = await self.receive(timeout=timeout)
            if frame["type"] == kind:
                return frame
            assert frame["type"] in skip, f"expected {kind}, got {frame}"

    async def nothing(self, timeout: float = 0.2) -> bool:
        return await self.communicator.receive_nothing(timeout=timeout)

    async def output(self, timeout: float = 3) -> dict:
        """The next raw ASGI message (to see a close and its code)."""
        return await self.communicator.receive_output(timeout=timeout)

    async def close(self) -> None:
        if self.connected:
            self.connected = False
            await self.communicator.disconnect()


@pytest.fixture
async def chat_socket(chat_layer):
    """Factory: `await chat_socket(user)` opens a signed-in socket and returns a ChatClient whose `ready`
    holds the first frame. `expect_refusal=True` returns the refused connect's close code instead.
    Every socket is closed at the end of the test."""
    from cms.asgi import application

    clients: list[ChatClient] = []

    async def open_socket(user=None, *, origin: str | None = ORIGIN, expect_refusal: bool = False):
        cookie = await database_sync_to_async(session_cookie)(user) if user is not None else None
        communicator = WebsocketCommunicator(
            application, SOCKET_PATH, headers=socket_headers(cookie=cookie, origin=origin)
        )
        client = ChatClient(communicator)
        connected, code = await communicator.connect(timeout=5)
        if expect_refusal:
            assert not connected, "the socket should have been refused"
            await communicator.disconnect()
            return code
        assert connected, f"the socket was refused ({code})"
        client.connected = True
        clients.append(client)
        client.ready = await client.receive()
        assert client.ready["type"] == "ready"
        return client

    yield open_socket
    for client in clients:
        try:
            await client.close()
        except Exception:  # noqa: BLE001 - a socket the server already closed
            pass
    layer = get_channel_layer()
    if hasattr(layer, "flush"):
        await layer.flush()


# --- Pages, moderation and e-mails ---


@pytest.fixture
def chat_booth(home_page, chat_company):
    """The company's live booth at a fair (America/Lima), where "Chat with us" starts a conversation."""
    from exhibitors.enums import ApplicationStatus
    from tests.factories.exhibitors import BoothFactory
    from tests.factories.fair import FairPageFactory

    fair = FairPageFactory(title="Andean Trade Fair", slug="andean-chat", time_zone="America/Lima")
    return BoothFactory(fair=fair, company=chat_company, status=ApplicationStatus.APPROVED)


@pytest.fixture
def booth_conversation(chat_buyer, chat_company, chat_owner, chat_staff, chat_booth):
    """Like `conversation`, started from the company's booth."""
    from fair.chat.services.conversations import conversation_start

    return conversation_start(buyer=chat_buyer, company=chat_company, booth=chat_booth)


@pytest.fixture
def client_for():
    """Factory: a test client signed in as the given person."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def send_text(conversation, user, body: str, client_id: str | None = None):
    """Store a text message through the service, as either side would."""
    from fair.chat.services.conversations import message_send

    message, _created = message_send(
        conversation=conversation, sender=user, client_id=client_id or uuid.uuid4().hex, body=body
    )
    return message


@pytest.fixture(scope="session", autouse=True)
def _chat_database_threads_done(django_db_setup):
    """At the end of the run, let the chat sockets' database threads (fair.chat.consumers.database_work on
    PostgreSQL) finish what a closing socket left running, so each has handed its connection back before
    the pools close and the test database is dropped."""
    yield
    from fair.chat.threads import _database_executor, _writer_executor, close_writer_connection

    _database_executor.shutdown(wait=True)
    close_writer_connection()
    _writer_executor.shutdown(wait=True)
