"""The PostgreSQL exclusion constraints that keep meetings and slots from overlapping.

They live in migration 0002_no_overlap, applied on PostgreSQL only (SQLite has no exclusion constraints;
there the services check overlaps inside a BEGIN IMMEDIATE transaction, which SQLite runs one at a time),
and are not in the models' Meta so that the model state is the same on both databases.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import migrations
from django.db.models import Func, Q

from fair.meetings.enums import TIME_HOLDING


class TsTzRange(Func):
    """tstzrange(starts_at, ends_at): half-open, so back-to-back meetings do not overlap."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


def _span() -> tuple:
    return (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS)


def meeting_constraints() -> list[ExclusionConstraint]:
    holding = Q(status__in=[str(status) for status in TIME_HOLDING])
    return [
        ExclusionConstraint(
            name="meeting_buyer_no_overlap",
            expressions=[("buyer", RangeOperators.EQUAL), _span()],
            condition=holding,
        ),
        ExclusionConstraint(
            name="meeting_staff_no_overlap",
            expressions=[("staff", RangeOperators.EQUAL), _span()],
            condition=holding & Q(staff__isnull=False),
        ),
        ExclusionConstraint(
            name="meeting_company_anyone_no_overlap",
            expressions=[("company", RangeOperators.EQUAL), _span()],
            condition=holding & Q(staff__isnull=True),
        ),
    ]


def slot_constraints() -> list[ExclusionConstraint]:
    return [
        ExclusionConstraint(
            name="meeting_slot_staff_no_overlap",
            expressions=[("staff", RangeOperators.EQUAL), ("fair", RangeOperators.EQUAL), _span()],
            condition=Q(staff__isnull=False),
        ),
        ExclusionConstraint(
            name="meeting_slot_anyone_no_overlap",
            expressions=[("company", RangeOperators.EQUAL), ("fair", RangeOperators.EQUAL), _span()],
            condition=Q(staff__isnull=True),
        ),
    ]


def availability_constraints() -> list[ExclusionConstraint]:
    return [
        ExclusionConstraint(
            name="buyer_availability_no_overlap",
            expressions=[("buyer", RangeOperators.EQUAL), ("fair", RangeOperators.EQUAL), _span()],
        )
    ]


class AddConstraintOnPostgres(migrations.operations.base.Operation):
    """Add a constraint to the database on PostgreSQL only, leaving the model state alone."""

    reversible = True

    def __init__(self, model_name: str, constraint):
        self.model_name = model_name
        self.constraint = constraint

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_constraint(to_state.apps.get_model(app_label, self.model_name), self.constraint)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_constraint(
                from_state.apps.get_model(app_label, self.model_name), self.constraint
            )

    def describe(self):
        return f"Add {self.constraint.name} on PostgreSQL"

    def deconstruct(self):
        return (
            self.__class__.__qualname__,
            [],
            {"model_name": self.model_name, "constraint": self.constraint},
        )
