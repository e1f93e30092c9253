"""Wagtail finds this module in every app; the complaints admin lives in complaints/admin/."""

from complaints.admin import hooks  # noqa: F401
