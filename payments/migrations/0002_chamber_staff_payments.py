from django.db import migrations

GROUP_NAME = "Chamber staff"

# (model, codename, default name) in the payments app.
PERMISSIONS = [
    ("order", "view_order", "Can view order"),
    ("banktransferreceipt", "add_banktransferreceipt", "Can add amount received"),
    ("paymentsettings", "change_paymentsettings", "Can change payments"),
    ("taxrate", "add_taxrate", "Can add tax rate"),
    ("taxrate", "change_taxrate", "Can change tax rate"),
    ("taxrate", "delete_taxrate", "Can delete tax rate"),
]


def grant(apps, schema_editor):
    """Chamber staff see the booth fees, record amounts received, and keep the bank details and tax rates."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=GROUP_NAME).first()
    if group is None:
        return
    for model, codename, name in PERMISSIONS:
        content_type, _created = ContentType.objects.get_or_create(app_label="payments", model=model)
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
            *Permission.objects.filter(content_type__app_label="payments", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_initial"),
        ("cms", "0004_chamber_staff_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
