"""The daily job that keeps SQLite's query planner statistics (cms/periodic.py)."""

import pytest
from django.db import connection

from cms.periodic import JOBS, sqlite_statistics


def test_the_statistics_job_runs_daily():
    assert {job.name: job.every_seconds for job in JOBS}["sqlite_statistics"] == 86400


@pytest.mark.django_db
def test_sqlite_gets_planner_statistics():
    sqlite_statistics()  # on PostgreSQL it does nothing: autovacuum keeps statistics there
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone()[0] == 1
