"""The chat socket, frame by frame, through the real ASGI application (origin check and session auth), on the
in-memory channel layer and on Redis pub/sub (tests/fair/chat/conftest.py)."""

from collections import OrderedDict

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from fair.chat.consumers import OPEN_CONVERSATIONS_MAX, ChatConsumer
from fair.chat.enums import SanctionKind
from fair.chat.groups import user_group
from fair.chat.models import ChatSanction, ConversationBlock, Message, ReadState
from fair.chat.services.conversations import conversation_start, message_send
from tests.factories.exhibitors import CompanyFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def send_frame(conversation, client_id, body="Hello", **extra):
    return {"type": "send", "conversation": conversation.pk, "client_id": client_id, "body": body, **extra}


@database_sync_to_async
def message_count(**filters) -> int:
    return Message.objects.filter(**filters).count()


@database_sync_to_async
def send_as(user, conversation, client_id, body="From the service"):
    return message_send(conversation=conversation, sender=user, client_id=client_id, body=body)[0]


async def test_ready_frame_names_the_person_and_their_unread_total(
    chat_socket, conversation, chat_owner, chat_buyer
):
    await send_as(chat_owner, conversation, "o-1")
    await send_as(chat_owner, conversation, "o-2")
    client = await chat_socket(chat_buyer)
    assert client.ready == {
        "type": "ready",
        "user": {"id": chat_buyer.pk, "name": "Bea Buyer"},
        "heartbeat_seconds": 25,
        "unread_total": 2,
        "texts": {
            "sending": "Sending…",
            "not_sent": "Not sent yet: it goes out when the connection is back.",
            "reconnecting": "Connection lost. Reconnecting…",
            "typing": "%(name)s is typing…",
        },
    }


async def test_ping_answers_pong(chat_socket, conversation, chat_buyer):
    client = await chat_socket(chat_buyer)
    await client.send({"type": "ping"})
    assert await client.receive() == {"type": "pong"}


async def test_send_is_acknowledged_with_the_stored_message_and_reaches_every_socket_of_both_sides(
    chat_socket, conversation, chat_buyer, chat_owner, chat_staff
):
    buyer = await chat_socket(chat_buyer)
    buyer_other_tab = await chat_socket(chat_buyer)
    owner = await chat_socket(chat_owner)
    staff = await chat_socket(chat_staff)

    await buyer.send(send_frame(conversation, "c-1", "  Do you ship to Hamburg?  "))
    ack = await buyer.receive_type("ack")
    stored = await database_sync_to_async(Message.objects.get)(client_id="c-1")
    assert ack["client_id"] == "c-1"
    assert ack["message"]["id"] == stored.pk
    assert ack["message"]["body"] == "Do you ship to Hamburg?"
    assert ack["message"]["sender"] == {"id": chat_buyer.pk, "name": "Bea Buyer", "side": "buyer"}
    for client in (buyer, buyer_other_tab, owner, staff):
        frame = await client.receive_type("message")
        assert frame["message"] == ack["message"]
    # Each socket got the message once.
    for client in (buyer, buyer_other_tab, owner, staff):
        assert await client.nothing()


async def test_sync_returns_what_came_after_the_given_id_with_latest_and_presence(
    chat_socket, conversation, chat_buyer, chat_owner
):
    first = await send_as(chat_owner, conversation, "o-1", "One")
    second = await send_as(chat_owner, conversation, "o-2", "Two")
    third = await send_as(chat_buyer, conversation, "b-1", "Three")
    await chat_socket(chat_owner)
    buyer = await chat_socket(chat_buyer)

    await buyer.send({"type": "sync", "conversation": conversation.pk, "after": first.pk})
    frame = await buyer.receive_type("messages")
    assert frame["conversation"] == conversation.pk
    assert [m["id"] for m in frame["messages"]] == [second.pk, third.pk]
    assert [m["body"] for m in frame["messages"]] == ["Two", "Three"]
    assert frame["more"] is False
    assert frame["latest"] == third.pk
    assert frame["presence"] == {"staff_online": 1, "buyer_online": True, "text": "1 staff member online"}

    # "open" is the same frame under another name; "after" defaults to 0 (everything).
    await buyer.send({"type": "open", "conversation": conversation.pk})
    frame = await buyer.receive_type("messages")
    assert [m["id"] for m in frame["messages"]] == [first.pk, second.pk, third.pk]


