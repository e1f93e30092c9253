"""Writes for live chat. Every change is saved first; sockets are told after commit (fair/chat/broadcast.py).

Functions raise django.core.exceptions.ValidationError (with a translated message and a `code`) for anything
a person did wrong, and PermissionDenied when they are not in the conversation.
"""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from exhibitors.models import Membership
from fair.chat.broadcast import broadcast as _broadcast
from fair.chat.enums import MessageKind, SanctionKind, Side
from fair.chat.groups import company_group, user_group
from fair.chat.kinds import spec_for
from fair.chat.models import (
    CLIENT_ID_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    ChatSanction,
    Conversation,
    ConversationBlock,
    Message,
    ReadState,
)
from fair.chat.ratelimit import send_allowed
from fair.chat.selectors.conversations import chat_blocked, side_of
from fair.chat.serializers import message_data
from fair.leads.services import conversation_record


def _groups(conversation: Conversation) -> list[str]:
    return [user_group(conversation.buyer_id), company_group(conversation.company_id)]


class SendRateLimited(ValidationError):
    """The person sent too many messages in the last seconds (fair/chat/ratelimit.py); nothing was stored or
    counted. `retry_after`: whole seconds to wait before sending again."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(
            ngettext(
                "You are sending messages too fast. Try again in %(seconds)d second.",
                "You are sending messages too fast. Try again in %(seconds)d seconds.",
                retry_after,
            )
            % {"seconds": retry_after},
            code="rate_limited",
        )


def message_event(conversation: Conversation, message: Message) -> dict:
    """The `chat.message` channel-layer event for a saved message. "buyer" and "company" let each socket
    check the event is for one of its person's conversations without a database query; "frame" is the
    socket frame already encoded, so the receiving sockets send it as it is instead of each encoding it.

    A sender without a name is called "Member <id>" in each reader's own language: then there is no shared
    frame, and "sender_unnamed" tells each socket to put the name in its reader's language."""
    data = message_data(message)
    event = {
        "type": "chat.message",
        "message": data,
        "buyer": conversation.buyer_id,
        "company": conversation.company_id,
    }
    if message.sender.get_full_name():
        event["frame"] = json.dumps({"type": "message", "message": data}, separators=(",", ":"))
    else:
        event["sender_unnamed"] = True
    return event


def _check_can_chat(user) -> None:
    if chat_blocked(user):
        raise ValidationError(
            _("A moderator has blocked you from chat. Contact the chamber if you think this is a mistake."),
            code="blocked",
        )


def conversation_start(*, buyer, company, booth=None) -> Conversation:
    """The buyer's conversation with the company, created on first use; it keeps the booth it started from.

    Refuses members of the company itself, people blocked from chat and a company that has closed.
    """
    _check_can_chat(buyer)
    if company.closed_at is not None:
        raise ValidationError(_("The company has closed."), code="company_closed")
    if company.memberships.filter(user=buyer).exists():
        raise ValidationError(_("You cannot start a chat with your own company."), code="own_company")
    conversation = Conversation.objects.filter(buyer=buyer, company=company).first()
    if conversation is not None:
        return conversation
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(buyer=buyer, company=company, started_from=booth)
    except IntegrityError:
        return Conversation.objects.get(buyer=buyer, company=company)
    # The buyer becomes a lead of the company (fair.leads).
    conversation_record(conversation=conversation)
    return conversation


def _clean_body(kind_spec, body: str, payload: dict | None) -> tuple[str, dict]:
    body = (body or "").strip()
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            _("A message can be at most %(max)d characters (this one has %(length)d).")
            % {"max": MESSAGE_MAX_LENGTH, "length": len(body)},
            code="too_long",
        )
    payload = payload or {}
    if kind_spec.clean_payload is not None:
        payload = kind_spec.clean_payload(payload)
    elif not body:
        raise ValidationError(_("Write a message first."), code="empty")
    return body, payload


