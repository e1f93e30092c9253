"""The JSON shape of messages in socket frames (docs/chat-protocol.md)."""

from fair.chat.models import Message


def message_data(message: Message) -> dict:
    """A message as every participant may see it. A hidden message keeps its place but loses its content."""
    hidden = message.hidden_at is not None
    return {
        "id": message.pk,
        "conversation": message.conversation_id,
        "sender": {"id": message.sender_id, "name": str(message.sender), "side": message.sender_side},
        "kind": message.kind,
        "body": "" if hidden else message.body,
        "payload": {} if hidden else message.payload,
        "client_id": message.client_id,
        "created_at": message.created_at.isoformat(),
        "hidden": hidden,
    }
