"""Shared fixtures. Tests that need PostgreSQL or Redis skip with a reason when the service is missing,
unless FERIA_REQUIRE_SERVICES=1 (CI), where a missing service fails the test instead."""

import os
import socket
import uuid

import pytest
from django.conf import settings

REQUIRE_SERVICES = os.environ.get("FERIA_REQUIRE_SERVICES", "") in {"1", "true", "yes"}


def service_missing(reason: str):
    """Skip, or fail when CI requires every service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def require_postgres():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        service_missing("PostgreSQL is not configured (set DATABASE_URL)")


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    if not port_open("127.0.0.1", 6379):
        service_missing("Redis is not running on 127.0.0.1:6379")
    return url


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached rows of one test's database mean nothing in the next.
    The chat's in-process send counts (used without Redis) go too: ids come back after a rollback."""
    from django.core.cache import cache

    from fair.chat.ratelimit import forget_local_counts

    cache.clear()
    forget_local_counts()
    yield
    cache.clear()
    forget_local_counts()


@pytest.fixture
def staff(db):
    from tests.factories.staff import ChamberStaffFactory

    return ChamberStaffFactory(email="staff@chamber.example")


@pytest.fixture
def staff_client(client, staff):
    """A chamber staff member signed in (the Wagtail admin)."""
    client.force_login(staff)
    return client


@pytest.fixture
def home_page(db):
    from cms.models import HomePage

    return HomePage.objects.get(depth=2)


def pytest_collection_modifyitems(config, items):
    """Browser tests last: their live server needs committed data, so they end by flushing the database."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session", autouse=True)
def _close_connection_pools(django_db_setup, django_db_blocker):
    """At the end of the run, close PostgreSQL connection pools (settings: OPTIONS["pool"]) before the test
    database is dropped; an idle pooled connection would keep it in use."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor == "postgresql" and connection.settings_dict["OPTIONS"].get("pool"):
                connection.close()  # hands this thread's connection back, so closing the pool closes it
                connection.close_pool()


@pytest.fixture
def page_cache(settings):
    """The page cache on with a long lifetime, in a private in-memory store (a shared Redis cache must not
    be flushed by tests). The test client builds its middleware at its first request, so a client made or
    first used after this sees it."""
    settings.FERIA_PAGE_CACHE_SECONDS = 3600
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"page-cache-{uuid.uuid4()}",
        }
    }
    return settings