def _send_gate_sql() -> str:
    quote = connection.ops.quote_name

    def names(model, *fields):
        return [quote(model._meta.db_table)] + [quote(model._meta.get_field(f).column) for f in fields]

    conv, conv_id, buyer, company = names(Conversation, "id", "buyer", "company")
    membership, member_company, member_user = names(Membership, "company", "user")
    block, block_conv = names(ConversationBlock, "conversation")
    sanction, sanction_user, kind, lifted = names(ChatSanction, "user", "kind", "lifted_at")
    message, message_id, sender, client = names(Message, "id", "sender", "client_id")
    return (
        f"SELECT c.{buyer}, c.{company}, "
        f"EXISTS (SELECT 1 FROM {membership} m WHERE m.{member_company} = c.{company} "
        f"AND m.{member_user} = %s), "
        f"EXISTS (SELECT 1 FROM {block} b WHERE b.{block_conv} = c.{conv_id}), "
        f"EXISTS (SELECT 1 FROM {sanction} s WHERE s.{sanction_user} = %s AND s.{kind} = %s "
        f"AND s.{lifted} IS NULL), "
        f"(SELECT x.{message_id} FROM {message} x WHERE x.{sender} = %s AND x.{client} = %s LIMIT 1) "
        f"FROM {conv} c WHERE c.{conv_id} = %s"
    )


def _send_gate(*, conversation_id: int, sender, client_id: str) -> dict | None:
    """Everything message_send checks before writing, in one query: the conversation's sides, whether the
    sender is a member of its company, a block on it, a moderator's block on the sender, and a message the
    sender already stored under `client_id`. None when there is no such conversation.

    Written as SQL (index lookups only): built by the ORM, this query alone cost more CPU than the rest
    of a send."""
    params = [sender.pk, sender.pk, str(SanctionKind.BLOCK), sender.pk, client_id, int(conversation_id)]
    with connection.cursor() as cursor:
        cursor.execute(_send_gate_sql(), params)
        row = cursor.fetchone()
    if row is None:
        return None
    keys = ("buyer_id", "company_id", "sender_is_member", "conversation_blocked", "sender_blocked")
    gate = {key: value for key, value in zip(keys, row, strict=False)}
    for key in keys[2:]:
        gate[key] = bool(gate[key])
    gate["existing_id"] = row[5]
    return gate


def message_send(
    *,
    conversation: Conversation,
    sender,
    client_id: str,
    body: str = "",
    kind: str = MessageKind.TEXT,
    payload: dict | None = None,
    from_socket: bool = False,
    broadcast: bool = True,
    count_send: bool = True,
) -> tuple[Message, bool]:
    """Save a message, or find the one this sender already saved under the same `client_id`.

    Returns (message, created). Side effects, only when created: the conversation's latest id moves and the
    sender's read mark moves to their own message (in the message's transaction); after commit a
    `chat.message` event goes to the buyer's and the company's groups. With `broadcast=False` the caller
    sends that event itself (`message_event`), after this returns; this is only allowed outside a
    transaction, where the message is committed on return (the chat socket does so from async code).

    Only `conversation.pk` is relied on: the conversation's buyer and company are read (and set on it) with
    the checks, in one query.

    Messages of the kinds people type (those a socket may send: text) count against the person's send limit
    (fair/chat/ratelimit.py), the same for the socket and the form post; only a send that passes every other
    check is counted, and over the limit SendRateLimited is raised (code "rate_limited", with
    `retry_after`). A moderator's block raises code "blocked", a block of the conversation by one of its
    sides "conversation_blocked". `count_send=False`: the send was already counted (the socket's batch,
    fair/chat/services/batch.py, falling back to this function).
    """
    if not broadcast and transaction.get_connection().in_atomic_block:
        raise RuntimeError("message_send(broadcast=False) must run outside a transaction")
    if not sender.is_authenticated:
        raise PermissionDenied
    client_id = (client_id or "").strip()
    gate = _send_gate(conversation_id=conversation.pk, sender=sender, client_id=client_id)
    if gate is None:
        raise PermissionDenied
    conversation.buyer_id = gate["buyer_id"]
    conversation.company_id = gate["company_id"]
    if gate["buyer_id"] == sender.pk:
        side = Side.BUYER
    elif gate["sender_is_member"]:
        side = Side.COMPANY
    else:
        raise PermissionDenied
    if not client_id or len(client_id) > CLIENT_ID_MAX_LENGTH:
        raise ValidationError(
            _("Each message needs its own id of 1 to %(max)d characters.") % {"max": CLIENT_ID_MAX_LENGTH},
            code="client_id",
        )
    if gate["existing_id"] is not None:
        existing = Message.objects.get(pk=gate["existing_id"])
        if existing.conversation_id != conversation.pk:
            raise ValidationError(
                _("This message id was already used in another conversation."), code="client_id"
            )
        existing.sender = sender
        return existing, False
    spec = spec_for(kind)
    if spec is None or side not in spec.senders or (from_socket and not spec.from_socket):
        raise ValidationError(_("This kind of message cannot be sent here."), code="kind")
    if gate["sender_blocked"]:
        raise ValidationError(
            _("A moderator has blocked you from chat. Contact the chamber if you think this is a mistake."),
            code="blocked",
        )
    if gate["conversation_blocked"]:
        raise ValidationError(
            _("This conversation is blocked. No more messages can be sent in it."),
            code="conversation_blocked",
        )
    body, payload = _clean_body(spec, body, payload)
    if spec.from_socket and count_send:
        retry_after = send_allowed(sender.pk)
        if retry_after:
            raise SendRateLimited(retry_after)
    try:
        with transaction.atomic():
            # One writer per conversation at a time (row lock until commit): its messages commit in id
            # order and last_message_id only grows, so a sync reply never holds a later message while an
            # earlier one is still uncommitted, and a client that has everything up to an id misses nothing.
            list(Conversation.objects.select_for_update().filter(pk=conversation.pk).values_list("pk"))
            message = Message.objects.create(
                conversation=conversation,
                sender=sender,
                sender_side=side,
                kind=kind,
                body=body,
                payload=payload,
                client_id=client_id,
            )
            Conversation.objects.filter(pk=conversation.pk).update(
                last_message_id=message.pk, last_message_at=message.created_at
            )
            # The sender has read their own message: one UPDATE, or the read state's first row.
            if not ReadState.objects.filter(
                conversation=conversation, user=sender, last_read_message_id__lt=message.pk
            ).update(last_read_message_id=message.pk, read_at=message.created_at):
                _read_mark_move(conversation=conversation, user=sender, up_to_id=message.pk)
            if broadcast:
                event = message_event(conversation, message)
                groups = _groups(conversation)
                transaction.on_commit(lambda: _broadcast(groups, event))
    except IntegrityError:
        # The same client id arrived twice at once (two sockets of one sender): the first one stands.
        existing = Message.objects.filter(sender=sender, client_id=client_id).first()
        if existing is None:
            raise
        return existing, False
    conversation.last_message_id = message.pk
    conversation.last_message_at = message.created_at
    return message, True


