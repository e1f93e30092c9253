from django.db import migrations

GROUP_NAME = "Chamber staff"


def grant(apps, schema_editor):
    """Chamber staff read the chamber report."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=GROUP_NAME).first()
    if group is None:
        return
    content_type, _created = ContentType.objects.get_or_create(app_label="results", model="boothdailyviews")
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_chamber_report",
        defaults={"name": "Can view the chamber report"},
    )
    group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="results", codename="view_chamber_report")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0001_initial"),
        ("cms", "0004_chamber_staff_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
