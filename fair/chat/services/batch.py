"""Group commit for the chat socket's sends: many `send` frames stored in ONE transaction.

message_send (fair/chat/services/conversations.py) stores one message per transaction, with its own checks
query, row lock, INSERT and UPDATEs: the form post path uses it. The socket path gathers the sends that
arrive while the previous batch is being written (fair/chat/writer.py) and stores them with
`message_send_batch`, which keeps message_send's rules, answers and side effects for each send:

- one query checks every send (the conversation's sides, the sender's membership, blocks, a moderator's
  block, a message the sender already stored under the same client id);
- each send that fails a check gets exactly the error message_send would raise (PermissionDenied or a
  ValidationError with the same code and text, SendRateLimited), and the others go on;
- the send limit is counted for the sends that passed every other check, in one Redis round trip;
- in one transaction: the conversations' rows are locked in id order (so two batches or a form post never
  deadlock, and within a conversation ids commit in order, as message_send's lock gives), ONE multi-row
  INSERT, one UPDATE of the conversations' latest ids and one upsert of the senders' read marks.

A batch must not hold the same (sender, client id) twice: the writer keeps a repeat for the next batch,
where it finds the stored message like any resend. Should the INSERT still hit the unique constraint (the
same client id stored at that moment by another process), the batch is rolled back and each of its sends
goes through message_send, which settles that race, without counting the send limit a second time.
"""

import json
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from exhibitors.models import Membership
from fair.chat.enums import SanctionKind, Side
from fair.chat.kinds import spec_for
from fair.chat.models import (
    CLIENT_ID_MAX_LENGTH,
    ChatSanction,
    Conversation,
    ConversationBlock,
    Message,
    ReadState,
)
from fair.chat.ratelimit import send_allowed_many
from fair.chat.serializers import message_data
from fair.chat.services.conversations import (
    SendRateLimited,
    _clean_body,
    message_event,
    message_groups,
    message_send,
)

# message_send's text for a moderator's block (the same message id, so the same translations).
BLOCKED_TEXT = _("A moderator has blocked you from chat. Contact the chamber if you think this is a mistake.")


@dataclass
class SendRequest:
    """One `send` frame, as the socket checked it (fair/chat/frames.py)."""

    sender: object  # the signed-in user
    conversation_id: int
    client_id: str
    body: str = ""
    kind: str = "text"
    payload: dict | None = None
    language: str | None = None  # the sender's language: error texts and "Member <id>"


@dataclass
class SendResult:
    """What message_send would have returned (`message`, `created`) or raised (`error`); for a new message
    also its channel-layer event and groups (sent by the caller, after commit)."""

    message: dict | None = None  # message_data() of the stored message
    created: bool = False
    error: Exception | None = None
    event: dict | None = None
    groups: list[str] = field(default_factory=list)


def _gate_sql(count: int) -> str:
    quote = connection.ops.quote_name

    def names(model, *fields):
        return [quote(model._meta.db_table)] + [quote(model._meta.get_field(f).column) for f in fields]

    conv, conv_id, buyer, company = names(Conversation, "id", "buyer", "company")
    membership, member_company, member_user = names(Membership, "company", "user")
    block, block_conv = names(ConversationBlock, "conversation")
    sanction, sanction_user, kind, lifted = names(ChatSanction, "user", "kind", "lifted_at")
    message, message_id, sender, client = names(Message, "id", "sender", "client_id")
    values = ", ".join(
        ["(CAST(%s AS integer), CAST(%s AS bigint), CAST(%s AS text), CAST(%s AS bigint))"] * count
    )
    return (
        f"WITH req (idx, sender, client, conv) AS (VALUES {values}) "
        f"SELECT req.idx, c.{buyer}, c.{company}, "
        f"EXISTS (SELECT 1 FROM {membership} m WHERE m.{member_company} = c.{company} "
        f"AND m.{member_user} = req.sender), "
        f"EXISTS (SELECT 1 FROM {block} b WHERE b.{block_conv} = c.{conv_id}), "
        f"EXISTS (SELECT 1 FROM {sanction} s WHERE s.{sanction_user} = req.sender AND s.{kind} = %s "
        f"AND s.{lifted} IS NULL), "
        f"(SELECT x.{message_id} FROM {message} x WHERE x.{sender} = req.sender AND x.{client} = req.client "
        f"LIMIT 1) "
        f"FROM req LEFT JOIN {conv} c ON c.{conv_id} = req.conv"
    )


