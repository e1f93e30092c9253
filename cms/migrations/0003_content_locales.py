from django.conf import settings
from django.db import migrations


def create_locales(apps, schema_editor):
    """A Wagtail locale for every site language, so staff can translate pages into each of them.

    Wagtail's own migration already made the default one from LANGUAGE_CODE.
    """
    Locale = apps.get_model("wagtailcore", "Locale")
    for code, _name in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_create_homepage"),
        ("wagtailcore", "0098_apitoken"),
    ]

    # Reversing keeps the locales: pages may already live in them.
    operations = [migrations.RunPython(create_locales, migrations.RunPython.noop)]
