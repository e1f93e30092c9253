"""The chat's pages, under the language prefix (cms.urls includes them before Wagtail's page tree)."""

from django.urls import path

from fair.chat import views

app_name = "chat"
urlpatterns = [
    path("chat/", views.inbox, name="inbox"),
    path("chat/start/<id:booth_pk>/", views.conversation_start, name="start"),
    path("chat/conversations/<id:pk>/", views.conversation_detail, name="conversation"),
    path("chat/conversations/<id:pk>/send/", views.message_send, name="send"),
    path("chat/conversations/<id:pk>/read/", views.conversation_read, name="read"),
    path("chat/conversations/<id:pk>/block/", views.conversation_block, name="block"),
    path("chat/conversations/<id:pk>/unblock/", views.conversation_unblock, name="unblock"),
    path(
        "chat/conversations/<id:pk>/messages/<id:message_pk>/report/",
        views.message_report,
        name="report",
    ),
    path(
        "chat/conversations/<id:pk>/messages/<id:message_pk>/fragment/",
        views.message_fragment,
        name="fragment",
    ),
]
