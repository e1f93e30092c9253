"""The background task worker, made patient with a busy database.

django-tasks-db's worker skips a claim when SQLite says "database is locked", but the same error anywhere
else (opening the claim's transaction, a task's own writes, recording a result) ends the process. On the
embedded SQLite database a long write elsewhere can do that, so here every such error waits and retries with
backoff instead: the claim loop carries on, a task that met the lock runs again (its transaction was rolled
back), and a result is recorded once the lock is free. Other errors behave as before: the task is marked
failed and the worker moves on.
"""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, close_old_connections
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception

logger = logging.getLogger("feria.worker")

T = TypeVar("T")

# A task that keeps meeting the lock runs this many times before it is marked failed.
TASK_LOCKED_ATTEMPTS = 5
# Waits between attempts: 0.5 s, doubling, at most 30 s.
BACKOFF_FIRST = 0.5
BACKOFF_MAX = 30.0


def is_locked(error: BaseException) -> bool:
    return isinstance(error, OperationalError) and is_locked_database_exception(error)


def backoff(attempt: int) -> float:
    """Seconds to wait before retry number `attempt` (1, 2, ...)."""
    return min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** (attempt - 1))


class PatientWorker(Worker):
    """django-tasks-db's worker, retrying with backoff wherever the database is locked."""

    def _wait(self, attempt: int, what: str) -> None:
        delay = backoff(attempt)
        logger.warning("Database is locked (%s); retrying in %.1f s (attempt %d).", what, delay, attempt)
        close_old_connections()
        time.sleep(delay)

    def _until_unlocked(self, what: str, action: Callable[[], T]) -> T:
        attempt = 0
        while True:
            try:
                return action()
            except OperationalError as error:
                if not is_locked(error):
                    raise
                attempt += 1
                self._wait(attempt, what)

    def _record_failure(self, db_task_result: DBTaskResult, error: BaseException) -> None:
        self._until_unlocked("recording a failure", lambda: db_task_result.set_failed(error))

    def run(self) -> None:
        attempt = 0
        while self.running:
            try:
                super().run()
                return
            except OperationalError as error:
                if not is_locked(error):
                    raise
                attempt += 1
                self._wait(attempt, "claiming a task")
                # Claiming again right away: the first round's random delay is not needed twice.
                self.startup_delay = False

    def _call(self, db_task_result: DBTaskResult, task, task_result):
        attempt = 0
        while True:
            attempt += 1
            context = (TaskContext(task_result=task_result),) if task.takes_context else ()
            try:
                return task.call(*context, *task_result.args, **task_result.kwargs)
            except OperationalError as error:
                if not (is_locked(error) and attempt < TASK_LOCKED_ATTEMPTS and self.running):
                    raise
                self._wait(attempt, f"task {db_task_result.id}")

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the task, again after a wait if it met the lock (up to TASK_LOCKED_ATTEMPTS times), and record
        its result once the database lets us."""
        self.running_task = True
        try:
            try:
                task = db_task_result.task
                task_result = db_task_result.task_result
                backend_type = task.get_backend()
            except Exception as error:  # the task's code is gone or was renamed
                logger.exception("Task id=%s cannot be loaded", db_task_result.id)
                self._record_failure(db_task_result, error)
                return
            task_started.send(sender=backend_type, task_result=task_result)
            try:
                value = self._call(db_task_result, task, task_result)
                self._until_unlocked("recording a result", lambda: db_task_result.set_successful(value))
            except BaseException as error:  # noqa: BLE001 - recorded as the task's failure
                self._record_failure(db_task_result, error)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except Exception:
            logger.exception("Task id=%s failed unexpectedly", db_task_result.id)
        finally:
            self.running_task = False
            self._run_tasks += 1
