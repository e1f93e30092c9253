"""Wagtail admin for complaints: the queue in the menu (for staff allowed to view complaints)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from complaints.admin import queue

admin_urls = (
    [
        path("", queue.queue, name="queue"),
        path("<id:complaint_id>/", queue.detail, name="detail"),
        path("<id:complaint_id>/refund/", queue.refund, name="refund"),
        path("<id:complaint_id>/lift/", queue.lift, name="lift"),
        path("<id:complaint_id>/evidence/<id:evidence_id>/", queue.evidence, name="evidence"),
    ],
    "complaints_admin",
)


@hooks.register("register_admin_urls")
def register_complaints_admin_urls():
    return [path("complaints/", include(admin_urls))]


class ComplaintsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("complaints.view_complaint")


@hooks.register("register_admin_menu_item")
def register_complaints_menu_item():
    return ComplaintsMenuItem(
        _("Complaints"), reverse("complaints_admin:queue"), icon_name="warning", order=260
    )
