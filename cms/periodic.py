"""Periodic jobs: run by `manage.py run_periodic`. Apps add their own with `register`."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management import call_command

logger = logging.getLogger("feria.periodic")


@dataclass
class Job:
    name: str
    every_seconds: int
    run: Callable[[], None]


JOBS: list[Job] = []


def register(name: str, every_seconds: int) -> Callable:
    def decorator(function: Callable[[], None]) -> Callable[[], None]:
        JOBS.append(Job(name=name, every_seconds=every_seconds, run=function))
        return function

    return decorator


@register("publish_scheduled", every_seconds=60)
def publish_scheduled() -> None:
    """Wagtail's scheduled publishing and unpublishing."""
    call_command("publish_scheduled", verbosity=0)


@register("chat_alerts", every_seconds=60)
def chat_alerts() -> None:
    """E-mail company staff about buyers' chat messages nobody read in time, and buyers about answers they
    have not read (one e-mail per unanswered spell; fair/chat/tasks.py)."""
    from fair.chat.tasks import chat_alerts_send

    chat_alerts_send()


@register("stripe_events_retry", every_seconds=60)
def stripe_events_retry() -> None:
    """Stripe events whose handler failed, tried again with a growing wait (payments.webhooks)."""
    from payments.periodic import stripe_events_retry as retry

    retry()


@register("payments_retry", every_seconds=60)
def payments_retry() -> None:
    """Stripe fee reads and automatic refunds of excess payments that failed, queued again
    (payments.periodic)."""
    from payments.periodic import payments_retry as retry

    retry()


@register("sign_in_failures_expire", every_seconds=900)
def sign_in_failures_expire() -> None:
    """Delete failed sign-ins older than the cool-off, which no longer count (exhibitors/signin.py)."""
    from exhibitors.services.accounts import sign_in_failures_expire as expire

    expire()


@register("meetings_expire", every_seconds=60)
def meetings_expire() -> None:
    """Meeting requests nobody answered within the fair's delay expire and free their slots
    (fair/meetings/tasks.py)."""
    from fair.meetings.tasks import meetings_expire_run

    meetings_expire_run()


@register("meeting_reminders", every_seconds=60)
def meeting_reminders() -> None:
    """E-mail and chat reminders 24 hours and 15 minutes before each accepted meeting, each sent once
    (fair/meetings/tasks.py)."""
    from fair.meetings.tasks import meeting_reminders_send

    meeting_reminders_send()


@register("records_daily", every_seconds=86400)
def records_daily() -> None:
    """Verify the record log's chain; publish today's head, or e-mail the administrators when a link is
    broken (exhibitors/records/tasks.py)."""
    from exhibitors.records.tasks import records_daily as check

    check()


@register("privacy_erasures", every_seconds=3600)
def privacy_erasures() -> None:
    """Anonymise the accounts whose 14-day cooling-off after an erasure request ended (docs/privacy.md)."""
    from exhibitors.services.erasure import erasures_due

    erasures_due()


@register("privacy_retention", every_seconds=3600)
def privacy_retention() -> None:
    """Delete what is kept only for a limited time: expired exports, old sessions, old task results
    (docs/privacy.md, "Retention")."""
    from exhibitors.services.retention import retention_run

    retention_run()


@register("certificates_expire", every_seconds=3600)
def certificates_expire() -> None:
    """Mark certificates past their expiry date as expired and warn companies 30 days before a verified one
    expires (docs/certificates.md). The badges do not wait for this: they are read from the dates."""
    from exhibitors.certificates.services import certificates_expire as expire

    expire()


@register("results_views_flush", every_seconds=300)
def results_views_flush() -> None:
    """Add the booth views and unique visitors counted in the cache to the daily rows
    (results/counting.py)."""
    from results.periodic import results_views_flush as flush

    flush()


@register("results_outcome_surveys", every_seconds=3600)
def results_outcome_surveys() -> None:
    """Once a fair has ended, ask each party of each held meeting once what came of it
    (results/services/outcomes.py)."""
    from results.periodic import results_outcome_surveys as ask

    ask()


@register("complaints_overdue", every_seconds=900)
def complaints_overdue() -> None:
    """Complaints whose answer deadline passed unanswered move to mediation; the chamber and the opener are
    e-mailed (complaints/services/complaints.py)."""
    from complaints.services.complaints import complaints_flag_overdue

    complaints_flag_overdue()


@register("quotes_expire", every_seconds=300)
def quotes_expire() -> None:
    """Requests past their closing time and quotes past their validity date become expired."""
    from quotes.services.expiry import quotes_expire as expire

    expire()


@register("sqlite_statistics", every_seconds=86400)
def sqlite_statistics() -> None:
    """SQLite only: refresh the query planner's statistics (ANALYZE). Without them a large directory's
    full-text search picks a plan hundreds of times slower (`make bench`, search part). PostgreSQL keeps
    its own up to date (autovacuum)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
