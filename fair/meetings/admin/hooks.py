"""Wagtail admin hooks for meetings: the chamber's meetings overview with repeated no-shows."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from fair.meetings.admin import views


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_urls")
def register_meetings_admin_urls():
    return [path("meetings/no-shows/", views.no_shows, name="meetings_admin_no_shows")]


@hooks.register("register_admin_menu_item")
def register_meetings_menu_item():
    return PermissionMenuItem(
        _("Meetings"),
        reverse("meetings_admin_no_shows"),
        icon_name="date",
        order=260,
        permission=views.PERMISSION,
    )


@hooks.register("register_permissions")
def register_meetings_permissions():
    return Permission.objects.filter(content_type__app_label="meetings", codename="view_meeting")
