"""Group commit of socket sends (fair/chat/writer.py, fair/chat/services/batch.py): many sends stored in one
transaction, each answered as if it had been stored alone."""

import asyncio

import pytest
from channels.db import database_sync_to_async

from fair.chat import writer as writer_module
from fair.chat.enums import SanctionKind
from fair.chat.models import ChatSanction, Conversation, ConversationBlock, Message, ReadState
from fair.chat.services import batch as batch_module
from fair.chat.services.batch import SendRequest, message_send_batch
from fair.chat.services.conversations import SendRateLimited, conversation_start, message_send
from fair.chat.writer import send_writer
from tests.factories.exhibitors import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def second_conversation(chat_company):
    """Another buyer's conversation with the same company."""
    buyer = UserFactory(email="ben@example.com", first_name="Ben", last_name="Buyer")
    return conversation_start(buyer=buyer, company=chat_company)


@pytest.fixture
def batch_sizes(monkeypatch):
    """The size of every batch the writer stores."""
    sizes: list[int] = []
    real = writer_module.message_send_batch

    def recording(requests):
        sizes.append(len(requests))
        return real(requests)

    monkeypatch.setattr(writer_module, "message_send_batch", recording)
    return sizes


def request(user, conversation, client_id, body="Hello", **extra):
    return SendRequest(sender=user, conversation_id=conversation.pk, client_id=client_id, body=body, **extra)


def test_a_batch_stores_each_send_once_in_order_and_moves_latest_ids_and_read_marks(
    conversation, second_conversation, chat_buyer, chat_owner, chat_staff
):
    other_buyer = second_conversation.buyer
    requests = [
        request(chat_buyer, conversation, "b-1", "one"),
        request(chat_owner, conversation, "o-1", "two"),
        request(other_buyer, second_conversation, "x-1", "elsewhere"),
        request(chat_staff, conversation, "s-1", "three"),
        request(chat_buyer, conversation, "b-2", "four"),
        request(chat_staff, second_conversation, "s-2", "answer"),
    ]
    results = message_send_batch(requests)
    assert [r.error for r in results] == [None] * 6
    assert all(r.created for r in results)
    ids = [r.message["id"] for r in results]
    assert Message.objects.count() == 6
    # Within a conversation, ids follow the order of the sends.
    first = [ids[0], ids[1], ids[3], ids[4]]
    assert first == sorted(first)
    assert ids[2] < ids[5]
    assert [r.message["body"] for r in results] == ["one", "two", "elsewhere", "three", "four", "answer"]
    assert results[1].message["sender"] == {"id": chat_owner.pk, "name": "Olga Owner", "side": "company"}
    for result in results:
        stored = Message.objects.get(pk=result.message["id"])
        assert result.message["client_id"] == stored.client_id
        assert result.event["type"] == "chat.message"
        assert result.event["message"] == result.message
        assert len(result.groups) == 2
    conversation.refresh_from_db()
    second_conversation.refresh_from_db()
    assert conversation.last_message_id == ids[4]
    assert second_conversation.last_message_id == ids[5]
    assert conversation.last_message_at == Message.objects.get(pk=ids[4]).created_at
    marks = {(s.conversation_id, s.user_id): s.last_read_message_id for s in ReadState.objects.all()}
    assert marks[(conversation.pk, chat_buyer.pk)] == ids[4]
    assert marks[(conversation.pk, chat_owner.pk)] == ids[1]
    assert marks[(conversation.pk, chat_staff.pk)] == ids[3]
    assert marks[(second_conversation.pk, other_buyer.pk)] == ids[2]
    assert marks[(second_conversation.pk, chat_staff.pk)] == ids[5]


