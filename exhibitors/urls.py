from django.urls import path

from exhibitors import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
]
