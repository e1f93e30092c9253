"""No two meetings holding the same person's time overlap, nor two slots of one person (or of "anyone from
the company") at one fair: exclusion constraints on tstzrange, PostgreSQL only (btree_gist lets a GiST index
compare the plain id columns with =). On SQLite this migration changes nothing; see fair/meetings/constraints.py.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

from fair.meetings.constraints import (
    AddConstraintOnPostgres,
    availability_constraints,
    meeting_constraints,
    slot_constraints,
)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        *[AddConstraintOnPostgres("meeting", constraint) for constraint in meeting_constraints()],
        *[AddConstraintOnPostgres("meetingslot", constraint) for constraint in slot_constraints()],
        *[AddConstraintOnPostgres("buyeravailability", constraint) for constraint in availability_constraints()],
    ]
