"""`manage.py verify_records`: walk the record log and name the first broken link (exit status 1)."""

from django.core.management.base import BaseCommand, CommandError

from exhibitors.records.selectors import records_verify


class Command(BaseCommand):
    help = "Check the whole record log's hash chain; name the first broken link."

    def handle(self, *args, **options):
        result = records_verify()
        if not result.ok:
            raise CommandError(
                f"Record log broken at entry {result.broken_position}: {result.reason} "
                f"({result.checked} entries before it are intact)."
            )
        self.stdout.write(f"Record log intact: {result.checked} entries.")
