from django.db import migrations

GROUP_NAME = "Chamber staff"
PERMISSIONS = [
    ("certificate", "view_certificate", "Can view certificate"),
    ("certificate", "change_certificate", "Can change certificate"),
]


def grant(apps, schema_editor):
    """Chamber staff verify certificates against the originals (the "Certificates" admin screen)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=GROUP_NAME).first()
    if group is None:
        return
    for model, codename, name in PERMISSIONS:
        content_type, _created = ContentType.objects.get_or_create(app_label="certificates", model=model)
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP_NAME).first()
    if group is not None:
        codenames = [codename for _model, codename, _name in PERMISSIONS]
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="certificates", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_initial"),
        ("cms", "0004_chamber_staff_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
