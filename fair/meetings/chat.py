"""The meeting card in the conversation between a buyer and a company (chat kind "meeting").

Posted by fair.meetings.services.cards whenever a meeting is requested, answered, cancelled or about to
start; the payload holds only the meeting's uuid and what happened, and the card shows the meeting as it
stands now (loaded for a whole page of cards at once by `meeting_cards`).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fair.chat.enums import Side
from fair.chat.kinds import KindSpec, register

# A kind of its own, not the chat's reserved "meeting_proposal": the card follows the meeting through every
# state (request, answer, reminder, outcome), not only a proposal.
KIND = "meeting"
TEMPLATE = "chat/kinds/meeting.html"
EVENTS = (
    "requested",
    "accepted",
    "declined",
    "proposed",
    "cancelled",
    "expired",
    "reminder",
    "held",
    "no_show",
)


def clean_meeting_card(payload: dict) -> dict:
    """Only a meeting's uuid and one of the known events."""
    import uuid

    if not isinstance(payload, dict) or payload.get("event") not in EVENTS:
        raise ValidationError(_("This meeting card is not valid."), code="payload")
    try:
        meeting = str(uuid.UUID(str(payload.get("meeting"))))
    except ValueError:
        raise ValidationError(_("This meeting card is not valid."), code="payload") from None
    return {"meeting": meeting, "event": payload["event"]}


def meeting_cards(messages: list) -> dict:
    """The chat kinds' `prepare` hook: {message id: its Meeting or None}, in one query for any number."""
    from fair.meetings.models import Meeting

    wanted = {m.pk: m.payload.get("meeting") for m in messages if isinstance(m.payload, dict)}
    found = {}
    if wanted:
        rows = Meeting.objects.filter(uuid__in={value for value in wanted.values() if value}).select_related(
            "fair", "company", "staff", "buyer"
        )
        found = {str(meeting.uuid): meeting for meeting in rows}
    return {message.pk: found.get(wanted.get(message.pk)) for message in messages}


def register_meeting_kind() -> None:
    register(
        KindSpec(
            kind=KIND,
            template=TEMPLATE,
            senders=frozenset({Side.BUYER, Side.COMPANY}),
            clean_payload=clean_meeting_card,
            from_socket=False,
            prepare=meeting_cards,
        )
    )
