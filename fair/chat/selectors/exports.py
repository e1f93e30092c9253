"""The chat's sections of a data export (registered in fair.chat.apps): the messages of the person's
conversations, each other party named as the conversation shows them, and a company's conversations."""

from django.db.models import Q

from exhibitors.models import Company
from fair.chat.enums import Side
from fair.chat.models import ChatSanction, ConversationBlock, Message, MessageReport
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


def _block_row(block: ConversationBlock) -> dict:
    conversation = block.conversation
    return {
        "conversation_id": conversation.pk,
        "blocked_by": block.side,
        "blocked": str(conversation.company) if block.side == Side.BUYER else str(conversation.buyer),
        "created_at": block.created_at,
    }


def person_chat_blocks(*, person) -> list[dict]:
    """Conversations the person blocked (as the buyer, or for their company)."""
    blocks = (
        ConversationBlock.objects.filter(created_by=person)
        .select_related("conversation__buyer", "conversation__company")
        .order_by("created_at", "id")
    )
    return [_block_row(block) for block in blocks]


def company_chat_blocks(*, company: Company) -> list[dict]:
    blocks = (
        ConversationBlock.objects.filter(conversation__company=company, side=Side.COMPANY)
        .select_related("conversation__buyer", "conversation__company")
        .order_by("created_at", "id")
    )
    return [_block_row(block) for block in blocks]


def person_chat_reports(*, person) -> list[dict]:
    """The reports the person made about messages, with the moderators' answer (never who handled it)."""
    return [
        {
            "message_id": report.message_id,
            "conversation_id": report.message.conversation_id,
            "reason": report.reason,
            "status": report.status,
            "created_at": report.created_at,
            "handled_at": report.handled_at,
            "resolution": report.resolution,
        }
        for report in MessageReport.objects.filter(reporter=person)
        .select_related("message")
        .order_by("created_at", "id")
    ]


def person_chat_sanctions(*, person) -> list[dict]:
    """Moderators' warnings and blocks on the person."""
    return [
        {
            "kind": sanction.kind,
            "reason": sanction.reason,
            "report_id": sanction.report_id,
            "created_at": sanction.created_at,
            "lifted_at": sanction.lifted_at,
        }
        for sanction in ChatSanction.objects.filter(user=person).order_by("created_at", "id")
    ]


def export_sections_register() -> None:
    from exhibitors.services.exports import export_section_register

    export_section_register("messages", person=person_messages, company=company_messages)
    export_section_register("chat_blocks", person=person_chat_blocks, company=company_chat_blocks)
    export_section_register("chat_reports", person=person_chat_reports)
    export_section_register("chat_sanctions", person=person_chat_sanctions)
