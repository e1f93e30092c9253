"""The test suite. Tasks run immediately, e-mail goes to the outbox, passwords hash fast."""

import os
import tempfile

from cms.settings.base import *  # noqa: F403
from cms.settings.base import DATABASES

SECRET_KEY = "test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = os.environ.get("FERIA_MEDIA_ROOT") or tempfile.mkdtemp(prefix="feria-test-media-")
FERIA_PRIVATE_ROOT = tempfile.mkdtemp(prefix="feria-test-private-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": FERIA_PRIVATE_ROOT, "base_url": None},
    },
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # One file per test run: several runs on one machine must never share (and delete) each other's database.
    # A file, never ":memory:": the browser tests' live server thread then opens its own connection instead
    # of sharing the test thread's, which SQLite does not survive.
    _test_db = os.path.join(tempfile.gettempdir(), f"feria-test-{os.getpid()}.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": _test_db}
    DATABASES["default"]["NAME"] = _test_db
WHITENOISE_AUTOREFRESH = True
# Booth-view counters in the test process's memory (results/counting.py), emptied with the default cache.
if "results" in CACHES:  # noqa: F405
    CACHES["results"] = {  # noqa: F405
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "results-counters",
    }
