"""Wagtail finds this module in every app; the payments admin lives in payments/admin/, whose modules register
their hooks when imported."""

from payments.admin import booth_fees, events, hooks, orders  # noqa: F401
