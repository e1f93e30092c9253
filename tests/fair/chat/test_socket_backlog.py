"""A socket that falls behind its events (FERIA_CHAT_SOCKET_BACKLOG, fair/chat/layers.py) is closed with 1013,
the layer keeps at most that many events for it, and after reconnecting its sync brings every message."""

import asyncio

import pytest
from channels.layers import get_channel_layer

from fair.chat import presence
from fair.chat.layers import BacklogQueue

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BACKLOG = 10


def send_frame(conversation, client_id, body="Hello"):
    return {"type": "send", "conversation": conversation.pk, "client_id": client_id, "body": body}


def waiting_events() -> list[int]:
    """How many events wait in each channel's queue of this process's layer."""
    layer = get_channel_layer()
    inner = layer._get_layer() if hasattr(layer, "_get_layer") else layer
    return [queue.qsize() for queue in inner.channels.values()]


async def test_a_socket_that_falls_behind_is_closed_with_1013_and_its_sync_loses_nothing(
    chat_socket, chat_layer, conversation, chat_buyer, chat_owner, settings, monkeypatch
):
    settings.FERIA_CHAT_SOCKET_BACKLOG = BACKLOG
    settings.FERIA_CHAT_SEND_LIMIT = 1000
    slow = await chat_socket(chat_owner)
    buyer = await chat_socket(chat_buyer)
    if chat_layer == "redis":
        assert any(isinstance(q, BacklogQueue) for q in get_channel_layer()._get_layer().channels.values())

    # The owner's socket stops taking its events: its consumer is stuck in a sync (as one whose sends wait
    # on a client that does not read).
    release = asyncio.Event()
    real_presence = presence.apresence_for

    async def stuck(pairs):
        await release.wait()
        return await real_presence(pairs)

    monkeypatch.setattr(presence, "apresence_for", stuck)
    await slow.send({"type": "sync", "conversation": conversation.pk})
    await asyncio.sleep(0.2)

    sent = 4 * BACKLOG
    most_waiting = 0
    for n in range(sent):
        await buyer.send(send_frame(conversation, f"m-{n}", f"Message {n}"))
        await buyer.receive_type("ack", skip=("message", "heartbeat", "typing", "read"))
        most_waiting = max([most_waiting, *waiting_events()])
    for _ in range(50):  # Redis delivers on its own task: let the last events arrive
        await asyncio.sleep(0.02)
        most_waiting = max([most_waiting, *waiting_events()])
    # Memory stays bounded: never more than the backlog waits for one socket (the buyer's own socket reads
    # its events, so it never has more than a few).
    assert most_waiting <= BACKLOG

    monkeypatch.setattr(presence, "apresence_for", real_presence)
    release.set()
    # The sync answer it was busy with, then the close: of the events, only the one its consumer had taken
    # before it got stuck comes through; the rest were dropped.
    close, live = None, 0
    while close is None:
        output = await slow.output(timeout=5)
        if output["type"] == "websocket.close":
            close = output
        elif '"type":"message"' in output.get("text", ""):
            live += 1
    assert close["code"] == 1013
    assert live <= 1
    slow.connected = False

    # Reconnecting, a sync from the cursor brings every message.
    again = await chat_socket(chat_owner)
    await again.send({"type": "sync", "conversation": conversation.pk, "after": 0})
    reply = await again.receive_type("messages", skip=("heartbeat", "typing", "read", "message"))
    assert [m["client_id"] for m in reply["messages"]] == [f"m-{n}" for n in range(sent)]
    assert reply["more"] is False
    assert reply["latest"] == reply["messages"][-1]["id"]
    # The new socket is live again.
    await buyer.send(send_frame(conversation, "after", "Back"))
    frame = await again.receive_type("message", skip=("heartbeat", "typing", "read"))
    assert frame["message"]["client_id"] == "after"


