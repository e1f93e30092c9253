import uuid
from datetime import UTC, datetime

import pytest
from django.core.cache import caches

from cms.cache import CACHE_HEADER
from results.counting import KEY_VIEWS, booth_view_count, counter_cache, hour_key
from results.models import BoothDailyViews
from results.services.views import booth_views_flush
from tests.factories.exhibitors import BoothFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    """The anonymous page cache on, with the default and counter caches in private memory."""
    settings.FERIA_PAGE_CACHE_SECONDS = 60
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"page-cache-{uuid.uuid4()}",
        },
        "results": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"counters-{uuid.uuid4()}",
        },
    }
    return settings


def live_booth():
    booth = BoothFactory(status="approved")
    return booth


def beacon_url(booth) -> str:
    return f"/en/v/booth/{booth.pk}.gif"


def test_booth_page_served_from_cache_still_counts_each_view_through_the_beacon(
    page_cache, client, home_page
):
    booth = live_booth()
    url = f"/en/{booth.fair.slug}/booths/{booth.company.slug}/"
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == 200 and first[CACHE_HEADER] == "miss"
    assert second[CACHE_HEADER] == "hit"
    # The cached page carries the beacon, which the browser fetches on every view.
    assert f'src="{beacon_url(booth)}"' in second.content.decode()

    for _ in range(2):
        pixel = client.get(beacon_url(booth))
        assert pixel.status_code == 200
        assert pixel["Content-Type"] == "image/gif"
        assert "no-store" in pixel["Cache-Control"]
        assert CACHE_HEADER not in pixel
    booth_views_flush()

    row = BoothDailyViews.objects.get(booth=booth)
    assert (row.views, row.unique_visitors) == (2, 1)


def test_beacon_touches_no_database(page_cache, client, django_assert_num_queries):
    booth = live_booth()
    with django_assert_num_queries(0):
        response = client.get(beacon_url(booth), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    assert BoothDailyViews.objects.count() == 0


def test_unique_visitors_are_counted_once_a_day_by_a_hash_never_by_the_address(page_cache):
    booth = live_booth()
    now = datetime(2026, 3, 10, 15, 5, tzinfo=UTC)
    for address in ("203.0.113.9", "203.0.113.9", "198.51.100.7"):
        booth_view_count(booth_id=booth.pk, address=address, user_agent="Firefox", now=now)
    cache = counter_cache()
    assert cache.get(KEY_VIEWS.format(booth=booth.pk, hour=hour_key(now))) == 3
    stored = caches["results"]._cache  # the private in-memory store of this test
    assert not any("203.0.113.9" in str(key) for key in stored)

    booth_views_flush(now=now)

    row = BoothDailyViews.objects.get(booth=booth)
    assert (row.views, row.unique_visitors) == (3, 2)


def test_flush_adds_only_what_was_counted_since_and_uses_the_fairs_day(page_cache):
    booth = live_booth()  # the factory's fair is in America/Lima (UTC-5)
    late = datetime(2026, 3, 11, 2, 30, tzinfo=UTC)  # 10 March, 21:30 in Lima
    booth_view_count(booth_id=booth.pk, address="a", user_agent="x", now=late)
    booth_views_flush(now=late)
    booth_views_flush(now=late)  # nothing new: nothing added
    booth_view_count(booth_id=booth.pk, address="b", user_agent="x", now=late)
    booth_views_flush(now=late)

    rows = list(BoothDailyViews.objects.values_list("day", "views", "unique_visitors"))
    assert [(str(day), views, unique) for day, views, unique in rows] == [("2026-03-10", 2, 2)]


def test_beacon_refuses_other_methods_and_foreign_ids_cost_nothing(page_cache, client):
    assert client.post("/en/v/booth/1.gif").status_code == 405
    assert client.get("/en/v/booth/abc.gif").status_code == 404
    assert client.get("/en/v/booth/999999.gif").status_code == 200
    booth_views_flush()
    assert BoothDailyViews.objects.count() == 0


def test_counting_and_flush_on_redis(settings, redis_url):
    """The same counters on the site's Redis cache (atomic incr/decr), under a key prefix of this test, on
    the Redis database REDIS_URL names (never a default one); its keys are deleted afterwards."""
    import os

    import redis

    from cms.settings.redis import redis_caches

    if not os.environ.get("REDIS_URL"):
        pytest.skip("set REDIS_URL to the Redis database the tests may use")
    prefix = f"results-test-{uuid.uuid4()}"
    settings.CACHES = {**redis_caches(redis_url, key_prefix=prefix)}
    client = redis.Redis.from_url(redis_url)
    try:
        _count_and_flush_twice()
    finally:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def _count_and_flush_twice():
    booth = live_booth()
    now = datetime(2026, 3, 10, 15, 5, tzinfo=UTC)
    for address in ("203.0.113.9", "203.0.113.9", "198.51.100.7"):
        booth_view_count(booth_id=booth.pk, address=address, user_agent="Firefox", now=now)

    booth_views_flush(now=now)
    booth_view_count(booth_id=booth.pk, address="192.0.2.1", user_agent="Firefox", now=now)
    booth_views_flush(now=now)

    row = BoothDailyViews.objects.get(booth=booth)
    assert (row.views, row.unique_visitors) == (4, 3)
    assert counter_cache().get(KEY_VIEWS.format(booth=booth.pk, hour=hour_key(now))) == 0
