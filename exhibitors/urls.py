from django.urls import include, path

from exhibitors.views import files

urlpatterns = [
    path("", include("exhibitors.urls_accounts")),
    path("", include("exhibitors.urls_booths")),
    path("files/<uuid:public_id>/", files.private_file_download, name="private_file"),
]
