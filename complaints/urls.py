"""The complaint pages (under the language prefix, namespace "complaints")."""

from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("complaints/", views.complaint_list, name="mine"),
    path("complaints/new/order/<int:key>/", views.complaint_new, {"kind": "order"}, name="new_order"),
    path("complaints/new/meeting/<uuid:key>/", views.complaint_new, {"kind": "meeting"}, name="new_meeting"),
    path(
        "complaints/new/conversation/<int:key>/",
        views.complaint_new,
        {"kind": "conversation"},
        name="new_conversation",
    ),
    path("complaints/<int:complaint_id>/", views.complaint_detail, name="detail"),
    path("complaints/<int:complaint_id>/feedback/", views.complaint_feedback_view, name="feedback"),
    path(
        "complaints/<int:complaint_id>/evidence/<int:evidence_id>/",
        views.evidence_download,
        name="evidence",
    ),
]
