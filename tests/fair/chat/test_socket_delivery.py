"""Delivery guarantees on the chat socket: resync after a gap, heartbeats that reveal a missed broadcast, a
channel layer failing after commit, the per-person rate limit, and moderators' blocks."""

import contextlib

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from fair.chat.broadcast import broadcast
from fair.chat.enums import SanctionKind
from fair.chat.groups import user_group
from fair.chat.models import ChatSanction, Message
from fair.chat.services.conversations import message_send

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def send_frame(conversation, client_id, body="Hello"):
    return {"type": "send", "conversation": conversation.pk, "client_id": client_id, "body": body}


@database_sync_to_async
def send_as(user, conversation, client_id, body="From the service"):
    return message_send(conversation=conversation, sender=user, client_id=client_id, body=body)[0]


@database_sync_to_async
def moderator_blocks(user, moderator):
    """What services.user_sanction does for a block (without its audit log entry, whose action the
    moderation admin registers): the sanction row, then the event to the person's sockets."""
    ChatSanction.objects.create(user=user, kind=SanctionKind.BLOCK, reason="Spam", created_by=moderator)
    broadcast([user_group(user.pk)], {"type": "chat.blocked", "user": user.pk})


@pytest.fixture
def layer_down(chat_layer):
    """`with layer_down() as calls:` makes the channel layer's group_send raise ConnectionError, as
    RedisPubSubChannelLayer does while Redis is down (a fault at the boundary; everything else is real).
    `calls` lists the groups it was asked to reach."""

    @contextlib.contextmanager
    def down():
        layer = get_channel_layer()
        calls = []

        async def broken(group, message):
            calls.append(group)
            raise ConnectionError("Redis is restarting")

        async def broken_many(sends):  # the Redis layer's batched group_send (fair/chat/layers.py)
            calls.extend(group for group, _message in sends)
            raise ConnectionError("Redis is restarting")

        layer.group_send = broken
        batched = hasattr(layer, "group_send_many")
        if batched:
            layer.group_send_many = broken_many
        try:
            yield calls
        finally:
            del layer.group_send  # the class's own method again
            if batched:
                del layer.group_send_many

    return down


async def test_messages_sent_while_a_socket_was_away_arrive_through_sync(
    chat_socket, conversation, chat_buyer, chat_staff
):
    buyer = await chat_socket(chat_buyer)
    staff = await chat_socket(chat_staff)
    await buyer.send(send_frame(conversation, "b-1", "Before"))
    seen = (await staff.receive_type("message"))["message"]["id"]
    await staff.close()  # the phone loses its connection

    await buyer.send(send_frame(conversation, "b-2", "While you were away"))
    await buyer.send(send_frame(conversation, "b-3", "And this"))
    await buyer.receive_type("ack", skip=("message",))
    await buyer.receive_type("ack", skip=("message",))

    staff = await chat_socket(chat_staff)
    await staff.send({"type": "sync", "conversation": conversation.pk, "after": seen})
    # (On Redis a broadcast published just before the reconnect may still reach the new socket live;
    # clients drop a message id they already have.)
    frame = await staff.receive_type("messages", skip=("message",))
    assert [m["body"] for m in frame["messages"]] == ["While you were away", "And this"]
    assert frame["latest"] == frame["messages"][-1]["id"]


async def test_heartbeat_reports_latest_ids_presence_and_unread_and_a_client_fills_the_gap(
    chat_socket, conversation, chat_buyer, chat_owner, settings, layer_down
):
    settings.FERIA_CHAT_HEARTBEAT_SECONDS = 0.3
    buyer = await chat_socket(chat_buyer)
    owner = await chat_socket(chat_owner)
    assert buyer.ready["heartbeat_seconds"] == 0.3
    await buyer.send({"type": "sync", "conversation": conversation.pk, "after": 0})
    last_id = 0
    assert (await buyer.receive_type("messages"))["latest"] == last_id

    heartbeat = await buyer.receive_type("heartbeat")
    assert heartbeat["latest"] == {str(conversation.pk): 0}
    assert heartbeat["presence"] == {
        str(conversation.pk): {"staff_online": 1, "buyer_online": True, "text": "1 staff member online"}
    }
    assert heartbeat["unread_total"] == 0

    # The owner answers while the channel layer is failing: the buyer's socket never hears of it...
    with layer_down():
        missed = await send_as(chat_owner, conversation, "o-1", "Did you get this?")

    # ...until a heartbeat shows a newer id; the client asks for what it missed, as chat.js does.
    while True:
        heartbeat = await buyer.receive_type("heartbeat")
        if heartbeat["latest"][str(conversation.pk)] > last_id:
            break
    assert heartbeat["latest"] == {str(conversation.pk): missed.pk}
    assert heartbeat["unread_total"] == 1
    await buyer.send({"type": "sync", "conversation": conversation.pk, "after": last_id})
    frame = await buyer.receive_type("messages")
    assert [m["id"] for m in frame["messages"]] == [missed.pk]
    await owner.close()


