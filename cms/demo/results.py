"""The demo seed's results step: booth views for every day of the live fair so far (as the periodic flush
would have written them) and answers to the outcome survey for the demo's held meeting, so the exhibitor's
results page and the chamber report show charts and numbers at once.

The live fair has not ended, so the survey would not have been sent yet; the demo writes the answers
anyway to fill the report's outcomes section. Rows are found by their natural keys (booth and day; meeting
and side) and created only when missing: a second run on the same day changes nothing.
"""

import hashlib
import zoneinfo
from datetime import timedelta
from decimal import Decimal

from django.db import transaction

from exhibitors.enums import ApplicationStatus
from exhibitors.models import Booth
from fair.meetings.enums import MeetingStatus
from fair.meetings.models import Meeting
from results.enums import OutcomeResult, OutcomeSide
from results.models import BoothDailyViews, MeetingOutcome


def _spread(*parts) -> int:
    """A number from 0 to 999 that depends only on its inputs, so every run writes the same views."""
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") % 1000


def results_demo(seeder) -> None:
    """The step seed.py calls; writes in one transaction."""
    fair = seeder.fairs["live"]
    zone = zoneinfo.ZoneInfo(fair.time_zone)
    first = fair.starts_at.astimezone(zone).date()
    today = seeder.now.astimezone(zone).date()
    days = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    with transaction.atomic():
        booths = Booth.objects.filter(
            fair=fair, application__status=ApplicationStatus.APPROVED
        ).select_related("company")
        existing = set(BoothDailyViews.objects.filter(booth__fair=fair).values_list("booth_id", "day"))
        rows = []
        for booth in booths:
            base = 30 + _spread(booth.company.slug) // 8 + (60 if booth.featured else 0)
            for day in days:
                if (booth.pk, day) in existing:
                    continue
                # The last day is only partly over: fewer views so far.
                views = base + _spread(booth.company.slug, day.isoformat()) // 12
                if day == today:
                    views //= 3
                unique = max(1, views * (55 + _spread(day.isoformat(), booth.company.slug) % 20) // 100)
                rows.append(BoothDailyViews(booth=booth, day=day, views=views, unique_visitors=unique))
        BoothDailyViews.objects.bulk_create(rows)
        if rows:
            seeder.report.count("booth view days", len(rows))

        answers = {
            OutcomeSide.COMPANY: (OutcomeResult.SAMPLE_ORDER, Decimal("1800.00"), "USD"),
            OutcomeSide.BUYER: (OutcomeResult.SAMPLE_ORDER, Decimal("1800.00"), "USD"),
        }
        held = Meeting.objects.filter(fair=fair, status=MeetingStatus.HELD).select_related("buyer")
        created = 0
        for meeting in held:
            for side, (result, amount, currency) in answers.items():
                _outcome, made = MeetingOutcome.objects.get_or_create(
                    meeting=meeting,
                    side=side,
                    defaults={
                        "asked_at": meeting.ends_at,
                        "result": result,
                        "value_amount": amount,
                        "value_currency": currency,
                        "answered_at": meeting.ends_at + timedelta(hours=2),
                        "answered_by": meeting.buyer if side == OutcomeSide.BUYER else None,
                    },
                )
                created += made
        if created:
            seeder.report.count("meeting outcomes", created)
