"""Periodic work for meetings, run by cms.periodic ("meetings_expire" and "meeting_reminders", every
minute). The e-mails they write are queued for the task worker (exhibitors.mail.email_enqueue)."""

from fair.meetings.services.reminders import meetings_remind_due
from fair.meetings.services.requests import meetings_expire


def meetings_expire_run() -> int:
    """Expire unanswered requests whose time is up, freeing their slots."""
    return meetings_expire()


def meeting_reminders_send() -> int:
    """Queue the 24-hour and 15-minute reminders that are due, each once."""
    return meetings_remind_due()
