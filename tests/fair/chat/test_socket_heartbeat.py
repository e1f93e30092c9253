"""Cheap heartbeats that still check everything: one query per heartbeat (block, companies, open
conversations' latest ids), the unread total kept from events and counted again only when it may have moved
in a way the events do not tell, or every UNREAD_RECOUNT_EVERY-th heartbeat."""

import contextlib

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from fair.chat import consumers
from fair.chat.broadcast import broadcast
from fair.chat.consumers import ChatConsumer
from fair.chat.enums import SanctionKind
from fair.chat.groups import user_group
from fair.chat.models import ChatSanction
from fair.chat.selectors.conversations import socket_heartbeat, unread_total
from fair.chat.services.conversations import conversation_start, message_send
from tests.factories.exhibitors import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@database_sync_to_async
def send_as(user, conversation, client_id, body="From the service"):
    return message_send(conversation=conversation, sender=user, client_id=client_id, body=body)[0]


@pytest.fixture
def layer_down(chat_layer):
    """`with layer_down():` every group_send raises ConnectionError (Redis restarting): events are lost."""

    @contextlib.contextmanager
    def down():
        layer = get_channel_layer()

        async def broken(group, message):
            raise ConnectionError("Redis is restarting")

        layer.group_send = broken
        try:
            yield
        finally:
            del layer.group_send

    return down


@pytest.fixture
def recounts(monkeypatch):
    """Counts the heartbeats' unread counts from the database (the costly query)."""
    calls = []

    def counting(user):
        calls.append(user.pk)
        return unread_total(user)

    monkeypatch.setattr(consumers, "unread_total", counting)
    return calls


def test_the_heartbeat_query_reports_latest_ids_companies_and_a_block_in_one_query(
    conversation, chat_buyer, chat_owner, chat_company, outsider, django_assert_num_queries
):
    message_send(conversation=conversation, sender=chat_owner, client_id="o-1", body="Hi", broadcast=False)
    conversation.refresh_from_db()
    with django_assert_num_queries(1):
        state = socket_heartbeat(user_id=chat_owner.pk, open_ids=[conversation.pk])
    assert state == {
        "blocked": False,
        "company_ids": {chat_company.pk},
        "conversations": {
            conversation.pk: (
                conversation.last_message_id,
                chat_company.pk,
                chat_buyer.pk,
                "Cafe Inca S.A.C.",
                "Bea Buyer",
            )
        },
    }
    # Someone not in the conversation gets nothing for it; no open conversations is still one query.
    assert socket_heartbeat(user_id=outsider.pk, open_ids=[conversation.pk])["conversations"] == {}
    ChatSanction.objects.create(
        user=chat_buyer, kind=SanctionKind.BLOCK, reason="Spam", created_by=chat_owner
    )
    with django_assert_num_queries(1):
        state = socket_heartbeat(user_id=chat_buyer.pk, open_ids=[])
    assert state == {"blocked": True, "company_ids": set(), "conversations": {}}


def test_the_heartbeat_names_a_buyer_without_a_name_as_a_member_never_by_e_mail(chat_company, chat_owner):
    nameless = UserFactory(email="nameless@example.com", first_name="", last_name="")
    conversation = conversation_start(buyer=nameless, company=chat_company)
    state = socket_heartbeat(user_id=chat_owner.pk, open_ids=[conversation.pk])
    assert state["conversations"][conversation.pk][4] == str(nameless) == f"Member {nameless.pk}"


def test_a_heartbeat_after_nothing_changed_makes_one_query(
    conversation, chat_buyer, chat_owner, chat_company, django_assert_num_queries
):
    message_send(conversation=conversation, sender=chat_owner, client_id="o-1", body="Hi", broadcast=False)
    conversation.refresh_from_db()
    consumer = ChatConsumer()
    consumer.user, consumer.user_id = chat_owner, chat_owner.pk
    consumer.company_ids = frozenset({chat_company.pk})
    seen = {conversation.pk: conversation.last_message_id}
    with django_assert_num_queries(1):
        state = consumer._heartbeat_state(seen, False)
    assert state["unread_total"] is None
    # The latest id is above what the socket saw (an event was lost): the unread total is counted too.
    with django_assert_num_queries(2):
        state = consumer._heartbeat_state({conversation.pk: 0}, False)
    assert state["unread_total"] == 0
    consumer.user, consumer.user_id, consumer.company_ids = chat_buyer, chat_buyer.pk, frozenset()
    with django_assert_num_queries(2):
        assert consumer._heartbeat_state(seen, True)["unread_total"] == 1


