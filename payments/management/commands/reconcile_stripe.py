from datetime import datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from payments.reconcile import stripe_events_reconcile
from payments.stripe_client import stripe_configured


class Command(BaseCommand):
    help = (
        "Fetch Stripe's events since the last one processed (or --since / --days) and process those missed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", help="ISO date or date-time to list events from.")
        parser.add_argument("--days", type=int, help="List the events of the last N days.")

    def handle(self, *args, since=None, days=None, **options):
        if not stripe_configured():
            raise CommandError("STRIPE_SECRET_KEY is not set: there is no Stripe account to reconcile with.")
        start = None
        if since:
            try:
                start = datetime.fromisoformat(since)
            except ValueError as exc:
                raise CommandError(f"--since: {exc}") from exc
            if timezone.is_naive(start):
                start = timezone.make_aware(start)
        elif days:
            start = timezone.now() - timedelta(days=days)
        counts = stripe_events_reconcile(since=start)
        self.stdout.write(
            f"{counts['listed']} events listed, {counts['new']} new, "
            f"{counts['failed']} failed (retried later)."
        )
