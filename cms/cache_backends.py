"""The site's Redis cache, which never turns a Redis outage into an error page.

Everything kept in the cache can be worked out again from the database (the chamber's settings, rendered
pages, reply times), so while Redis does not answer each call behaves as on a cache that holds nothing:
reads miss (callers read the database), writes and deletes do nothing, `add` says the key is taken (so
"at most one per N seconds" throttles stay quiet) and `incr` says the key is missing (ValueError, as Django
documents). The first failure is logged once per outage and process, and for a second after it calls do not
even try (fair/chat/outage.py), so pages do not each wait for their own connection error.

Stale pooled connections after Redis comes back are handled by the connection options in
cms/settings/redis.py (a health check before a connection idle too long is reused, one retry on a
connection error).
"""

import functools

from django.core.cache.backends.redis import RedisCache

from fair.chat.outage import REDIS_DOWN_ERRORS, cache_outage


def _fail_soft(fallback):
    """Run the cache call; on a Redis connection error (or during a known outage) return `fallback(...)`."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if cache_outage.skip():
                return fallback(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except REDIS_DOWN_ERRORS as error:
                cache_outage.failed(error)
                return fallback(*args, **kwargs)
            cache_outage.succeeded()
            return result

        return wrapper

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _empty(*args, **kwargs):
    return {}


def _all_failed(data, *args, **kwargs):
    return list(data)


def _missing(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (the cache is unavailable).")


class FailSoftRedisCache(RedisCache):
    """Django's RedisCache; while Redis cannot be reached, an empty cache instead of an exception."""

    get = _fail_soft(_default)(RedisCache.get)
    get_many = _fail_soft(_empty)(RedisCache.get_many)
    has_key = _fail_soft(_false)(RedisCache.has_key)
    set = _fail_soft(_nothing)(RedisCache.set)
    set_many = _fail_soft(_all_failed)(RedisCache.set_many)
    add = _fail_soft(_false)(RedisCache.add)
    touch = _fail_soft(_false)(RedisCache.touch)
    delete = _fail_soft(_false)(RedisCache.delete)
    delete_many = _fail_soft(_nothing)(RedisCache.delete_many)
    incr = _fail_soft(_missing)(RedisCache.incr)
    clear = _fail_soft(_false)(RedisCache.clear)
