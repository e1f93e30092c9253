"""Background work goes through Django's tasks interface into the database, and `db_worker` runs it.

The suite's settings run tasks immediately; these tests switch to the database backend the site runs with.
"""

import time
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from cms.models import StandardPage
from fair.models import FairPage
from tests.factories.fair import FairPageFactory


@task()
def shout(word: str) -> str:
    return word.upper() + "!"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


# The worker and the periodic runner close stale connections between rounds, as a long-running process must;
# that only works on committed data, so these tests commit (and restore the migrated pages afterwards).
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_worker_batch() -> None:
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def small_png() -> ImageFile:
    buffer = BytesIO()
    PILImage.new("RGB", (40, 30), "orange").save(buffer, "PNG")
    return ImageFile(buffer, name="cover.png")


def test_site_settings_use_the_database_backend():
    from cms.settings import base

    assert base.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


@committed
def test_enqueued_task_waits_until_worker_runs_it(database_tasks):
    result = shout.enqueue("hola")

    stored = DBTaskResult.objects.get(id=result.id)
    assert stored.status == TaskResultStatus.READY
    assert stored.task_path == "tests.cms.test_tasks.shout"

    run_worker_batch()

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "HOLA!"
    assert DBTaskResult.objects.ready().count() == 0


@committed
def test_worker_batch_runs_every_waiting_task_then_exits(database_tasks):
    results = [shout.enqueue(word) for word in ("uno", "dos", "tres")]

    run_worker_batch()

    for result in results:
        result.refresh()
    assert [result.return_value for result in results] == ["UNO!", "DOS!", "TRES!"]
    assert DBTaskResult.objects.successful().count() == 3


@committed
def test_wagtail_search_and_reference_index_run_through_the_worker(home_page, database_tasks):
    image = get_image_model().objects.create(title="Cover", file=small_png())
    fair = FairPageFactory(title="Quinoa Expo", summary="Royal quinoa from the altiplano", cover_image=image)

    waiting = set(DBTaskResult.objects.ready().values_list("task_path", flat=True))
    assert "modelsearch.tasks.insert_or_update_object_task" in waiting
    assert "wagtail.tasks.update_reference_index_task" in waiting
    assert list(FairPage.objects.live().search("altiplano")) == []
    assert not ReferenceIndex.get_references_to(image).exists()

    run_worker_batch()

    assert DBTaskResult.objects.ready().count() == 0
    assert DBTaskResult.objects.failed().count() == 0
    assert [page.pk for page in FairPage.objects.live().search("altiplano")] == [fair.pk]
    referrers = {reference.object_id for reference in ReferenceIndex.get_references_to(image)}
    assert str(fair.pk) in referrers


@committed
def test_run_periodic_once_publishes_scheduled_pages(home_page):
    page = StandardPage(title="Fair rules", slug="fair-rules", live=False)
    home_page.add_child(instance=page)
    page.go_live_at = timezone.now() + timedelta(seconds=3)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert page.live is False
    assert revision.approved_go_live_at is not None

    time.sleep(max(0.0, (page.go_live_at - timezone.now()).total_seconds()) + 0.2)
    call_command("run_periodic", once=True)

    page.refresh_from_db()
    assert page.live is True
    assert Page.objects.live().filter(pk=page.pk).exists()


@committed
def test_run_periodic_once_leaves_future_pages_scheduled(home_page):
    page = StandardPage(title="Next year", slug="next-year", live=False)
    home_page.add_child(instance=page)
    page.go_live_at = timezone.now() + timedelta(days=30)
    page.save_revision().publish()

    call_command("run_periodic", once=True)

    page.refresh_from_db()
    assert page.live is False


@committed
def test_worker_waits_out_a_locked_database_then_runs_the_task(database_tasks, monkeypatch):
    """Another process holds SQLite's write lock for longer than the worker's busy timeout: the worker
    waits and retries with backoff instead of dying, and runs the task once the lock is free."""
    import sqlite3
    import threading

    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("only SQLite locks the whole database for a write; PostgreSQL has no such lock")
    result = shout.enqueue("paciencia")
    # The worker's connection gives up on the lock after 0.2 s instead of 20 s, so the test is quick.
    options = connection.settings_dict["OPTIONS"]
    monkeypatch.setitem(options, "timeout", 0.2)
    monkeypatch.setitem(options, "init_command", options["init_command"].replace("20000", "200"))
    connection.close()
    holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.5, lambda: (holder.execute("COMMIT"), holder.close()))
    release.start()
    started = time.monotonic()
    try:
        run_worker_batch()
    finally:
        release.join()
        connection.close()

    assert time.monotonic() - started >= 1.5
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "PACIENCIA!"