def message_groups(conversation: Conversation) -> list[str]:
    """The channel-layer groups told about the conversation's messages: its buyer's and its company's."""
    return _groups(conversation)


def _read_mark_move(*, conversation: Conversation, user, up_to_id: int) -> bool:
    state, _created = ReadState.objects.select_for_update().get_or_create(
        conversation=conversation, user=user
    )
    if up_to_id <= state.last_read_message_id:
        return False
    state.last_read_message_id = up_to_id
    state.read_at = timezone.now()
    state.save(update_fields=["last_read_message_id", "read_at"])
    return True


def conversation_mark_read(*, conversation: Conversation, user, up_to_id: int | None = None) -> int:
    """Move the person's read mark forward (never back) to `up_to_id`, or to the newest message.

    Returns the mark. When it moved, a `chat.read` event (the read receipt) goes to both sides after commit.
    """
    side = side_of(user=user, conversation=conversation)
    if side is None:
        raise PermissionDenied
    latest = (
        Conversation.objects.filter(pk=conversation.pk).values_list("last_message_id", flat=True).first() or 0
    )
    target = latest if up_to_id is None else max(0, min(int(up_to_id), latest))
    with transaction.atomic():
        moved = _read_mark_move(conversation=conversation, user=user, up_to_id=target)
        if moved:
            event = {
                "type": "chat.read",
                "conversation": conversation.pk,
                "user": user.pk,
                "side": side,
                "up_to": target,
                "buyer": conversation.buyer_id,
                "company": conversation.company_id,
            }
            groups = _groups(conversation)
            transaction.on_commit(lambda: _broadcast(groups, event))
    return ReadState.objects.get(conversation=conversation, user=user).last_read_message_id


def conversation_block(*, conversation: Conversation, user) -> ConversationBlock:
    """The person's side blocks the other side: nothing more can be sent by anyone in this conversation."""
    side = side_of(user=user, conversation=conversation)
    if side is None:
        raise PermissionDenied
    block, _created = ConversationBlock.objects.get_or_create(
        conversation=conversation, side=side, defaults={"created_by": user}
    )
    return block


def conversation_unblock(*, conversation: Conversation, user) -> None:
    """Lift the block the person's own side placed (the other side's block stays)."""
    side = side_of(user=user, conversation=conversation)
    if side is None:
        raise PermissionDenied
    ConversationBlock.objects.filter(conversation=conversation, side=side).delete()
