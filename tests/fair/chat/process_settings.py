"""Settings of the daphne processes that tests/fair/chat/test_processes.py starts.

The test settings (same secret key, so the test's session cookies sign people in), on the database the test
process uses (its settings, JSON, in FERIA_PROCESS_DATABASE) and, when FERIA_PROCESS_REDIS_URL is set, a Redis
channel layer and cache of the test's own: a private channel and key prefix, so other runs on the same Redis
never see these messages.
"""

import json
import os

from cms.settings.test import *  # noqa: F403

DATABASES = {"default": json.loads(os.environ["FERIA_PROCESS_DATABASE"])}

_redis_url = os.environ.get("FERIA_PROCESS_REDIS_URL", "")
_prefix = os.environ.get("FERIA_PROCESS_PREFIX", "feria-test")
if _redis_url:
    from cms.settings.redis import redis_caches, redis_channel_layers

    CHANNEL_LAYERS = redis_channel_layers(_redis_url, prefix=_prefix)
    CACHES = redis_caches(_redis_url, key_prefix=_prefix)
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "fair.chat.layers.BoundedInMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Each line starts with its Unix time, so a test can tell what was logged when (tests/fair/chat/processes.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"timed": {"format": "%(created).3f %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "timed"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Short heartbeats, so a client that missed a broadcast notices within the test's patience.
FERIA_CHAT_HEARTBEAT_SECONDS = float(os.environ.get("FERIA_PROCESS_HEARTBEAT_SECONDS", "1"))
