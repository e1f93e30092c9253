from django.urls import path

from exhibitors.certificates import views

urlpatterns = [
    path("companies/<id:company_id>/certificates/", views.certificate_list, name="certificate_list"),
    path(
        "companies/<id:company_id>/certificates/<id:certificate_id>/remove/",
        views.certificate_remove,
        name="certificate_remove",
    ),
    path("certificates/<str:token>/", views.certificate_check, name="certificate_check"),
]
