"""Wagtail admin for meetings (fair/meetings/admin/)."""

from fair.meetings.admin import hooks  # noqa: F401  (registers the hooks)
