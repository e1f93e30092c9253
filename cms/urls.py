from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from exhibitors.records import urls as records_urls
from payments import urls as payments_urls

# Unprefixed: admin, documents, media, health, Stripe's webhook (and later sockets).
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", cms_views.healthz, name="healthz"),
    path("", include(payments_urls.webhook_urlpatterns)),
    path("", include(records_urls.wellknown_urlpatterns)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
else:
    urlpatterns += [path("media/<path:path>", cms_views.media, name="media")]

# Language-prefixed pages: /es/..., /fr/...
urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("", include("exhibitors.urls")),
    path("", include("fair.urls")),
    path("", include("fair.chat.urls")),
    path("", include("fair.matchmaking.urls")),
    path("", include("fair.meetings.urls")),
    path("", include("fair.leads.urls")),
    path("", include("payments.urls")),
    path("", include("complaints.urls")),
    path("", include("quotes.urls")),
    path("", include("results.urls")),
    path("", include("exhibitors.records.urls")),
    path("", include("exhibitors.certificates.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
