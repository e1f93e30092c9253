"""Wagtail finds this module in every app; the exhibitors admin lives in exhibitors/admin/, whose modules
register their hooks when imported."""

from exhibitors.admin import hooks  # noqa: F401
