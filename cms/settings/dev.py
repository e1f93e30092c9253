"""Local development: `make run`. DEBUG on, console e-mail, a fixed local secret."""

import os

from cms.settings.base import *  # noqa: F403
from cms.settings.base import env_list

DEBUG = True
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-not-secret-7f3c1a9e")
# Never "*": the WebSocket origin check compares against this list.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
