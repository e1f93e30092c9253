"""Compile every .po catalogue to .mo with Babel, so no system gettext is needed on a fresh machine."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the project's translation catalogues (locale/*/LC_MESSAGES/*.po) to .mo files."

    def handle(self, *args, **options):
        count = 0
        for root in settings.LOCALE_PATHS:
            for po_path in sorted(Path(root).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                with open(po_path, "rb") as handle:
                    catalog = read_po(handle, locale=po_path.parent.parent.name)
                with open(mo_path, "wb") as handle:
                    write_mo(handle, catalog, use_fuzzy=False)
                count += 1
        self.stdout.write(f"Compiled {count} catalogue(s).")
