from django.urls import include, path

urlpatterns = [
    path("", include("exhibitors.urls_accounts")),
    path("", include("exhibitors.urls_booths")),
]