async def test_sync_pages_by_one_hundred(chat_socket, conversation, chat_buyer, chat_owner, settings):
    settings.FERIA_CHAT_SEND_LIMIT = 200

    @database_sync_to_async
    def many():
        for n in range(101):
            message_send(conversation=conversation, sender=chat_owner, client_id=f"o-{n}", body=f"n{n}")

    await many()
    buyer = await chat_socket(chat_buyer)
    await buyer.send({"type": "sync", "conversation": conversation.pk, "after": 0})
    page = await buyer.receive_type("messages")
    assert len(page["messages"]) == 100
    assert page["more"] is True
    await buyer.send({"type": "sync", "conversation": conversation.pk, "after": page["messages"][-1]["id"]})
    rest = await buyer.receive_type("messages")
    assert [m["body"] for m in rest["messages"]] == ["n100"]
    assert rest["more"] is False


async def test_typing_reaches_the_other_sockets_once_per_three_seconds_and_never_the_typing_socket(
    chat_socket, conversation, chat_buyer, chat_owner, chat_staff
):
    buyer = await chat_socket(chat_buyer)
    buyer_other_tab = await chat_socket(chat_buyer)
    owner = await chat_socket(chat_owner)
    staff = await chat_socket(chat_staff)

    await staff.send({"type": "typing", "conversation": conversation.pk})
    expected = {
        "type": "typing",
        "conversation": conversation.pk,
        "user": {"id": chat_staff.pk, "name": "Sam Staff", "side": "company"},
    }
    assert await buyer.receive() == expected
    assert await buyer_other_tab.receive() == expected
    assert await owner.receive() == expected
    assert await staff.nothing()

    await staff.send({"type": "typing", "conversation": conversation.pk})  # within 3 s: throttled
    for client in (buyer, owner, staff):
        assert await client.nothing()


async def test_read_moves_the_mark_and_everyone_gets_the_receipt(
    chat_socket, conversation, chat_buyer, chat_owner, chat_staff
):
    message = await send_as(chat_buyer, conversation, "b-1")
    buyer = await chat_socket(chat_buyer)
    staff = await chat_socket(chat_staff)

    await staff.send({"type": "read", "conversation": conversation.pk, "up_to": message.pk})
    receipt = {
        "type": "read",
        "conversation": conversation.pk,
        "user": chat_staff.pk,
        "side": "company",
        "up_to": message.pk,
    }
    assert await buyer.receive() == receipt
    assert await staff.receive() == receipt
    mark = await database_sync_to_async(ReadState.objects.get)(conversation=conversation, user=chat_staff)
    assert mark.last_read_message_id == message.pk

    # Reading the same again moves nothing and tells nobody.
    await staff.send({"type": "read", "conversation": conversation.pk, "up_to": message.pk})
    assert await buyer.nothing()


# --- refusals -------------------------------------------------------------------------------------------


async def test_anonymous_socket_is_refused_before_accept(chat_socket, conversation):
    code = await chat_socket(None, expect_refusal=True)
    assert code == 1000


async def test_foreign_or_missing_origin_is_refused(chat_socket, conversation, chat_buyer):
    await chat_socket(chat_buyer, origin="https://evil.example", expect_refusal=True)
    await chat_socket(chat_buyer, origin=None, expect_refusal=True)


async def test_person_blocked_from_chat_is_refused(chat_socket, conversation, chat_buyer, chat_owner):
    await database_sync_to_async(ChatSanction.objects.create)(
        user=chat_buyer, kind=SanctionKind.BLOCK, reason="Spam", created_by=chat_owner
    )
    await chat_socket(chat_buyer, expect_refusal=True)


async def test_conversations_the_person_is_not_in_are_unknown(chat_socket, conversation, outsider):
    client = await chat_socket(outsider)
    for frame in (
        {"type": "sync", "conversation": conversation.pk, "after": 0},
        send_frame(conversation, "x-1", "Let me in"),
        {"type": "typing", "conversation": conversation.pk},
        {"type": "read", "conversation": conversation.pk, "up_to": 1},
        {"type": "sync", "conversation": 999999, "after": 0},
    ):
        await client.send(frame)
        error = await client.receive()
        assert error["type"] == "error"
        assert error["code"] == "unknown_conversation"
        assert error["message"] == "There is no such conversation, or you are not in it."
    assert await message_count() == 0


