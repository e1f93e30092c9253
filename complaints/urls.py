"""The complaint pages (under the language prefix, namespace "complaints")."""

from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("complaints/", views.complaint_list, name="mine"),
    path("complaints/new/order/<id:key>/", views.complaint_new, {"kind": "order"}, name="new_order"),
    path("complaints/new/meeting/<uuid:key>/", views.complaint_new, {"kind": "meeting"}, name="new_meeting"),
    path(
        "complaints/new/conversation/<id:key>/",
        views.complaint_new,
        {"kind": "conversation"},
        name="new_conversation",
    ),
    path("complaints/<id:complaint_id>/", views.complaint_detail, name="detail"),
    path("complaints/<id:complaint_id>/feedback/", views.complaint_feedback_view, name="feedback"),
    path(
        "complaints/<id:complaint_id>/evidence/<id:evidence_id>/",
        views.evidence_download,
        name="evidence",
    ),
]
