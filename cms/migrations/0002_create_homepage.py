from django.db import migrations


def create_homepage(apps, schema_editor):
    """Replace Wagtail's placeholder root child with our home page, in the default locale."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("cms.HomePage")

    Page.objects.filter(depth=2, content_type__model="page", slug="home").delete()
    if HomePage.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    locale = Locale.objects.order_by("pk").first()
    home = HomePage.objects.create(
        title="Feria",
        draft_title="Feria",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
    )
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)


def remove_homepage(apps, schema_editor):
    apps.get_model("cms.HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
