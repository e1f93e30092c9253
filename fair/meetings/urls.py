"""Meeting pages, under the language prefix (cms.urls includes them before Wagtail's page tree)."""

from django.urls import path

from fair.meetings.views import agenda, calendar, calls, meetings, slots

app_name = "meetings"
urlpatterns = [
    path("meetings/", meetings.mine, name="mine"),
    path("meetings/day/", meetings.day, name="day"),
    path("meetings/day.pdf", agenda.day_pdf, name="day_pdf"),
    path("meetings/calendar/", calendar.feed_settings, name="feed_settings"),
    path("meetings/calendar/<str:token>.ics", calendar.feed, name="feed"),
    path("meetings/<uuid:uuid>/", meetings.detail, name="detail"),
    path("meetings/<uuid:uuid>/call/", calls.call_room, name="call"),
    path("meetings/<uuid:uuid>/meeting.ics", calendar.meeting_file, name="ics"),
    path("meetings/<uuid:uuid>/accept/", meetings.accept, name="accept"),
    path("meetings/<uuid:uuid>/decline/", meetings.decline, name="decline"),
    path("meetings/<uuid:uuid>/propose/", meetings.propose, name="propose"),
    path("meetings/<uuid:uuid>/cancel/", meetings.cancel, name="cancel"),
    path("meetings/<uuid:uuid>/held/", meetings.mark_held, name="held"),
    path("meetings/<uuid:uuid>/no-show/", meetings.mark_no_show, name="no_show"),
    path("meetings/company/<id:company_id>/", meetings.company_list, name="company"),
    path("meetings/company/<id:company_id>/day.pdf", agenda.company_day_pdf, name="company_day_pdf"),
    path("meetings/company/<id:company_id>/fair/<id:fair_id>/slots/", slots.company_slots, name="slots"),
    path("meetings/slots/<id:slot_id>/delete/", slots.slot_delete, name="slot_delete"),
    path("meetings/fair/<id:fair_id>/book/<id:company_id>/", slots.book, name="book"),
    path("meetings/fair/<id:fair_id>/availability/", slots.my_availability, name="availability"),
    path(
        "meetings/availability/<id:availability_id>/delete/",
        slots.availability_delete,
        name="availability_delete",
    ),
    path("meetings/fair/<id:fair_id>/buyers/", slots.buyers, name="buyers"),
    path(
        "meetings/fair/<id:fair_id>/buyers/<id:buyer_id>/",
        slots.buyer_availability,
        name="buyer_availability",
    ),
]
