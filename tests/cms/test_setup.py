import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.conftest import REQUIRE_SERVICES


def test_services_match_environment():
    """In CI the suite must really run on PostgreSQL and Redis, not fall back silently."""
    if not REQUIRE_SERVICES:
        pytest.skip("only meaningful when FERIA_REQUIRE_SERVICES=1")
    if os.environ.get("DATABASE_URL"):
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    if os.environ.get("REDIS_URL"):
        from channels.layers import get_channel_layer
        from channels_redis.pubsub import RedisPubSubChannelLayer

        assert isinstance(get_channel_layer(), RedisPubSubChannelLayer)


def test_embedded_default_is_sqlite_and_in_memory_layer():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; "
        "print(d['ENGINE'], d['OPTIONS']['transaction_mode'], "
        "s.CHANNEL_LAYERS['default']['BACKEND'], ','.join(s.ALLOWED_HOSTS))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "IMMEDIATE",
        "fair.chat.layers.BoundedInMemoryChannelLayer",
        "127.0.0.1,localhost,[::1]",
    ]


def test_home_page_serves_in_default_language(client, home_page):
    response = client.get("/en/")
    assert response.status_code == 200
    assert b'<html lang="en">' in response.content
