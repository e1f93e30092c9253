from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingStatus(models.TextChoices):
    """Where a meeting stands. Moves only through fair.meetings.services.transitions.meeting_transition."""

    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    HELD = "held", _("Held")
    NO_SHOW = "no_show", _("No-show")


# A request or meeting in these states holds its slot: nobody else can request it.
SLOT_HOLDING = (MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED, MeetingStatus.HELD, MeetingStatus.NO_SHOW)
# A meeting in these states holds its people's time: neither may hold another that overlaps.
TIME_HOLDING = (MeetingStatus.ACCEPTED, MeetingStatus.HELD, MeetingStatus.NO_SHOW)

# Allowed moves. Cancelling a request is its requester withdrawing it.
TRANSITIONS: dict[str, frozenset] = {
    MeetingStatus.REQUESTED: frozenset(
        {MeetingStatus.ACCEPTED, MeetingStatus.DECLINED, MeetingStatus.CANCELLED, MeetingStatus.EXPIRED}
    ),
    MeetingStatus.ACCEPTED: frozenset({MeetingStatus.CANCELLED, MeetingStatus.HELD, MeetingStatus.NO_SHOW}),
    MeetingStatus.DECLINED: frozenset(),
    MeetingStatus.CANCELLED: frozenset(),
    MeetingStatus.EXPIRED: frozenset(),
    # A mark made by mistake can be corrected by either side.
    MeetingStatus.HELD: frozenset({MeetingStatus.NO_SHOW}),
    MeetingStatus.NO_SHOW: frozenset({MeetingStatus.HELD}),
}


class MeetingSide(models.TextChoices):
    """The two sides of a meeting (same values as the chat's sides)."""

    BUYER = "buyer", _("Buyer")
    COMPANY = "company", _("Exhibitor")


class ReminderKind(models.TextChoices):
    DAY = "day", _("24 hours before")
    SOON = "soon", _("15 minutes before")