async def test_a_socket_within_its_backlog_gets_every_event(
    chat_socket, chat_layer, conversation, chat_buyer, chat_owner, settings, monkeypatch
):
    settings.FERIA_CHAT_SOCKET_BACKLOG = BACKLOG
    settings.FERIA_CHAT_SEND_LIMIT = 1000
    slow = await chat_socket(chat_owner)
    buyer = await chat_socket(chat_buyer)
    release = asyncio.Event()
    real_presence = presence.apresence_for

    async def stuck(pairs):
        await release.wait()
        return await real_presence(pairs)

    monkeypatch.setattr(presence, "apresence_for", stuck)
    await slow.send({"type": "sync", "conversation": conversation.pk})
    await asyncio.sleep(0.2)
    for n in range(BACKLOG - 2):
        await buyer.send(send_frame(conversation, f"m-{n}"))
        await buyer.receive_type("ack", skip=("message", "heartbeat", "typing", "read"))
    await asyncio.sleep(0.3)
    monkeypatch.setattr(presence, "apresence_for", real_presence)
    release.set()
    await slow.receive_type("messages", skip=("heartbeat", "typing", "read", "message"))
    ids = []
    while len(ids) < BACKLOG - 2:
        frame = await slow.receive_type("message", skip=("heartbeat", "typing", "read"))
        ids.append(frame["message"]["client_id"])
    assert ids == [f"m-{n}" for n in range(BACKLOG - 2)]


async def test_a_client_that_does_not_read_what_was_written_to_it_is_closed_with_1013(
    chat_socket, chat_layer, conversation, chat_buyer, chat_owner, settings
):
    """Under daphne the server takes every frame at once and buffers what the client does not read
    (fair/chat/sendbuffer.py): past FERIA_CHAT_SOCKET_BACKLOG KiB the socket is closed like one whose
    events pile up."""
    from channels.db import database_sync_to_async
    from channels.testing import WebsocketCommunicator

    from cms.asgi import application
    from fair.chat.sendbuffer import SCOPE_KEY
    from tests.fair.chat.conftest import SOCKET_PATH, session_cookie, socket_headers

    settings.FERIA_CHAT_SOCKET_BACKLOG = BACKLOG
    buffered = {"bytes": 0}

    async def server(scope, receive, send):
        return await application({**scope, SCOPE_KEY: lambda: buffered["bytes"]}, receive, send)

    cookie = await database_sync_to_async(session_cookie)(chat_owner)
    slow = WebsocketCommunicator(server, SOCKET_PATH, headers=socket_headers(cookie=cookie))
    connected, _code = await slow.connect(timeout=5)
    assert connected
    assert (await slow.receive_json_from(timeout=3))["type"] == "ready"
    buyer = await chat_socket(chat_buyer)

    buffered["bytes"] = BACKLOG * 1024  # at the limit: still forwarded
    await buyer.send(send_frame(conversation, "m-1"))
    frame = await slow.receive_json_from(timeout=3)
    assert frame["type"] == "message" and frame["message"]["client_id"] == "m-1"

    buffered["bytes"] = BACKLOG * 1024 + 1
    await buyer.send(send_frame(conversation, "m-2"))
    output = await slow.receive_output(timeout=3)
    assert output["type"] == "websocket.close" and output["code"] == 1013
    await slow.wait(timeout=3)


def test_the_send_buffer_probe_reads_daphnes_transport_and_nothing_else():
    import functools
    from types import SimpleNamespace

    from fair.chat.sendbuffer import probe_for

    transport = SimpleNamespace(dataBuffer=b"x" * 100, offset=40, _tempDataLen=25)
    protocol = SimpleNamespace(transport=transport)

    async def handle_reply(protocol, message):
        pass

    probe = probe_for(functools.partial(handle_reply, protocol))
    assert probe() == 85
    transport.offset = 100
    assert probe() == 25
    assert probe_for(handle_reply) is None  # another server's send
    assert probe_for(functools.partial(handle_reply, SimpleNamespace())) is None
