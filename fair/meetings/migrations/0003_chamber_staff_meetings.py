from django.db import migrations

GROUP_NAME = "Chamber staff"
PERMISSION = ("view_meeting", "Can view meeting")


def grant_meetings(apps, schema_editor):
    """The chamber's staff see the meetings overview and repeated no-shows in the admin. Safe to run again;
    the permission is fetched or created with the name Django gives it (permissions are made after
    migrations)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _created = ContentType.objects.get_or_create(app_label="meetings", model="meeting")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    codename, name = PERMISSION
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    group.permissions.add(permission)


def revoke_meetings(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="meetings", codename=PERMISSION[0])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_no_overlap"),
        ("cms", "0004_chamber_staff_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_meetings, revoke_meetings)]
