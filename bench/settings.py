"""`make bench` runs the site with the production settings on loopback, plus the comparison view.

The runner (bench/__main__.py) sets the environment: secret key, hosts, database, media and static roots.
"""

import os

from cms.settings.production import *  # noqa: F403

FERIA_BENCH = True
ROOT_URLCONF = "bench.urls"  # the site's URLs plus /bench/plain
# Plain HTTP on loopback: no redirect to HTTPS, no HSTS.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
STATIC_ROOT = os.environ["FERIA_BENCH_STATIC_ROOT"]

# The chat benchmark (bench/chat.py) runs on a shared Redis: a channel and cache prefix of the run's own.
_bench_prefix = os.environ.get("FERIA_BENCH_REDIS_PREFIX", "")
if _bench_prefix and REDIS_URL:  # noqa: F405
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = _bench_prefix  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = _bench_prefix  # noqa: F405
