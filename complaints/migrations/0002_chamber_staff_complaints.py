from django.db import migrations

GROUP_NAME = "Chamber staff"
PERMISSIONS = [("view_complaint", "Can view complaint"), ("change_complaint", "Can change complaint")]


def grant_complaints(apps, schema_editor):
    """The chamber's staff see the complaints queue and mediate (messages, decisions, refunds). Safe to run
    again; permissions are fetched or created with the names Django gives them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _created = ContentType.objects.get_or_create(app_label="complaints", model="complaint")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    for codename, name in PERMISSIONS:
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        group.permissions.add(permission)


def revoke_complaints(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="complaints", codename__in=[c for c, _n in PERMISSIONS]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("cms", "0004_chamber_staff_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_complaints, revoke_complaints)]
