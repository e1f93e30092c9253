from django.db import migrations

GROUP_NAME = "Chamber staff"
PERMISSIONS = [
    ("view_messagereport", "Can view message report"),
    ("change_messagereport", "Can change message report"),
]


def grant_chat_reports(apps, schema_editor):
    """The chamber's staff moderate chat: they see the reports queue and decide on reports. Safe to run again;
    permissions are fetched or created with the names Django gives them (they are made after migrations)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _created = ContentType.objects.get_or_create(app_label="chat", model="messagereport")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    for codename, name in PERMISSIONS:
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        group.permissions.add(permission)


def revoke_chat_reports(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="chat", codename__in=[codename for codename, _name in PERMISSIONS]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0001_initial"),
        ("cms", "0004_chamber_staff_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_chat_reports, revoke_chat_reports)]