def _gates(requests: list[SendRequest]) -> list[dict | None]:
    """message_send's checks query (_send_gate) for every request at once: one row per request, None where
    there is no such conversation."""
    params: list = []
    for index, request in enumerate(requests):
        params += [index, request.sender.pk, request.client_id, int(request.conversation_id)]
    params.append(str(SanctionKind.BLOCK))
    with connection.cursor() as cursor:
        cursor.execute(_gate_sql(len(requests)), params)
        rows = cursor.fetchall()
    gates: list[dict | None] = [None] * len(requests)
    for row in rows:
        if row[1] is None:
            continue
        gates[row[0]] = {
            "buyer_id": row[1],
            "company_id": row[2],
            "sender_is_member": bool(row[3]),
            "conversation_blocked": bool(row[4]),
            "sender_blocked": bool(row[5]),
            "existing_id": row[6],
        }
    return gates


class _Accepted:
    """A request that passed every check, waiting for the INSERT."""

    __slots__ = ("index", "request", "conversation", "side", "spec", "body", "payload", "message")

    def __init__(self, index, request, conversation, side, spec, body, payload):
        self.index = index
        self.request = request
        self.conversation = conversation
        self.side = side
        self.spec = spec
        self.body = body
        self.payload = payload
        self.message = None


def _check(request: SendRequest, gate: dict | None, existing: dict, results: list, index: int):
    """message_send's checks, in its order, for one request. Returns an _Accepted, or None when the result
    (an error, or the message already stored under the client id) is already in `results`."""
    sender = request.sender
    if not sender.is_authenticated or gate is None:
        results[index] = SendResult(error=PermissionDenied())
        return None
    conversation = Conversation(
        pk=int(request.conversation_id), buyer_id=gate["buyer_id"], company_id=gate["company_id"]
    )
    if gate["buyer_id"] == sender.pk:
        side = Side.BUYER
    elif gate["sender_is_member"]:
        side = Side.COMPANY
    else:
        results[index] = SendResult(error=PermissionDenied())
        return None
    try:
        if not request.client_id or len(request.client_id) > CLIENT_ID_MAX_LENGTH:
            raise ValidationError(
                _("Each message needs its own id of 1 to %(max)d characters.")
                % {"max": CLIENT_ID_MAX_LENGTH},
                code="client_id",
            )
        if gate["existing_id"] is not None:
            stored = existing[gate["existing_id"]]
            if stored.conversation_id != conversation.pk:
                raise ValidationError(
                    _("This message id was already used in another conversation."), code="client_id"
                )
            stored.sender = sender
            results[index] = SendResult(message=message_data(stored), created=False)
            return None
        spec = spec_for(request.kind)
        if spec is None or side not in spec.senders or not spec.from_socket:
            raise ValidationError(_("This kind of message cannot be sent here."), code="kind")
        if gate["sender_blocked"]:
            raise ValidationError(BLOCKED_TEXT, code="blocked")
        if gate["conversation_blocked"]:
            raise ValidationError(
                _("This conversation is blocked. No more messages can be sent in it."),
                code="conversation_blocked",
            )
        body, payload = _clean_body(spec, request.body, request.payload)
    except ValidationError as error:
        results[index] = SendResult(error=error)
        return None
    return _Accepted(index, request, conversation, side, spec, body, payload)


def message_send_batch(requests: list[SendRequest]) -> list[SendResult]:
    """Store the socket sends `requests` (no two with the same sender and client id) together; one
    SendResult per request, in order. Runs outside any transaction: new messages are committed on return,
    and the caller sends their events (as message_send(broadcast=False) callers do)."""
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("message_send_batch must run outside a transaction")
    results: list[SendResult | None] = [None] * len(requests)
    if not requests:
        return []
    for request in requests:
        request.client_id = (request.client_id or "").strip()
    gates = _gates(requests)
    existing_ids = [gate["existing_id"] for gate in gates if gate and gate["existing_id"] is not None]
    existing = {m.pk: m for m in Message.objects.filter(pk__in=existing_ids)} if existing_ids else {}
    accepted: list[_Accepted] = []
    for index, (request, gate) in enumerate(zip(requests, gates, strict=True)):
        with translation.override(request.language):
            item = _check(request, gate, existing, results, index)
        if item is not None:
            accepted.append(item)
    # The send limit, counted only for sends that passed every other check (one Redis round trip).
    counted = [item for item in accepted if item.spec.from_socket]
    waits = send_allowed_many([item.request.sender.pk for item in counted])
    limited = set()
    for item, retry_after in zip(counted, waits, strict=True):
        if retry_after:
            with translation.override(item.request.language):
                results[item.index] = SendResult(error=SendRateLimited(retry_after))
            limited.add(item.index)
    accepted = [item for item in accepted if item.index not in limited]
    if accepted:
        try:
            _store(accepted)
        except IntegrityError:
            # A client id stored meanwhile by another process: each send on its own (message_send settles
            # it), the send limit already counted.
            for item in accepted:
                results[item.index] = _send_alone(item)
        else:
            for item in accepted:
                if item.message is None:  # the conversation is gone
                    results[item.index] = SendResult(error=PermissionDenied())
                    continue
                with translation.override(item.request.language):
                    event = message_event(item.conversation, item.message)
                results[item.index] = SendResult(
                    message=event["message"],
                    created=True,
                    event=event,
                    groups=message_groups(item.conversation),
                )
    return results


