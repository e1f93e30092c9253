"""Wagtail finds this module in every app; the site's own admin hooks live in cms/admin/, whose modules
register their hooks when imported."""

from cms.admin import hooks  # noqa: F401