async def test_a_failing_broadcast_after_commit_keeps_the_ack_and_the_socket_and_loses_nothing(
    chat_socket, conversation, chat_buyer, chat_staff, layer_down
):
    buyer = await chat_socket(chat_buyer)
    staff = await chat_socket(chat_staff)

    with layer_down() as calls:
        await buyer.send(send_frame(conversation, "b-1", "Saved anyway"))
        ack = await buyer.receive_type("ack")
        await buyer.send({"type": "typing", "conversation": conversation.pk})
        await buyer.send({"type": "ping"})
        assert await buyer.receive() == {"type": "pong"}
    assert calls, "the broadcast was attempted"
    assert ack["message"]["body"] == "Saved anyway"
    assert await database_sync_to_async(Message.objects.filter(pk=ack["message"]["id"]).exists)()
    assert await staff.nothing()  # the broadcast was lost...

    await staff.send({"type": "sync", "conversation": conversation.pk, "after": 0})
    frame = await staff.receive_type("messages")  # ...and sync brings it, once
    assert [m["id"] for m in frame["messages"]] == [ack["message"]["id"]]

    # The layer is back: everything flows again on the same sockets.
    await buyer.send(send_frame(conversation, "b-2", "Back"))
    assert (await staff.receive_type("message"))["message"]["body"] == "Back"


async def test_sends_over_the_rate_limit_get_retry_after_and_are_not_saved(
    chat_socket, conversation, chat_buyer
):
    first_tab = await chat_socket(chat_buyer)
    second_tab = await chat_socket(chat_buyer)
    for n in range(20):
        tab = first_tab if n % 2 else second_tab  # the limit is per person, across their sockets
        await tab.send(send_frame(conversation, f"r-{n}", f"Message {n}"))
        await tab.receive_type("ack", skip=("message",))
    await first_tab.send(send_frame(conversation, "r-20", "One too many"))
    error = await first_tab.receive_type("error", skip=("message",))
    assert error["code"] == "rate_limited"
    assert error["client_id"] == "r-20"
    assert 1 <= error["retry_after"] <= 10
    assert f"{error['retry_after']} seconds" in error["message"]
    assert not await database_sync_to_async(Message.objects.filter(client_id="r-20").exists)()
    assert await database_sync_to_async(Message.objects.count)() == 20


async def test_a_moderators_block_closes_the_persons_sockets_with_4003(
    chat_socket, conversation, chat_buyer, chat_owner
):
    buyer = await chat_socket(chat_buyer)
    owner = await chat_socket(chat_owner)
    await moderator_blocks(chat_buyer, chat_owner)
    error = await buyer.receive()
    assert error["type"] == "error"
    assert error["code"] == "blocked"
    closed = await buyer.output()
    assert closed == {"type": "websocket.close", "code": 4003}
    # Others stay.
    await owner.send({"type": "ping"})
    assert await owner.receive() == {"type": "pong"}


async def test_a_block_whose_event_was_lost_closes_the_socket_on_the_next_send(
    chat_socket, conversation, chat_buyer, chat_owner, layer_down
):
    buyer = await chat_socket(chat_buyer)
    with layer_down():
        await moderator_blocks(chat_buyer, chat_owner)
    await buyer.send(send_frame(conversation, "b-1", "Still here?"))
    error = await buyer.receive()
    assert (error["code"], error["client_id"]) == ("blocked", "b-1")
    assert await buyer.output() == {"type": "websocket.close", "code": 4003}
    assert await database_sync_to_async(Message.objects.count)() == 0


