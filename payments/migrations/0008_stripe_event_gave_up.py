"""Stripe events that failed too often are given up ("gave_up"), and the chamber's staff may see the events
in the admin."""

from django.db import migrations, models

GROUP_NAME = "Chamber staff"


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=GROUP_NAME).first()
    if group is None:
        return
    content_type, _created = ContentType.objects.get_or_create(app_label="payments", model="stripeevent")
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type, codename="view_stripeevent", defaults={"name": "Can view Stripe event"}
    )
    group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("payments", "0007_bank_proof_file_required")]

    operations = [
        migrations.AlterField(
            model_name="stripeevent",
            name="status",
            field=models.CharField(
                choices=[
                    ("received", "Received"),
                    ("processed", "Processed"),
                    ("ignored", "Ignored"),
                    ("failed", "Failed"),
                    ("gave_up", "Gave up"),
                ],
                default="received",
                max_length=10,
            ),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
