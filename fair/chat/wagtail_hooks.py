"""Wagtail finds this module in every app; the chat's moderation admin lives in fair/chat/admin/, whose
modules register their hooks when imported."""

from fair.chat.admin import hooks  # noqa: F401
