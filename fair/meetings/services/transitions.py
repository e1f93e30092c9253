"""The meeting state machine: one function moves a meeting between states (enums.TRANSITIONS)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from fair.leads.services import meeting_record
from fair.meetings.enums import TRANSITIONS, MeetingStatus
from fair.meetings.models import Meeting
from fair.meetings.services.errors import TransitionRefused


def meeting_transition(*, meeting: Meeting, to: str, **changes) -> Meeting:
    """Move a (locked) meeting to `to`, setting `changes`; bumps its calendar SEQUENCE. Raises
    TransitionRefused on a move enums.TRANSITIONS does not allow. Saves the row, nothing else."""
    if to not in TRANSITIONS[meeting.status]:
        raise TransitionRefused(
            _("This meeting is %(status)s; it cannot become %(new)s.")
            % {"status": MeetingStatus(meeting.status).label, "new": MeetingStatus(to).label},
            code="transition",
        )
    meeting.status = to
    for name, value in changes.items():
        setattr(meeting, name, value)
    meeting.sequence += 1
    meeting.updated_at = timezone.now()
    meeting.save(update_fields=["status", "sequence", "updated_at", *changes])
    if to == MeetingStatus.HELD:
        meeting_record(meeting=meeting, held=True)
    return meeting
