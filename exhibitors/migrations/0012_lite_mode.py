from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exhibitors", "0011_translations"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="lite_mode",
            field=models.BooleanField(blank=True, default=None, null=True, verbose_name="lite mode"),
        ),
    ]
