"""The chat's sections of a data export (registered in fair.chat.apps): the messages of the person's
conversations, each other party named as the conversation shows them, and a company's conversations."""

from django.db.models import Q

from exhibitors.models import Company
from fair.chat.enums import Side
from fair.chat.models import Message
from fair.chat.selectors.conversations import conversations_for


def _row(message: Message, *, viewer_side: str, person=None) -> dict:
    conversation = message.conversation
    with_party = str(conversation.company) if viewer_side == Side.BUYER else str(conversation.buyer)
    if person is not None:
        direction = "sent" if message.sender_id == person.pk else "received"
    else:
        direction = "sent" if message.sender_side == Side.COMPANY else "received"
    return {
        "conversation_id": conversation.pk,
        "conversation_with": with_party,
        "message_id": message.pk,
        "direction": direction,
        "from": str(message.sender),
        "kind": message.kind,
        "text": message.body,
        "payload": message.payload,
        "sent_at": message.created_at,
        "hidden_by_moderator": message.hidden_at is not None,
    }


def person_messages(*, person) -> list[dict]:
    """Every message of every conversation the person is in (as the buyer, or as a member of the company),
    except others' messages a moderator hid."""
    messages = (
        Message.objects.filter(conversation__in=conversations_for(person))
        .filter(Q(hidden_at__isnull=True) | Q(sender=person))
        .select_related("sender", "conversation__buyer", "conversation__company")
        .order_by("conversation_id", "id")
    )
    return [
        _row(
            message,
            viewer_side=Side.BUYER if message.conversation.buyer_id == person.pk else Side.COMPANY,
            person=person,
        )
        for message in messages
    ]


def company_messages(*, company: Company) -> list[dict]:
    """Every message of the company's conversations (moderated ones from buyers left out)."""
    messages = (
        Message.objects.filter(conversation__company=company)
        .filter(Q(hidden_at__isnull=True) | Q(sender_side=Side.COMPANY))
        .select_related("sender", "conversation__buyer", "conversation__company")
        .order_by("conversation_id", "id")
    )
    return [_row(message, viewer_side=Side.COMPANY) for message in messages]


def export_sections_register() -> None:
    from exhibitors.services.exports import export_section_register

    export_section_register("messages", person=person_messages, company=company_messages)
