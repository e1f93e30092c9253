"""Wagtail finds this module in every app; the certificates admin lives in exhibitors/certificates/admin/."""

from exhibitors.certificates.admin import hooks  # noqa: F401