def test_a_failing_send_fails_alone_with_the_same_error_as_message_send(
    conversation, second_conversation, chat_buyer, chat_owner, outsider
):
    other_company = CompanyFactory()
    blocked = conversation_start(buyer=chat_buyer, company=other_company)
    ConversationBlock.objects.create(conversation=blocked, side="buyer", created_by=chat_buyer)
    sanctioned = UserFactory(email="sid@example.com")
    sanctioned_conversation = conversation_start(buyer=sanctioned, company=other_company)
    ChatSanction.objects.create(user=sanctioned, kind=SanctionKind.BLOCK, reason="Spam")
    earlier, _ = message_send(conversation=conversation, sender=chat_buyer, client_id="old", body="Earlier")
    requests = [
        request(chat_buyer, conversation, "ok-1", "fine"),
        request(outsider, conversation, "o-1"),  # not in the conversation
        request(chat_buyer, blocked, "bl-1"),  # conversation blocked
        request(chat_owner, conversation, "k-1", kind="payment_request"),  # not from a socket
        request(chat_owner, conversation, "e-1", "   "),  # empty
        request(sanctioned, sanctioned_conversation, "sa-1"),  # a moderator's block
        request(chat_buyer, second_conversation, "ok-2"),  # not the buyer's conversation
        request(chat_buyer, conversation, "old", "Earlier"),  # a resend: the stored message
        request(chat_buyer, blocked, "ok-1x"),
        request(chat_owner, conversation, "ok-3", "also fine"),
        SendRequest(sender=chat_buyer, conversation_id=999999, client_id="nowhere", body="x"),
    ]
    # The same client id in another conversation.
    requests.append(request(chat_buyer, blocked, "old"))
    results = message_send_batch(requests)
    codes = [getattr(r.error, "code", type(r.error).__name__ if r.error else None) for r in results]
    assert codes == [
        None,
        "PermissionDenied",
        "conversation_blocked",
        "kind",
        "empty",
        "blocked",
        "PermissionDenied",
        None,
        "conversation_blocked",
        None,
        "PermissionDenied",
        "client_id",
    ]
    assert [r.created for r in results] == [True] + [False] * 8 + [True] + [False] * 2
    assert results[7].message["id"] == earlier.pk
    assert results[7].event is None
    assert results[5].error.messages == [
        "A moderator has blocked you from chat. Contact the chamber if you think this is a mistake."
    ]
    assert results[11].error.messages == ["This message id was already used in another conversation."]
    assert set(Message.objects.values_list("client_id", flat=True)) == {"old", "ok-1", "ok-3"}


def test_the_send_limit_counts_only_stored_sends_and_refuses_the_rest(conversation, chat_buyer, settings):
    settings.FERIA_CHAT_SEND_LIMIT = 2
    requests = [
        request(chat_buyer, conversation, "r-1"),
        request(chat_buyer, conversation, "r-2", "   "),  # refused, not counted
        request(chat_buyer, conversation, "r-3"),
        request(chat_buyer, conversation, "r-4"),
    ]
    results = message_send_batch(requests)
    assert [r.created for r in results] == [True, False, True, False]
    assert results[1].error.code == "empty"
    assert isinstance(results[3].error, SendRateLimited)
    assert results[3].error.retry_after == 10
    assert Message.objects.count() == 2


def test_a_client_id_stored_meanwhile_by_another_process_falls_back_to_one_send_at_a_time(
    conversation, chat_buyer, chat_owner, monkeypatch
):
    """The INSERT hits the unique constraint (the gate saw nothing, another process stored it since): the
    batch is rolled back and each send goes alone, which finds the stored message."""
    real_gates = batch_module._gates

    def gates_then_race(requests):
        found = real_gates(requests)
        message_send(conversation=conversation, sender=chat_buyer, client_id="race", body="First")
        return found

    monkeypatch.setattr(batch_module, "_gates", gates_then_race)
    results = message_send_batch(
        [request(chat_owner, conversation, "o-1"), request(chat_buyer, conversation, "race", "First")]
    )
    assert results[0].created and results[0].error is None
    assert not results[1].created and results[1].message["client_id"] == "race"
    assert Message.objects.filter(client_id="race").count() == 1
    assert Message.objects.count() == 2


