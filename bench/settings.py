"""`make bench` runs the site with the production settings on loopback, plus the comparison view.

The runner (bench/__main__.py) sets the environment: secret key, hosts, database, media and static roots.
"""

import os

from cms.settings.production import *  # noqa: F403

FERIA_BENCH = True
# Plain HTTP on loopback: no redirect to HTTPS, no HSTS.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
STATIC_ROOT = os.environ["FERIA_BENCH_STATIC_ROOT"]