async def test_a_block_whose_event_was_lost_closes_the_socket_at_the_next_heartbeat(
    chat_socket, conversation, chat_buyer, chat_owner, settings, layer_down
):
    settings.FERIA_CHAT_HEARTBEAT_SECONDS = 0.2
    buyer = await chat_socket(chat_buyer)
    with layer_down():
        await moderator_blocks(chat_buyer, chat_owner)
    error = await buyer.receive_type("error")
    assert error["code"] == "blocked"
    assert await buyer.output() == {"type": "websocket.close", "code": 4003}


async def test_refused_sends_do_not_use_up_the_rate_limit(chat_socket, conversation, chat_buyer):
    buyer = await chat_socket(chat_buyer)
    # Empty, blank, too long, and a kind the socket may not send: each refused, none counted.
    refused = [
        send_frame(conversation, "bad-1", ""),
        send_frame(conversation, "bad-2", "   "),
        send_frame(conversation, "bad-3", "x" * 4001),
        {**send_frame(conversation, "bad-4"), "kind": "payment_request"},
    ]
    for _round in range(3):
        for frame in refused:
            await buyer.send(frame)
            assert (await buyer.receive_type("error", skip=("message",)))["code"] in {
                "empty",
                "too_long",
                "kind",
            }
    for n in range(20):
        await buyer.send(send_frame(conversation, f"ok-{n}", f"Message {n}"))
        assert (await buyer.receive_type("ack", skip=("message",)))["client_id"] == f"ok-{n}"
    # A resend of a stored message is answered from storage and not counted either.
    await buyer.send(send_frame(conversation, "ok-3", "Message 3"))
    assert (await buyer.receive_type("ack", skip=("message",)))["client_id"] == "ok-3"
    await buyer.send(send_frame(conversation, "over", "One too many"))
    assert (await buyer.receive_type("error", skip=("message",)))["code"] == "rate_limited"
    assert await database_sync_to_async(Message.objects.count)() == 20


async def test_the_socket_and_the_form_post_share_one_limit(chat_socket, conversation, chat_buyer):
    from django.test import Client

    def post_ten():
        client = Client()
        client.force_login(chat_buyer)
        url = f"/en/chat/conversations/{conversation.pk}/send/"
        return [client.post(url, {"body": f"p{n}", "client_id": f"p{n}"}).status_code for n in range(10)]

    assert await database_sync_to_async(post_ten)() == [302] * 10
    buyer = await chat_socket(chat_buyer)
    for n in range(10):
        await buyer.send(send_frame(conversation, f"s-{n}", f"Socket {n}"))
        await buyer.receive_type("ack", skip=("message",))
    await buyer.send(send_frame(conversation, "s-over", "One too many"))
    error = await buyer.receive_type("error", skip=("message",))
    assert (error["code"], error["client_id"]) == ("rate_limited", "s-over")
    assert error["retry_after"] >= 1


async def test_a_sender_without_a_name_is_a_member_in_each_readers_language(
    chat_socket, conversation, chat_buyer, chat_company
):
    from exhibitors.enums import MembershipRole
    from tests.factories.exhibitors import MembershipFactory, UserFactory

    @database_sync_to_async
    def people():
        unnamed = UserFactory(first_name="", last_name="", preferred_language="en")
        MembershipFactory(user=unnamed, company=chat_company, role=MembershipRole.STAFF)
        chat_buyer.preferred_language = "es"
        chat_buyer.save(update_fields=["preferred_language"])
        return unnamed

    unnamed = await people()
    buyer = await chat_socket(chat_buyer)
    staff = await chat_socket(unnamed)
    assert staff.ready["user"]["name"] == f"Member {unnamed.pk}"
    await buyer.send({"type": "sync", "conversation": conversation.pk, "after": 0})
    await buyer.receive_type("messages")
    await staff.send(send_frame(conversation, "u-1", "Hola"))
    assert (await staff.receive_type("ack", skip=("message",)))["message"]["sender"]["name"] == (
        f"Member {unnamed.pk}"
    )
    live = await buyer.receive_type("message")
    assert live["message"]["sender"]["name"] == f"Miembro {unnamed.pk}"
    await staff.send({"type": "typing", "conversation": conversation.pk})
    typing = await buyer.receive_type("typing", skip=("heartbeat", "read", "message"))
    assert typing["user"]["name"] == f"Miembro {unnamed.pk}"
    await buyer.send({"type": "sync", "conversation": conversation.pk, "after": 0})
    synced = await buyer.receive_type("messages", skip=("heartbeat", "read", "typing", "message"))
    assert [m["sender"]["name"] for m in synced["messages"]] == [f"Miembro {unnamed.pk}"]
