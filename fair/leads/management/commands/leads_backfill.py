from django.core.management.base import BaseCommand

from fair.leads.services import leads_backfill


class Command(BaseCommand):
    help = "Make leads from conversations, meetings and saved booths made before leads existed."

    def handle(self, *args, **options):
        count = leads_backfill()
        self.stdout.write(f"Looked at {count} conversations, meetings and saved booths.")
