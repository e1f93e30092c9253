"""Retention: what is kept only for a limited time, deleted by the periodic job `privacy_retention`
(cms/periodic.py). Each rule deletes what is past its time and says how many went; the apps above this one
add their own rules to RETENTION_RULES from their AppConfig.ready(). The table is in docs/privacy.md."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from exhibitors.services.exports import exports_expire

logger = logging.getLogger("feria.privacy")

# Finished background tasks keep their arguments: rendered e-mails (addresses, chat alerts, receipts).
TASK_RESULTS_KEPT_FOR = timedelta(days=30)


@dataclass(frozen=True)
class RetentionRule:
    name: str
    delete: Callable[[datetime], int]


def _exports(now: datetime) -> int:
    return exports_expire(now=now)


def _sessions(now: datetime) -> int:
    deleted, _per_model = Session.objects.filter(expire_date__lt=now).delete()
    return deleted


def _task_results(now: datetime) -> int:
    deleted, _per_model = DBTaskResult.objects.filter(
        finished_at__isnull=False, finished_at__lt=now - TASK_RESULTS_KEPT_FOR
    ).delete()
    return deleted


RETENTION_RULES: list[RetentionRule] = [
    RetentionRule("data_exports", _exports),
    RetentionRule("sessions", _sessions),
    RetentionRule("task_results", _task_results),
]


def retention_rule_register(name: str, delete: Callable[[datetime], int]) -> None:
    """Add a rule (`delete(now)` removes what is past its time and returns how many went)."""
    if all(rule.name != name for rule in RETENTION_RULES):
        RETENTION_RULES.append(RetentionRule(name, delete))


def retention_run(*, now: datetime | None = None) -> dict[str, int]:
    """Apply every rule; a failing rule is logged and the others still run. Returns name -> deleted."""
    now = now or timezone.now()
    counts = {}
    for rule in RETENTION_RULES:
        try:
            counts[rule.name] = rule.delete(now)
        except Exception:
            logger.exception("retention rule %s failed", rule.name)
    return counts
