"""A session that gave its password but not yet its two-factor code opens no chat socket (close code 4401,
docs/chat-protocol.md) and no call room; once the code is given, the same session's socket opens."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from exhibitors.two_factor import PENDING_SESSION_KEY
from fair.chat.frames import CLOSE_TWO_FACTOR_PENDING
from tests.fair.chat.conftest import ORIGIN, SOCKET_PATH, socket_headers

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def memory_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def _signed_in_with_password(user) -> Client:
    """A browser that typed the password: the sign-in signal marks the session as owing a code."""
    client = Client()
    client.force_login(user)
    return client


def _cookie(client: Client) -> str:
    name = django_settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


@pytest.fixture
def staff_with_authenticator(db):
    from tests.factories.exhibitors import UserFactory

    user = UserFactory(email="stella@example.com", first_name="Stella", last_name="Staff", is_staff=True)
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return user


async def _open(cookie: str, path: str = SOCKET_PATH):
    from cms.asgi import application

    communicator = WebsocketCommunicator(
        application, path, headers=socket_headers(cookie=cookie, origin=ORIGIN)
    )
    connected, _code = await communicator.connect(timeout=5)
    return communicator, connected


async def test_chat_socket_closes_with_4401_while_the_code_is_owed(memory_layer, staff_with_authenticator):
    client = await database_sync_to_async(_signed_in_with_password)(staff_with_authenticator)
    session = await database_sync_to_async(lambda: dict(client.session.items()))()
    assert session.get(PENDING_SESSION_KEY) is True

    communicator, connected = await _open(_cookie(client))
    assert connected
    output = await communicator.receive_output(timeout=3)
    assert output == {"type": "websocket.close", "code": CLOSE_TWO_FACTOR_PENDING}
    assert CLOSE_TWO_FACTOR_PENDING == 4401
    await communicator.wait()


async def test_chat_socket_opens_once_the_code_was_given(memory_layer, staff_with_authenticator):
    from django_otp.oath import totp

    client = await database_sync_to_async(_signed_in_with_password)(staff_with_authenticator)
    device = await database_sync_to_async(TOTPDevice.objects.get)(user=staff_with_authenticator)
    code = f"{totp(device.bin_key):06d}"
    response = await database_sync_to_async(client.post)("/en/sign-in/code/", {"token": code})
    assert response.status_code == 302
    session = await database_sync_to_async(lambda: dict(client.session.items()))()
    assert PENDING_SESSION_KEY not in session

    communicator, connected = await _open(_cookie(client))
    assert connected
    ready = await communicator.receive_json_from(timeout=3)
    assert ready["type"] == "ready"
    assert ready["user"]["id"] == staff_with_authenticator.pk
    await communicator.disconnect()


async def test_call_socket_refuses_a_session_that_owes_its_code(memory_layer, staff_with_authenticator):
    client = await database_sync_to_async(_signed_in_with_password)(staff_with_authenticator)
    communicator, connected = await _open(
        _cookie(client), "/ws/meetings/00000000-0000-0000-0000-000000000000/call/"
    )
    assert connected
    error = await communicator.receive_json_from(timeout=3)
    assert error["code"] == "not_signed_in"
    output = await communicator.receive_output(timeout=3)
    assert output == {"type": "websocket.close", "code": 4401}
    await communicator.wait()
