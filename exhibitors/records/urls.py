"""The record log's URLs: `wellknown_urlpatterns` unprefixed, `urlpatterns` under the language prefix."""

from django.urls import path

from exhibitors.records import views

app_name = "records"

urlpatterns = [
    path("records/verify/", views.verify, name="verify"),
    path("records/<id:position>/receipt/", views.receipt_download, name="receipt"),
]

wellknown_urlpatterns = [
    path(".well-known/feria-records-key", views.public_key, name="records_public_key"),
]
