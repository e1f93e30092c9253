"""The meetings' part in closing a company (registered in exhibitors.services.closing from MeetingsConfig)."""

from django.db.models import Exists, OuterRef
from django.utils import timezone

from fair.meetings.enums import SLOT_HOLDING, MeetingStatus
from fair.meetings.models import Meeting, MeetingSlot
from fair.meetings.services.notify import meeting_announce
from fair.meetings.services.transitions import meeting_transition

OPEN = (MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED)


def _upcoming_meetings(company):
    return Meeting.objects.filter(company=company, status__in=OPEN, starts_at__gt=timezone.now())


def _upcoming_free_slots(company):
    holding = Meeting.objects.filter(slot=OuterRef("pk"), status__in=SLOT_HOLDING)
    return MeetingSlot.objects.filter(company=company, starts_at__gt=timezone.now()).exclude(Exists(holding))


def meetings_close_preview(*, company) -> dict[str, int]:
    """How many upcoming slots and open upcoming meetings closing the company would remove or cancel."""
    return {
        "slots": MeetingSlot.objects.filter(company=company, starts_at__gt=timezone.now()).count(),
        "meetings": _upcoming_meetings(company).count(),
    }


def meetings_company_close(*, company, by, reason: str) -> dict[str, int]:
    """Cancel the company's upcoming requests and accepted meetings with `reason` (the fair's cancel cut-off
    does not hold: the company will not be there), then delete its upcoming slots. Each buyer gets the usual
    card and cancellation e-mail (with the .ics METHOD:CANCEL). Runs in the closing's transaction."""
    cancelled = 0
    for meeting in _upcoming_meetings(company).select_for_update().order_by("pk"):
        meeting_transition(meeting=meeting, to=MeetingStatus.CANCELLED, cancel_reason=reason, cancelled_by=by)
        meeting_announce(meeting=meeting, event="cancelled", by=by)
        cancelled += 1
    slots = _upcoming_free_slots(company).delete()[1].get(MeetingSlot._meta.label, 0)
    return {"meetings_cancelled": cancelled, "slots_removed": slots}
