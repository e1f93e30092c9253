"""The named errors meeting services raise. Each carries a translated message for the person and a code."""

from django.core.exceptions import ValidationError


class MeetingError(ValidationError):
    """A meeting rule refused the change; nothing was written."""


class SlotTaken(MeetingError):
    """Someone else holds the slot (or it is gone)."""


class TimeOverlap(MeetingError):
    """A person would hold two meetings, or a company two slots, at the same time."""


class CapReached(MeetingError):
    """The buyer has made as many requests as the fair allows (per fair or per day)."""


class CutoffPassed(MeetingError):
    """Too close to the meeting (or past it) for this change."""


class TransitionRefused(MeetingError):
    """The meeting's state does not allow this move, or this person may not make it."""


class SlotRefused(MeetingError):
    """A slot or availability outside the fair's meeting days, in the past, or of a bad length."""
