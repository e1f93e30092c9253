"""Wagtail finds this module in every app; the results admin lives in results/admin/."""

from results.admin import report  # noqa: F401
