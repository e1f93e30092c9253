"""Proofs of transfer get a private file of their own (filled by the next migration)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exhibitors", "0005_private_files"),
        ("payments", "0004_booth_fee_orders_for_payable_booths"),
    ]

    operations = [
        migrations.AddField(
            model_name="banktransferproof",
            name="file",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="exhibitors.privatefile",
            ),
        ),
        migrations.RemoveConstraint(model_name="banktransferproof", name="bank_proof_one_file"),
    ]
