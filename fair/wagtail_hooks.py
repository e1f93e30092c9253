"""Wagtail finds this module in every app; the fair admin lives in fair/admin/, whose modules register their
hooks when imported."""

from fair.admin import (
    hooks,  # noqa: F401
    translations,  # noqa: F401
)
