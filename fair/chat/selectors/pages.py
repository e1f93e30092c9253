"""Reads for the chat pages: inbox rows, a page of messages, read receipts, how fast a company answers.

The socket's reads are in fair/chat/selectors.py; these build on them.
"""

import statistics
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db.models import OuterRef, QuerySet, Subquery, TextField
from django.utils import timezone

from fair.chat.enums import Side
from fair.chat.kinds import spec_for
from fair.chat.models import Conversation, Message, ReadState
from fair.chat.selectors.conversations import conversations_with_unread

PAGE_MESSAGES = 50
UNKNOWN_KIND_TEMPLATE = "chat/kinds/unknown.html"

# Median response time: buyer messages of the last RESPONSE_WINDOW; at least RESPONSE_MIN_SAMPLES spells, or
# nothing is shown; kept in the cache for RESPONSE_CACHE_SECONDS per company.
RESPONSE_WINDOW = timedelta(days=30)
RESPONSE_MIN_SAMPLES = 3
RESPONSE_CACHE_SECONDS = 300
# A question still unanswered after this long counts, with the time it has waited so far: a company that does
# not answer must not look quick because only its answers are measured.
RESPONSE_UNANSWERED_AFTER = timedelta(hours=24)
_MISSING = object()


def inbox_conversations(user) -> QuerySet[Conversation]:
    """The person's conversations, newest activity first, with `unread`, `last_read_id` and the newest
    message's text (`last_body`, `last_hidden`, `last_sender_side`) in one query."""
    last = Message.objects.filter(pk=OuterRef("last_message_id"))
    return conversations_with_unread(user).annotate(
        last_body=Subquery(last.values("body")[:1], output_field=TextField()),
        last_hidden=Subquery(last.values("hidden_at")[:1]),
        last_sender_side=Subquery(last.values("sender_side")[:1]),
        last_kind=Subquery(last.values("kind")[:1]),
    )


@dataclass(frozen=True)
class MessagesPage:
    messages: list[Message]
    # The id to ask for older messages with (?before=), or None when this page starts the conversation.
    older_before: int | None
    # Whether newer messages exist than this page shows (only when looking at an older page).
    newer: bool


def with_templates(messages: list[Message]) -> list[Message]:
    """Each message gets `kind_template`, the template its kind renders with, and, for kinds with a `prepare`
    hook, `kind_data`: what that template needs, loaded once per kind for all these messages."""
    by_kind: dict[str, list[Message]] = {}
    for message in messages:
        spec = spec_for(message.kind)
        message.kind_template = spec.template if spec else UNKNOWN_KIND_TEMPLATE
        if spec is not None and spec.prepare is not None:
            by_kind.setdefault(message.kind, []).append(message)
    for kind, group in by_kind.items():
        data = spec_for(kind).prepare(group)
        for message in group:
            message.kind_data = data.get(message.pk)
    return messages


def messages_page(*, conversation: Conversation, before: int | None = None) -> MessagesPage:
    """At most PAGE_MESSAGES messages, oldest first: the newest ones, or those before the id `before`."""
    queryset = Message.objects.filter(conversation=conversation).select_related("sender")
    if before is not None:
        queryset = queryset.filter(id__lt=before)
    rows = list(queryset.order_by("-id")[: PAGE_MESSAGES + 1])
    older = len(rows) > PAGE_MESSAGES
    rows = rows[:PAGE_MESSAGES]
    rows.reverse()
    return MessagesPage(
        messages=with_templates(rows),
        older_before=rows[0].pk if older and rows else None,
        newer=before is not None,
    )


def message_in_conversation(*, conversation: Conversation, message_id: int) -> Message | None:
    message = (
        Message.objects.filter(conversation=conversation, pk=message_id).select_related("sender").first()
    )
    if message is not None:
        with_templates([message])
    return message


@dataclass(frozen=True)
class ConversationState:
    """What the page shows besides messages: the other side's read mark and who blocked whom."""

    other_read_up_to: int
    blocked_by_me: bool
    blocked_by_other: bool


def conversation_state(*, conversation: Conversation, side: str) -> ConversationState:
    """One query for the read marks and one for the blocks."""
    states = ReadState.objects.filter(conversation=conversation)
    if side == Side.BUYER:
        states = states.exclude(user_id=conversation.buyer_id)
    else:
        states = states.filter(user_id=conversation.buyer_id)
    marks = list(states.values_list("last_read_message_id", flat=True))
    sides = set(conversation.blocks.values_list("side", flat=True))
    return ConversationState(
        other_read_up_to=max(marks, default=0),
        blocked_by_me=side in sides,
        blocked_by_other=bool(sides - {side}),
    )


def _response_seconds(*, company_id: int, now) -> float | None:
    since = now - RESPONSE_WINDOW
    rows = (
        Message.objects.filter(conversation__company_id=company_id)
        .filter(created_at__gte=since, hidden_at__isnull=True)
        .order_by("conversation_id", "id")
        .values_list("conversation_id", "sender_side", "created_at")
    )
    waits: list[float] = []
    waiting_since = {}  # conversation -> when its current unanswered spell began
    for conversation_id, side, created_at in rows.iterator():
        if side == Side.BUYER:
            waiting_since.setdefault(conversation_id, created_at)
        elif conversation_id in waiting_since:
            waits.append((created_at - waiting_since.pop(conversation_id)).total_seconds())
    for began in waiting_since.values():
        if now - began >= RESPONSE_UNANSWERED_AFTER:
            waits.append((now - began).total_seconds())
    if len(waits) < RESPONSE_MIN_SAMPLES:
        return None
    return statistics.median(waits)


def company_response_seconds(*, company_id: int) -> float | None:
    """The median time the company took to answer a buyer in the last 30 days, in seconds, or None when
    there are too few answers to say. Each unanswered spell counts once (from the buyer's first message in
    it to the company's first reply). Cached per company for a few minutes."""
    key = f"chat:response-seconds:{int(company_id)}"
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        return found
    seconds = _response_seconds(company_id=company_id, now=timezone.now())
    cache.set(key, seconds, RESPONSE_CACHE_SECONDS)
    return seconds


def response_time_label_parts(seconds: float | None) -> tuple[str, int] | None:
    """("minutes" | "hours" | "days", n) rounded up, for "usually replies within …"; None without data."""
    if seconds is None:
        return None
    minutes = max(1, -(-int(seconds) // 60))
    if minutes < 60:
        return "minutes", minutes
    hours = -(-minutes // 60)
    if hours < 24:
        return "hours", hours
    return "days", -(-hours // 24)
