"""Proofs of transfer no longer point at Wagtail documents or images: every one has its private file."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("payments", "0006_move_bank_proofs_to_private_storage")]

    operations = [
        migrations.RemoveField(model_name="banktransferproof", name="document"),
        migrations.RemoveField(model_name="banktransferproof", name="image"),
        migrations.AlterField(
            model_name="banktransferproof",
            name="file",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="exhibitors.privatefile"
            ),
        ),
    ]
