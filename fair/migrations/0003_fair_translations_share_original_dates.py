"""Translations of a fair page take the time zone and dates of the fair in the site's main language.

The public fair page always showed the main-language page's dates (fair.selectors.fair_page_context), and the
editor now shows every date in the fair's own zone. A translated copy whose zone or dates had drifted would
open in the editor meaning something the public never saw; this aligns each copy (the page row and its
latest and live revisions) with its original. The original's stored instants are left untouched: they are
what the public page showed, and the editor now reads and writes them in the fair's zone.
"""

from django.conf import settings
from django.db import migrations

FIELDS = ("time_zone", "applications_open_at", "applications_close_at", "starts_at", "ends_at")


def align_translations(apps, schema_editor):
    FairPage = apps.get_model("fair", "FairPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    main_language = settings.LANGUAGE_CODE
    originals = FairPage.objects.filter(locale__language_code=main_language)
    for original in originals:
        wanted = {name: getattr(original, name) for name in FIELDS}
        copies = FairPage.objects.filter(translation_key=original.translation_key).exclude(pk=original.pk)
        for copy in copies:
            if all(getattr(copy, name) == value for name, value in wanted.items()):
                continue
            FairPage.objects.filter(pk=copy.pk).update(**wanted)
            serialized = {
                name: value if isinstance(value, str) else value.isoformat() for name, value in wanted.items()
            }
            revision_ids = {copy.latest_revision_id, copy.live_revision_id} - {None}
            for revision in Revision.objects.filter(pk__in=revision_ids):
                content = dict(revision.content)
                content.update(serialized)
                Revision.objects.filter(pk=revision.pk).update(content=content)


class Migration(migrations.Migration):
    dependencies = [
        ("fair", "0002_fair_payment_settings"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(align_translations, migrations.RunPython.noop)]
