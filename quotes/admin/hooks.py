"""Wagtail admin for requests for quotation: one screen (and its attachments' downloads), for staff who may
view them."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from quotes.admin import requests as admin_views

admin_urls = (
    [
        path("", admin_views.requests_index, name="requests"),
        path(
            "<id:request_id>/attachments/<id:attachment_id>/",
            admin_views.request_attachment,
            name="attachment",
        ),
    ],
    "quotes_admin",
)


@hooks.register("register_admin_urls")
def register_quotes_admin_urls():
    return [path("quotes/", include(admin_urls))]


class PermissionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("quotes.view_quoterequest")


@hooks.register("register_admin_menu_item")
def register_quotes_menu_item():
    return PermissionMenuItem(
        _("Requests for quotation"), reverse("quotes_admin:requests"), icon_name="form", order=260
    )