def _write_sql(count: int) -> str:
    """PostgreSQL: the whole write of a batch as ONE statement, atomic on its own (no BEGIN and COMMIT round
    trips). The conversations are locked in id order first: every row the INSERT takes joins its
    conversation's locked row, and the ORDER BY (a sort over all of them) makes every lock come before the
    first id is drawn, so within a conversation ids are drawn and committed in order, as under message_send's
    lock. created_at is the clock when the row is written (after the locks), so it grows with the ids."""
    quote = connection.ops.quote_name

    def table(model):
        return quote(model._meta.db_table)

    def col(model, name):
        return quote(model._meta.get_field(name).column)

    conv, msg, read = table(Conversation), table(Message), table(ReadState)
    m = {name: col(Message, name) for name in ("conversation", "sender", "sender_side", "kind", "body")}
    m |= {
        name: col(Message, name) for name in ("payload", "client_id", "created_at", "hidden_at", "hidden_by")
    }
    r = {name: col(ReadState, name) for name in ("conversation", "user", "last_read_message_id")}
    r |= {name: col(ReadState, name) for name in ("read_at", "alerted_message_id")}
    c_id, c_last, c_at = (
        col(Conversation, "id"),
        col(Conversation, "last_message_id"),
        col(Conversation, "last_message_at"),
    )
    row = (
        "(CAST(%s AS integer), CAST(%s AS bigint), CAST(%s AS bigint), CAST(%s AS varchar), "
        "CAST(%s AS varchar), CAST(%s AS text), CAST(%s AS jsonb), CAST(%s AS varchar))"
    )
    values = ", ".join([row] * count)
    return (
        f"WITH v (ord, conv, sender, side, kind, body, payload, client) AS (VALUES {values}), "
        f"locked AS (SELECT c.{c_id} AS id FROM {conv} c WHERE c.{c_id} IN (SELECT conv FROM v) "
        f"ORDER BY c.{c_id} FOR UPDATE), "
        f"ins AS (INSERT INTO {msg} ({m['conversation']}, {m['sender']}, {m['sender_side']}, {m['kind']}, "
        f"{m['body']}, {m['payload']}, {m['client_id']}, {m['created_at']}, {m['hidden_at']}, "
        f"{m['hidden_by']}) "
        f"SELECT v.conv, v.sender, v.side, v.kind, v.body, v.payload, v.client, clock_timestamp(), "
        f"NULL, NULL "
        f"FROM v JOIN locked ON locked.id = v.conv ORDER BY v.ord "
        f"RETURNING id, {m['conversation']} AS conv, {m['sender']} AS sender, {m['client_id']} AS client, "
        f"{m['created_at']} AS at), "
        f"latest AS (SELECT DISTINCT ON (conv) conv, id, at FROM ins ORDER BY conv, id DESC), "
        f"upd AS (UPDATE {conv} c SET {c_last} = GREATEST(c.{c_last}, latest.id), {c_at} = latest.at "
        f"FROM latest WHERE c.{c_id} = latest.conv RETURNING 1), "
        f"marks AS (SELECT DISTINCT ON (conv, sender) conv, sender, id, at FROM ins "
        f"ORDER BY conv, sender, id DESC), "
        f"rs AS (INSERT INTO {read} ({r['conversation']}, {r['user']}, {r['last_read_message_id']}, "
        f"{r['read_at']}, {r['alerted_message_id']}) SELECT conv, sender, id, at, 0 FROM marks "
        f"ON CONFLICT ({r['conversation']}, {r['user']}) DO UPDATE SET "
        f"{r['last_read_message_id']} = GREATEST({read}.{r['last_read_message_id']}, "
        f"EXCLUDED.{r['last_read_message_id']}), {r['read_at']} = EXCLUDED.{r['read_at']} RETURNING 1) "
        f"SELECT id, client, sender, at, (SELECT count(*) FROM upd), (SELECT count(*) FROM rs) FROM ins"
    )