async def test_concurrent_sends_share_one_batch_and_a_repeated_client_id_waits_for_the_next(
    conversation, second_conversation, chat_buyer, chat_owner, batch_sizes
):
    other_buyer = second_conversation.buyer
    requests = [
        request(chat_buyer, conversation, "a-1"),
        request(chat_owner, conversation, "a-2"),
        request(other_buyer, second_conversation, "a-3"),
        request(chat_buyer, conversation, "a-1"),  # the same send from another tab
        request(chat_owner, conversation, "a-4", " "),
    ]
    writer = send_writer()
    results = await asyncio.gather(*(writer.submit(r) for r in requests))
    assert batch_sizes == [4, 1]
    assert results[0].created and not results[3].created
    assert results[3].message == results[0].message
    assert results[4].error.code == "empty"
    assert await database_sync_to_async(Message.objects.count)() == 3
    assert writer.task.done() and not writer.pending


def send_frame(conversation, client_id, body="Hello"):
    return {"type": "send", "conversation": conversation.pk, "client_id": client_id, "body": body}


async def test_sends_from_many_sockets_at_once_are_each_stored_once_acked_and_broadcast_in_order(
    chat_socket, conversation, second_conversation, chat_buyer, chat_owner, chat_staff, batch_sizes
):
    other_buyer = second_conversation.buyer
    buyer = await chat_socket(chat_buyer)
    buyer_tab = await chat_socket(chat_buyer)
    owner = await chat_socket(chat_owner)
    staff = await chat_socket(chat_staff)
    other = await chat_socket(other_buyer)
    frames = [
        (buyer, send_frame(conversation, "m-1", "one")),
        (owner, send_frame(conversation, "m-2", "two")),
        (other, send_frame(second_conversation, "m-3", "elsewhere")),
        (staff, send_frame(conversation, "m-4", "   ")),  # empty: refused alone
        (buyer_tab, send_frame(conversation, "m-1", "one")),  # the same send from another tab
        (staff, send_frame(second_conversation, "m-5", "answer")),
    ]
    await asyncio.gather(*(client.send(frame) for client, frame in frames))
    # Each socket answers its own frames in order: an ack for each, an error for the empty one.
    acks = {}
    for client, frame in frames:
        skip = ("message", "heartbeat", "typing", "read")
        if frame["body"].strip():
            ack = await client.receive_type("ack", skip=skip)
            assert ack["client_id"] == frame["client_id"]
            acks.setdefault(frame["client_id"], []).append(ack["message"])
        else:
            error = await client.receive_type("error", skip=skip)
            assert error["code"] == "empty" and error["client_id"] == "m-4"
    assert sum(batch_sizes) >= 6 and len(batch_sizes) < 6  # sent together, stored together
    assert acks["m-1"][0] == acks["m-1"][1]  # both tabs: the one stored message
    stored = await database_sync_to_async(lambda: list(Message.objects.order_by("id")))()
    assert [m.client_id for m in stored if m.conversation_id == conversation.pk] == ["m-1", "m-2"]
    assert [m.client_id for m in stored if m.conversation_id == second_conversation.pk] == ["m-3", "m-5"]
    # Every socket of the conversation heard each new message once, in id order.
    ids = []
    for _ in range(2):
        frame = await owner.receive_type("message", skip=("ack", "heartbeat", "typing", "read"))
        ids.append(frame["message"]["id"])
    assert ids == sorted(ids) == [m.pk for m in stored if m.conversation_id == conversation.pk]
    latest = await database_sync_to_async(
        lambda: Conversation.objects.get(pk=conversation.pk).last_message_id
    )()
    assert latest == ids[-1]


def test_a_conversation_deleted_after_the_checks_refuses_its_sends_only(
    conversation, second_conversation, chat_buyer, monkeypatch
):
    real_gates = batch_module._gates

    def gates_then_delete(requests):
        found = real_gates(requests)
        Conversation.objects.filter(pk=second_conversation.pk).delete()
        return found

    monkeypatch.setattr(batch_module, "_gates", gates_then_delete)
    results = message_send_batch(
        [
            request(chat_buyer, conversation, "kept"),
            request(second_conversation.buyer, second_conversation, "gone"),
        ]
    )
    assert results[0].created and results[0].error is None
    assert type(results[1].error).__name__ == "PermissionDenied"
    assert list(Message.objects.values_list("client_id", flat=True)) == ["kept"]