async def test_events_of_other_conversations_are_not_forwarded(
    chat_socket, conversation, chat_buyer, outsider
):
    """A company the staff member does not belong to never reaches them, even if an event lands in their
    user group by mistake."""
    other_company = await database_sync_to_async(CompanyFactory)()
    other = await database_sync_to_async(conversation_start)(buyer=outsider, company=other_company)
    buyer = await chat_socket(chat_buyer)
    await get_channel_layer().group_send(
        user_group(chat_buyer.pk),
        {"type": "chat.message", "message": {"id": 1, "conversation": other.pk}, "buyer": outsider.pk},
    )
    # Without buyer/company in the event, the socket asks the database.
    await get_channel_layer().group_send(
        user_group(chat_buyer.pk), {"type": "chat.message", "message": {"id": 2, "conversation": other.pk}}
    )
    await get_channel_layer().group_send(user_group(chat_buyer.pk), {"type": "chat.unknown_event"})
    assert await buyer.nothing()
    await buyer.send({"type": "ping"})
    assert await buyer.receive() == {"type": "pong"}


# --- bad frames: an error frame, nothing changed, the socket stays open -----------------------------------


BAD_FRAMES = [
    ("{not json", "invalid_json"),
    ("[1, 2]", "invalid_json"),
    ('{"type": "dance"}', "unknown_type"),
    ('{"no_type": 1}', "unknown_type"),
    ('{"type": "sync"}', "invalid"),
    ('{"type": "sync", "conversation": "12"}', "invalid"),
    ('{"type": "sync", "conversation": CONV, "after": -1}', "invalid"),
    ('{"type": "send", "client_id": "c-1", "body": "hi"}', "invalid"),
    ('{"type": "send", "conversation": CONV, "body": "hi"}', "client_id"),
    ('{"type": "send", "conversation": CONV, "client_id": "", "body": "hi"}', "client_id"),
    ('{"type": "send", "conversation": CONV, "client_id": "LONG", "body": "hi"}', "client_id"),
    ('{"type": "send", "conversation": CONV, "client_id": "c-1", "body": 5}', "invalid"),
    ('{"type": "send", "conversation": CONV, "client_id": "c-1", "body": "   "}', "empty"),
    (
        '{"type": "send", "conversation": CONV, "client_id": "c-1", "body": "hi", "kind": "payment_request"}',
        "kind",
    ),
    (
        '{"type": "send", "conversation": CONV, "client_id": "c-1", "body": "hi", "payload": [1]}',
        "invalid",
    ),
    ('{"type": "read", "conversation": CONV}', "invalid"),
    ('{"type": "typing", "conversation": true}', "invalid"),
]


async def test_bad_frames_get_an_error_and_change_nothing(chat_socket, conversation, chat_buyer):
    client = await chat_socket(chat_buyer)
    for raw, code in BAD_FRAMES:
        await client.send_text(raw.replace("CONV", str(conversation.pk)).replace("LONG", "x" * 65))
        error = await client.receive()
        assert (error["type"], error["code"]) == ("error", code), raw
        assert error["message"]
        await client.send({"type": "ping"})  # still open
        assert await client.receive() == {"type": "pong"}
    assert await message_count() == 0


async def test_binary_frame_is_an_error(chat_socket, conversation, chat_buyer):
    client = await chat_socket(chat_buyer)
    await client.communicator.send_to(bytes_data=b"\x00\x01")
    assert (await client.receive())["code"] == "invalid_json"


async def test_over_long_message_is_refused_and_nothing_is_saved(chat_socket, conversation, chat_buyer):
    client = await chat_socket(chat_buyer)
    await client.send(send_frame(conversation, "long-1", "x" * 4001))
    error = await client.receive()
    assert error == {
        "type": "error",
        "code": "too_long",
        "message": "A message can be at most 4000 characters.",
        "client_id": "long-1",
    }
    await client.send(send_frame(conversation, "long-2", "x" * 4000))
    assert (await client.receive_type("ack"))["message"]["body"] == "x" * 4000
    assert await message_count() == 1


