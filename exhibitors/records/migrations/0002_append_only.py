"""The chain's head row, and on PostgreSQL a trigger that refuses UPDATE and DELETE on the log."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION records_record_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'records_record is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER records_record_append_only
    BEFORE UPDATE OR DELETE ON records_record
    FOR EACH ROW EXECUTE FUNCTION records_record_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS records_record_append_only ON records_record;
DROP FUNCTION IF EXISTS records_record_append_only();
"""


def head_create(apps, schema_editor):
    apps.get_model("records", "RecordHead").objects.get_or_create(pk=1)


def trigger_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def trigger_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [
        migrations.RunPython(head_create, migrations.RunPython.noop),
        migrations.RunPython(trigger_create, trigger_drop),
    ]
