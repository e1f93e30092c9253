"""Changing the record log behind the application's back, as an intruder with database access would."""

from django.db import connection


def tamper(sql: str, params: list) -> None:
    """Run `sql` on records_record with its append-only trigger lifted for that one statement (PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Tables referring to the log queue deferred checks; ALTER TABLE refuses while they pend.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE records_record DISABLE TRIGGER records_record_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE records_record ENABLE TRIGGER records_record_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
