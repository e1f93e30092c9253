"""Fill a fresh instance with a demo chamber, two fairs, 24 exhibitors and four logins.

`make run` calls it after every migrate: it creates only what is missing and otherwise just moves the fairs'
dates around today, so the demo fair is always live.
"""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import translation

from cms.demo.data import ACCOUNTS
from cms.demo.seed import DemoDataError, demo_seed


class Command(BaseCommand):
    help = "Create the demo data where missing (idempotent) and keep the demo fairs live and upcoming."

    def add_arguments(self, parser):
        parser.add_argument(
            "--image-scale",
            type=float,
            default=1.0,
            help="Size of the generated pictures relative to photo size (1600×1200); tests use 0.05.",
        )

    def handle(self, *args, image_scale: float, **options):
        if not 0 < image_scale <= 2:
            raise CommandError("--image-scale must be more than 0 and at most 2.")
        started = time.monotonic()
        verbose = options["verbosity"] > 0

        def log(line: str) -> None:
            if verbose:
                self.stdout.write(line)

        log("Seeding demo data...")
        try:
            report = demo_seed(image_scale=image_scale, log=log)
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        if "django_tasks_db" in settings.TASKS["default"]["BACKEND"]:
            # Saving the demo queued hundreds of small indexing tasks (search, references). Run them here,
            # once, so the site starts with an empty queue instead of a worker scrolling the logins away.
            log("Indexing...")
            call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
        if not verbose:
            return
        if report.created:
            created = ", ".join(f"{count} {what}" for what, count in sorted(report.created.items()))
            self.stdout.write(f"Created: {created}.")
        else:
            self.stdout.write("Nothing to create: the demo data is already there.")
        if report.dates_moved:
            self.stdout.write("Moved the demo fairs' dates around today.")
        live, upcoming = report.live_fair, report.upcoming_fair
        # In the fair's own zone, as the admin shows them.
        live_starts, live_ends = (live.starts_at.astimezone(live.zone), live.ends_at.astimezone(live.zone))
        upcoming_starts = upcoming.starts_at.astimezone(upcoming.zone)
        self.stdout.write(
            f"Live fair: {live.title} ({live_starts:%Y-%m-%d %H:%M} to {live_ends:%Y-%m-%d %H:%M} "
            f"{live.time_zone}); upcoming: {upcoming.title} (from {upcoming_starts:%Y-%m-%d %H:%M} "
            f"{upcoming.time_zone})."
        )
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.\n")
        with translation.override(settings.LANGUAGE_CODE):
            login_url = reverse("account_login")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (sign in at {login_url}, the admin at /admin/):"))
        width = max(len(account.email) for account in ACCOUNTS)
        for account in ACCOUNTS:
            self.stdout.write(f"  {account.email.ljust(width)}  {account.password}  {account.role}")