async def test_a_resent_client_id_is_acknowledged_with_the_same_message_and_saved_once(
    chat_socket, conversation, chat_buyer, chat_owner
):
    client = await chat_socket(chat_buyer)
    owner = await chat_socket(chat_owner)
    await client.send(send_frame(conversation, "same-1", "Only once"))
    first = await client.receive_type("ack")
    await client.receive_type("message")
    await client.send(send_frame(conversation, "same-1", "Only once"))
    second = await client.receive_type("ack")
    assert second["message"] == first["message"]
    # After a reconnect, from another socket of the same person.
    await client.close()
    again = await chat_socket(chat_buyer)
    await again.send(send_frame(conversation, "same-1", "Only once"))
    assert (await again.receive_type("ack"))["message"]["id"] == first["message"]["id"]
    assert await message_count(client_id="same-1") == 1
    # The other side heard about it once.
    assert (await owner.receive_type("message"))["message"]["id"] == first["message"]["id"]
    assert await owner.nothing()


async def test_a_client_id_used_in_another_conversation_is_refused(chat_socket, conversation, chat_buyer):
    other_company = await database_sync_to_async(CompanyFactory)()
    other = await database_sync_to_async(conversation_start)(buyer=chat_buyer, company=other_company)
    client = await chat_socket(chat_buyer)
    await client.send(send_frame(conversation, "twice", "First"))
    await client.receive_type("ack")
    await client.send(send_frame(other, "twice", "Second"))
    error = await client.receive_type("error", skip=("message",))
    assert error["code"] == "client_id"
    assert error["client_id"] == "twice"
    assert await message_count(conversation=other) == 0


async def test_a_blocked_conversation_refuses_sends_but_keeps_the_socket(
    chat_socket, conversation, chat_buyer, chat_owner
):
    await database_sync_to_async(ConversationBlock.objects.create)(
        conversation=conversation, side="company", created_by=chat_owner
    )
    client = await chat_socket(chat_buyer)
    await client.send(send_frame(conversation, "c-1"))
    error = await client.receive()
    assert error["code"] == "conversation_blocked"  # not a moderator's block: the socket stays open
    assert error["message"] == "This conversation is blocked. No more messages can be sent in it."
    await client.send({"type": "ping"})
    assert await client.receive() == {"type": "pong"}
    assert await message_count() == 0


async def test_errors_are_in_the_persons_language(chat_socket, conversation, chat_buyer, settings):
    """The error text goes through the person's preferred language (English catalogue here: the Spanish
    one is filled at translation time, so only the activation is checked)."""
    from django.utils import translation

    seen = []
    original = translation.override.__enter__

    def spy(self):
        seen.append(self.language)
        return original(self)

    chat_buyer.preferred_language = "es"
    await database_sync_to_async(chat_buyer.save)()
    client = await chat_socket(chat_buyer)
    translation.override.__enter__ = spy
    try:
        await client.send_text("{oops")
        assert (await client.receive())["code"] == "invalid_json"
    finally:
        translation.override.__enter__ = original
    assert "es" in seen


def test_open_conversations_per_socket_are_capped():
    consumer = ChatConsumer()
    consumer.open_conversations = OrderedDict()
    for conversation_id in range(1, OPEN_CONVERSATIONS_MAX + 11):
        consumer._mark_open(conversation_id)
    consumer._mark_open(5)  # opened again after it was dropped: back, as the newest
    assert len(consumer.open_conversations) == OPEN_CONVERSATIONS_MAX
    assert list(consumer.open_conversations)[-1] == 5
    assert 11 not in consumer.open_conversations
    assert 12 in consumer.open_conversations


async def test_the_status_line_says_who_of_the_other_side_is_online(
    chat_socket, conversation, chat_buyer, chat_owner, chat_staff
):
    owner = await chat_socket(chat_owner)
    await owner.send({"type": "sync", "conversation": conversation.pk})
    assert (await owner.receive_type("messages"))["presence"] == {
        "staff_online": 1,
        "buyer_online": False,
        "text": "Bea Buyer is not online right now.",
    }
    buyer = await chat_socket(chat_buyer)
    await owner.send({"type": "sync", "conversation": conversation.pk})
    assert (await owner.receive_type("messages"))["presence"]["text"] == "Bea Buyer is online"
    await chat_socket(chat_staff)
    await buyer.send({"type": "sync", "conversation": conversation.pk})
    assert (await buyer.receive_type("messages"))["presence"]["text"] == "2 staff members online"
    await owner.close()
    await buyer.send({"type": "sync", "conversation": conversation.pk})
    assert (await buyer.receive_type("messages"))["presence"]["staff_online"] == 1
