"""The site's URLs plus the do-nothing view every page's throughput is compared with (bench/settings.py points
ROOT_URLCONF here; the site itself never serves it)."""

from django.urls import path

from bench.views import plain
from cms.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("bench/plain", plain, name="bench_plain"), *site_urlpatterns]
