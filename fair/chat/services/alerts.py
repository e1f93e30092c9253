"""Writes of the chat's e-mail alerts (fair/chat/tasks.py): each unanswered spell is claimed once, so one
e-mail goes out per spell however many workers run."""

from fair.chat.models import Conversation, ReadState


def staff_alert_claim(*, conversation_id: int, previous_id: int, up_to_id: int) -> bool:
    """Record that the company's staff are e-mailed about the buyer's messages up to `up_to_id`. Returns
    False when the mark moved since it was read (another run claimed this spell): then send nothing."""
    return (
        Conversation.objects.filter(pk=conversation_id, staff_alerted_message_id=previous_id).update(
            staff_alerted_message_id=up_to_id
        )
        == 1
    )


def buyer_alert_claim(*, conversation_id: int, buyer_id: int, previous_id: int, up_to_id: int) -> bool:
    """Record that the buyer is e-mailed about the company's answers up to `up_to_id` (creating their read
    state if they never opened the conversation). False when another run claimed this spell."""
    ReadState.objects.get_or_create(conversation_id=conversation_id, user_id=buyer_id)
    return (
        ReadState.objects.filter(
            conversation_id=conversation_id, user_id=buyer_id, alerted_message_id=previous_id
        ).update(alerted_message_id=up_to_id)
        == 1
    )
