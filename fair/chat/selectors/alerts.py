"""Reads for the e-mail alerts: conversations where one side has left the other's messages unread too long.

A "spell" is the run of messages one side sends while the other side has not read them. Each spell gets at
most one e-mail: the alert records the newest message it covered (Conversation.staff_alerted_message_id for
the company's staff, ReadState.alerted_message_id for the buyer), and no new alert goes out until the other
side has read past that mark.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, F, IntegerField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from fair.chat.enums import Side
from fair.chat.models import Conversation, ConversationBlock, Message, ReadState


@dataclass(frozen=True)
class AlertDue:
    conversation_id: int
    # The mark the alert is recorded against (to claim it only if nobody else did) and the new one.
    previous_alerted_id: int
    up_to_id: int
    # How far the alerted side has read: the alert is about the messages after this id.
    read_mark: int


def _unread_from(side: str, after_field: str):
    """Messages of `side` in the conversation, shown (not hidden), after the id in `after_field`."""
    return Message.objects.filter(
        conversation=OuterRef("pk"), sender_side=side, hidden_at__isnull=True, id__gt=OuterRef(after_field)
    )


def _first_created(queryset):
    return Subquery(queryset.order_by("id").values("created_at")[:1])


def _last_id(queryset):
    return Subquery(queryset.order_by("-id").values("id")[:1], output_field=IntegerField())


def staff_alerts_due(*, cutoff: datetime) -> list[AlertDue]:
    """Conversations where a buyer's message sent before `cutoff` is still unread by every member of the
    company, and no alert was sent yet for this spell. Blocked conversations are left alone."""
    staff_mark = Subquery(
        ReadState.objects.filter(
            conversation=OuterRef("pk"), user__memberships__company=OuterRef("company_id")
        )
        .order_by()
        .values("conversation")
        .annotate(mark=Max("last_read_message_id"))
        .values("mark")[:1],
        output_field=IntegerField(),
    )
    rows = (
        Conversation.objects.filter(last_message_id__gt=F("staff_alerted_message_id"))
        .exclude(Exists(ConversationBlock.objects.filter(conversation=OuterRef("pk"))))
        .annotate(staff_mark=Coalesce(staff_mark, Value(0)))
        .filter(staff_alerted_message_id__lte=F("staff_mark"))
        .annotate(
            oldest_unread_at=_first_created(_unread_from(Side.BUYER, "staff_mark")),
            newest_unread_id=_last_id(_unread_from(Side.BUYER, "staff_mark")),
        )
        .filter(oldest_unread_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", "staff_alerted_message_id", "newest_unread_id", "staff_mark")
    )
    return [AlertDue(*row) for row in rows]


def buyer_alerts_due(*, cutoff: datetime) -> list[AlertDue]:
    """Conversations where the company answered before `cutoff` and the buyer has not read it, and no alert
    was sent yet for this spell."""
    buyer_state = ReadState.objects.filter(conversation=OuterRef("pk"), user=OuterRef("buyer_id"))
    rows = (
        Conversation.objects.exclude(Exists(ConversationBlock.objects.filter(conversation=OuterRef("pk"))))
        .annotate(
            buyer_mark=Coalesce(
                Subquery(buyer_state.values("last_read_message_id")[:1], output_field=IntegerField()),
                Value(0),
            ),
            buyer_alerted=Coalesce(
                Subquery(buyer_state.values("alerted_message_id")[:1], output_field=IntegerField()), Value(0)
            ),
        )
        .filter(last_message_id__gt=F("buyer_mark"), buyer_alerted__lte=F("buyer_mark"))
        .annotate(
            oldest_unread_at=_first_created(_unread_from(Side.COMPANY, "buyer_mark")),
            newest_unread_id=_last_id(_unread_from(Side.COMPANY, "buyer_mark")),
        )
        .filter(oldest_unread_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", "buyer_alerted", "newest_unread_id", "buyer_mark")
    )
    return [AlertDue(*row) for row in rows]


def unread_messages_for_alert(*, conversation: Conversation, side: str, after_id: int, up_to_id: int):
    """The messages an alert is about (oldest first, at most 5), with their senders."""
    return list(
        Message.objects.filter(
            conversation=conversation,
            sender_side=side,
            hidden_at__isnull=True,
            id__gt=after_id,
            id__lte=up_to_id,
        )
        .select_related("sender")
        .order_by("id")[:5]
    )