async def test_unread_total_follows_the_events_without_counting_again(
    chat_socket, conversation, chat_buyer, chat_owner, settings, recounts, monkeypatch
):
    settings.FERIA_CHAT_HEARTBEAT_SECONDS = 0.2
    monkeypatch.setattr(consumers, "UNREAD_RECOUNT_EVERY", 10_000)
    buyer = await chat_socket(chat_buyer)
    owner = await chat_socket(chat_owner)
    recounts.clear()  # the counts on connecting ("ready")
    first = await send_as(chat_owner, conversation, "o-1", "One")
    await send_as(chat_owner, conversation, "o-2", "Two")
    await buyer.receive_type("message")
    await buyer.receive_type("message")
    heartbeat = await buyer.receive_type("heartbeat")
    assert heartbeat["unread_total"] == 2
    assert recounts == [], "new messages from the other side are counted from their events"

    # The buyer reads the first one: their read mark moved, so the next heartbeat counts again.
    await buyer.send({"type": "read", "conversation": conversation.pk, "up_to": first.pk})
    await buyer.receive_type("read")
    heartbeat = await buyer.receive_type("heartbeat")
    assert heartbeat["unread_total"] == 1
    assert recounts == [chat_buyer.pk]

    # Their own message moves their read mark past everything: counted again once, then quiet.
    await buyer.send({"type": "send", "conversation": conversation.pk, "client_id": "b-1", "body": "Thanks"})
    await buyer.receive_type("ack", skip=("heartbeat", "message"))
    while (heartbeat := await buyer.receive_type("heartbeat", skip=("message",)))["unread_total"]:
        pass
    count = len(recounts)
    assert count in (2, 3)  # the own message, and once more if its event came while counting
    for _ in range(3):
        assert (await buyer.receive_type("heartbeat"))["unread_total"] == 0
    assert len(recounts) == count
    await owner.close()


async def test_an_unread_message_whose_event_was_lost_is_counted_within_the_recount_bound(
    chat_socket, conversation, chat_buyer, chat_owner, settings, layer_down
):
    settings.FERIA_CHAT_HEARTBEAT_SECONDS = 0.1
    buyer = await chat_socket(chat_buyer)  # the conversation is not open on this socket
    with layer_down():
        await send_as(chat_owner, conversation, "o-1", "Lost on the way")
    beats = 0
    while (await buyer.receive_type("heartbeat"))["unread_total"] != 1:
        beats += 1
        assert beats <= consumers.UNREAD_RECOUNT_EVERY, "never counted"
    # Counted at the latest by the UNREAD_RECOUNT_EVERY-th heartbeat after it (plus one that may already
    # have been on its way when the message was saved).
    assert beats <= consumers.UNREAD_RECOUNT_EVERY


async def test_a_block_whose_event_was_lost_closes_the_socket_at_the_first_heartbeat_after_it(
    chat_socket, conversation, chat_buyer, chat_owner, settings, layer_down
):
    settings.FERIA_CHAT_HEARTBEAT_SECONDS = 0.2
    buyer = await chat_socket(chat_buyer)
    with layer_down():
        await database_sync_to_async(ChatSanction.objects.create)(
            user=chat_buyer, kind=SanctionKind.BLOCK, reason="Spam", created_by=chat_owner
        )
        await database_sync_to_async(broadcast)([user_group(chat_buyer.pk)], {"type": "chat.blocked"})
    frames = []
    while (frame := await buyer.receive())["type"] != "error":
        frames.append(frame["type"])
    assert frame["code"] == "blocked"
    # At most one heartbeat (already under way when the block was saved) comes before the close.
    assert frames in ([], ["heartbeat"])
    assert await buyer.output() == {"type": "websocket.close", "code": 4003}
