"""Wagtail admin for exhibitors: the booth applications screen and the chamber's audit-log actions.

Sectors and certifications are managed in the "Fair setup" menu, which fair.wagtail_hooks assembles.
"""

from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.permissions import policy_registry

from exhibitors.admin.applications import BoothApplicationViewSet, PendingApplicationsPanel
from exhibitors.admin.verification import CompanyViewSet
from exhibitors.models import BoothApplication
from exhibitors.services.closing import ACTION_CLOSE
from exhibitors.services.decisions import ACTION_APPROVE, ACTION_FEATURE, ACTION_REJECT, ACTION_UNFEATURE
from exhibitors.services.erasure import ACTION_ERASED
from exhibitors.services.verification import ACTION_UNVERIFY, ACTION_VERIFY


@hooks.register("register_admin_viewset")
def register_booth_applications():
    return BoothApplicationViewSet()


@hooks.register("register_admin_viewset")
def register_member_companies():
    return CompanyViewSet()


@hooks.register("construct_homepage_panels")
def add_pending_applications_panel(request, panels):
    if policy_registry.get_by_type(BoothApplication).user_has_permission(request.user, "change"):
        panels.append(PendingApplicationsPanel())


@hooks.register("register_permissions")
def register_booth_permissions():
    # Featuring a booth needs "change booth"; list it in the group editor next to the applications' ones.
    return Permission.objects.filter(content_type__app_label="exhibitors", codename="change_booth")


@hooks.register("register_log_actions")
def register_feria_log_actions(actions):
    actions.register_action(ACTION_APPROVE, _("Approve booth application"), _("Booth application approved"))
    actions.register_action(ACTION_FEATURE, _("Feature booth"), _("Booth featured by the chamber"))
    actions.register_action(ACTION_UNFEATURE, _("Stop featuring booth"), _("Booth no longer featured"))
    actions.register_action(ACTION_VERIFY, _("Verify chamber membership"), _("Chamber membership verified"))
    actions.register_action(
        ACTION_UNVERIFY, _("Withdraw membership verification"), _("Chamber membership verification withdrawn")
    )
    # Records that an account was erased, never what it held.
    actions.register_action(ACTION_ERASED, _("Erase account"), _("Account erased"))
    actions.register_action(ACTION_CLOSE, _("Close company"), _("Company closed by its owner"))

    @actions.register_action(ACTION_REJECT)
    class RejectFormatter(LogFormatter):
        label = _("Reject booth application")

        def format_message(self, log_entry):
            return _("Booth application rejected")

        def format_comment(self, log_entry):
            return log_entry.data.get("reason", "")
