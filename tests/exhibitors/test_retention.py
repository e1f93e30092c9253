"""Retention: the periodic job deletes expired exports (with their files), expired sessions and old task
results, and keeps what is still within its time."""

from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cms.periodic import JOBS
from exhibitors.enums import DataExportStatus
from exhibitors.models import DataExport
from exhibitors.services.retention import retention_run
from tests.factories.exhibitors import UserFactory


def _task_result(finished_at):
    return DBTaskResult.objects.create(
        status="SUCCESSFUL",
        args_kwargs={"args": [], "kwargs": {"to": ["bea@example.com"]}},
        task_path="exhibitors.services.mail.email_deliver",
        backend_name="default",
        run_after=finished_at,
        finished_at=finished_at,
        queue_name="default",
        exception_class_path="",
        traceback="",
    )


def test_retention_job_is_registered():
    assert "privacy_retention" in {job.name for job in JOBS}
    assert "privacy_erasures" in {job.name for job in JOBS}


def test_retention_deletes_what_is_past_its_time(db):
    user = UserFactory()
    now = timezone.now()
    old = DataExport.objects.create(
        user=user, status=DataExportStatus.READY, expires_at=now - timedelta(minutes=1)
    )
    old.file.save("old.zip", ContentFile(b"zip"), save=True)
    old_name = old.file.name
    fresh = DataExport.objects.create(
        user=user, status=DataExportStatus.READY, expires_at=now + timedelta(hours=1)
    )
    stale = SessionStore()
    stale.create()
    Session.objects.filter(session_key=stale.session_key).update(expire_date=now - timedelta(days=1))
    live = SessionStore()
    live.create()
    _task_result(now - timedelta(days=31))
    recent = _task_result(now - timedelta(days=1))

    counts = retention_run()

    assert counts["data_exports"] == 1 and counts["sessions"] == 1 and counts["task_results"] == 1
    assert list(DataExport.objects.all()) == [fresh]
    assert not old.file.storage.exists(old_name)
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert list(DBTaskResult.objects.all()) == [recent]
