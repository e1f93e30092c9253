"""The chat's part in closing a company (registered in exhibitors.services.closing from ChatConfig)."""

from fair.chat.enums import Side
from fair.chat.models import Conversation, ConversationBlock


def chat_close_preview(*, company) -> dict[str, int]:
    """How many conversations closing the company would close for new messages."""
    return {"conversations": Conversation.objects.filter(company=company).count()}


def chat_company_close(*, company, by, reason: str) -> dict[str, int]:
    """Close every conversation of the company for new messages, as the company's side blocking it does
    (message_send refuses with "conversation_blocked"); the buyers keep the whole history and their
    conversation page says the company has closed."""
    closed = 0
    for conversation in Conversation.objects.filter(company=company).order_by("pk"):
        _block, created = ConversationBlock.objects.get_or_create(
            conversation=conversation, side=Side.COMPANY, defaults={"created_by": by}
        )
        closed += int(created)
    return {"conversations_closed": closed}
