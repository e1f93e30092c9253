"""Sign-up follow-up, company profile, colleagues, buyer profile, dashboard."""

from django.urls import path

from exhibitors.views import accounts

urlpatterns = [
    path("dashboard/", accounts.dashboard, name="dashboard"),
]
