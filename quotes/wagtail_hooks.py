"""Wagtail finds this module in every app; the quotes admin lives in quotes/admin/."""

from quotes.admin import hooks  # noqa: F401