def _store(accepted: list[_Accepted]) -> None:
    if connection.vendor == "postgresql":
        _store_postgresql(accepted)
    else:
        _store_orm(accepted)


def _store_postgresql(accepted: list[_Accepted]) -> None:
    """The batch's write in one statement (_write_sql), in autocommit: atomic, one round trip."""
    params: list = []
    for n, item in enumerate(accepted):
        request = item.request
        params += [
            n,
            item.conversation.pk,
            request.sender.pk,
            str(item.side),
            request.kind,
            item.body,
            json.dumps(item.payload),
            request.client_id,
        ]
    with connection.cursor() as cursor:
        cursor.execute(_write_sql(len(accepted)), params)
        rows = cursor.fetchall()
    stored = {(sender, client): (pk, at) for pk, client, sender, at, _u, _r in rows}
    latest: dict[int, tuple[int, object]] = {}
    for item in accepted:
        request = item.request
        if (request.sender.pk, request.client_id) not in stored:
            continue  # its conversation was deleted since the checks: nothing stored (item.message None)
        pk, at = stored[(request.sender.pk, request.client_id)]
        item.message = Message(
            pk=pk,
            conversation_id=item.conversation.pk,
            sender=request.sender,
            sender_side=item.side,
            kind=request.kind,
            body=item.body,
            payload=item.payload,
            client_id=request.client_id,
            created_at=at,
        )
        if pk > latest.get(item.conversation.pk, (0, None))[0]:
            latest[item.conversation.pk] = (pk, at)
    for item in accepted:
        if item.message is not None:
            last_id, last_at = latest[item.conversation.pk]
            item.conversation.last_message_id, item.conversation.last_message_at = last_id, last_at


def _store_orm(accepted: list[_Accepted]) -> None:
    """The batch's one transaction, through the ORM (SQLite; see the module docstring)."""
    conversation_ids = sorted({item.conversation.pk for item in accepted})
    with transaction.atomic():
        # One writer per conversation at a time, locks taken in id order: see message_send.
        list(
            Conversation.objects.select_for_update()
            .filter(pk__in=conversation_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        messages = [
            Message(
                conversation=item.conversation,
                sender=item.request.sender,
                sender_side=item.side,
                kind=item.request.kind,
                body=item.body,
                payload=item.payload,
                client_id=item.request.client_id,
            )
            for item in accepted
        ]
        if connection.features.can_return_rows_from_bulk_insert:
            Message.objects.bulk_create(messages)
        else:
            for message in messages:
                message.save(force_insert=True)
        latest: dict[int, Message] = {}
        marks: dict[tuple[int, int], Message] = {}
        for item, message in zip(accepted, messages, strict=True):
            item.message = message
            latest[message.conversation_id] = message  # in id order: the last one is the newest
            marks[(message.conversation_id, message.sender_id)] = message
        Conversation.objects.bulk_update(
            [
                Conversation(pk=cid, last_message_id=m.pk, last_message_at=m.created_at)
                for cid, m in latest.items()
            ],
            ["last_message_id", "last_message_at"],
        )
        # The senders have read their own messages. Their marks are below the new ids (a mark never passes
        # a conversation's latest id, and the conversations are locked), so setting them moves them forward.
        ReadState.objects.bulk_create(
            [
                ReadState(conversation_id=cid, user_id=uid, last_read_message_id=m.pk, read_at=m.created_at)
                for (cid, uid), m in marks.items()
            ],
            update_conflicts=True,
            unique_fields=["conversation", "user"],
            update_fields=["last_read_message_id", "read_at"],
        )
    for item in accepted:
        item.conversation.last_message_id = latest[item.conversation.pk].pk
        item.conversation.last_message_at = latest[item.conversation.pk].created_at


def _send_alone(item: _Accepted) -> SendResult:
    request = item.request
    with translation.override(request.language):
        conversation = Conversation(pk=item.conversation.pk)
        try:
            message, created = message_send(
                conversation=conversation,
                sender=request.sender,
                client_id=request.client_id,
                body=request.body,
                kind=request.kind,
                payload=request.payload,
                from_socket=True,
                broadcast=False,
                count_send=False,
            )
        except (PermissionDenied, ValidationError) as error:
            return SendResult(error=error)
        event = message_event(conversation, message) if created else None
        if event is None:
            return SendResult(message=message_data(message), created=False)
        return SendResult(
            message=event["message"], created=True, event=event, groups=message_groups(conversation)
        )
