"""After the meeting: either side marks it held or reports that the other side did not come."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fair.meetings.enums import MeetingStatus
from fair.meetings.models import Meeting
from fair.meetings.services.errors import CutoffPassed, TransitionRefused
from fair.meetings.services.notify import meeting_card_post, other_side
from fair.meetings.services.requests import side_of
from fair.meetings.services.transitions import meeting_transition


def _locked_for_outcome(*, meeting: Meeting, by) -> tuple[Meeting, str]:
    locked = Meeting.objects.select_for_update().select_related("buyer", "company").get(pk=meeting.pk)
    side = side_of(meeting=locked, user=by)
    if side is None:
        raise TransitionRefused(_("Only the two sides can record how the meeting went."), code="not_party")
    if locked.starts_at > timezone.now():
        raise CutoffPassed(_("The meeting has not started yet."), code="not_started")
    return locked, side


def meeting_mark_held(*, meeting: Meeting, by) -> Meeting:
    """Record that the meeting took place (also corrects a no-show report). Writes the status; a card."""
    with transaction.atomic():
        locked, _side = _locked_for_outcome(meeting=meeting, by=by)
        meeting_transition(meeting=locked, to=MeetingStatus.HELD, outcome_by=by, no_show_side="")
        meeting_card_post(meeting=locked, event="held", sender=by)
    return locked


def meeting_mark_no_show(*, meeting: Meeting, by) -> Meeting:
    """Report that the other side did not come. Writes the status and who did not come (the chamber sees
    repeated no-shows); posts a card."""
    with transaction.atomic():
        locked, side = _locked_for_outcome(meeting=meeting, by=by)
        meeting_transition(
            meeting=locked, to=MeetingStatus.NO_SHOW, outcome_by=by, no_show_side=other_side(side)
        )
        meeting_card_post(meeting=locked, event="no_show", sender=by)
    return locked
