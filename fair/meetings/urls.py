"""The meetings' pages, under the language prefix (cms.urls includes them before Wagtail's page tree)."""

from django.urls import path

from fair.meetings.views import calls

app_name = "meetings"
urlpatterns = [
    path("meetings/<uuid:uuid>/call/", calls.call_room, name="call"),
]
