from django.db import migrations


def extend_page_permissions_to_translations(apps, schema_editor):
    """Groups get on each existing translation of a page the permissions they hold on the page, as
    cms.signals does for new translations: staff who may edit the English home may edit the Spanish one.
    Safe to run again."""
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    for grant in GroupPagePermission.objects.select_related("page"):
        translations = Page.objects.filter(translation_key=grant.page.translation_key).exclude(pk=grant.page_id)
        for translation in translations:
            GroupPagePermission.objects.get_or_create(
                group_id=grant.group_id, permission_id=grant.permission_id, page=translation
            )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0005_chamber_terms_and_privacy_pages"),
        ("wagtailcore", "0098_apitoken"),
    ]

    # Reversing keeps the permissions: staff may already be editing the translations.
    operations = [migrations.RunPython(extend_page_permissions_to_translations, migrations.RunPython.noop)]
