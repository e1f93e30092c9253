"""Reads for the call room: whose meeting it is, and when its room is open.

A call room belongs to an accepted meeting. Its buyer and every member of its company may enter; for anyone
else, and for a meeting in any other state, it does not exist (the page answers 404, the socket "not_found").
The room opens CALL_OPENS_BEFORE the meeting starts and closes CALL_CLOSES_AFTER it ends.
"""

import uuid as uuid_module
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from exhibitors.models import Membership
from fair.meetings.enums import MeetingSide, MeetingStatus
from fair.meetings.models import Meeting

CALL_OPENS_BEFORE = timedelta(minutes=10)
CALL_CLOSES_AFTER = timedelta(minutes=30)


@dataclass(frozen=True)
class CallRoom:
    meeting: Meeting
    side: str  # MeetingSide: the person's side of the call
    opens_at: datetime
    closes_at: datetime

    def state(self, now: datetime | None = None) -> str:
        """ "early" before the room opens, "open", or "closed" after it closes."""
        now = now or timezone.now()
        if now < self.opens_at:
            return "early"
        if now >= self.closes_at:
            return "closed"
        return "open"


def call_window(meeting: Meeting) -> tuple[datetime, datetime]:
    """(opens at, closes at) of the meeting's call room."""
    return meeting.starts_at - CALL_OPENS_BEFORE, meeting.ends_at + CALL_CLOSES_AFTER


def call_room_for(*, user, meeting_uuid) -> CallRoom | None:
    """The call room of an accepted meeting whose buyer or company member `user` is, else None. One query."""
    if user is None or not user.is_authenticated:
        return None
    if not isinstance(meeting_uuid, uuid_module.UUID):
        try:
            meeting_uuid = uuid_module.UUID(str(meeting_uuid))
        except ValueError:
            return None
    meeting = (
        Meeting.objects.filter(uuid=meeting_uuid, status=MeetingStatus.ACCEPTED)
        .annotate(
            is_member=Exists(Membership.objects.filter(company_id=OuterRef("company_id"), user_id=user.pk))
        )
        .select_related("company", "buyer", "fair")
        .first()
    )
    if meeting is None:
        return None
    if meeting.is_member:
        side = MeetingSide.COMPANY
    elif meeting.buyer_id == user.pk:
        side = MeetingSide.BUYER
    else:
        return None
    opens_at, closes_at = call_window(meeting)
    return CallRoom(meeting=meeting, side=side, opens_at=opens_at, closes_at=closes_at)
