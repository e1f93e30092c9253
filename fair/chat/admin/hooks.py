"""Wagtail admin for live chat: the chamber's queue of reported messages, and how chat actions read in the
audit log."""

from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from fair.chat.admin.moderation import ACTION_REPORT_DISMISSED, ACTION_REPORT_VIEWED, ChatReportViewSet


@hooks.register("register_admin_viewset")
def register_chat_reports():
    return ChatReportViewSet()


@hooks.register("register_permissions")
def register_chat_report_permissions():
    return Permission.objects.filter(
        content_type__app_label="chat", codename__in=["view_messagereport", "change_messagereport"]
    )


class _ReasonFormatter(LogFormatter):
    def format_comment(self, log_entry):
        return log_entry.data.get("reason", "") or log_entry.data.get("resolution", "")


@hooks.register("register_log_actions")
def register_chat_log_actions(actions):
    actions.register_action(
        ACTION_REPORT_VIEWED, _("View chat report"), _("Chat report and its messages viewed")
    )

    @actions.register_action("chat.message_hidden")
    class HiddenFormatter(_ReasonFormatter):
        label = _("Hide chat message")
        message = _("Chat message hidden by a moderator")

    @actions.register_action("chat.user_warning")
    class WarningFormatter(_ReasonFormatter):
        label = _("Warn chat user")
        message = _("Person warned about their chat messages")

    @actions.register_action("chat.user_block")
    class BlockFormatter(_ReasonFormatter):
        label = _("Block chat user")
        message = _("Person blocked from chat")

    actions.register_action("chat.user_unblock", _("Unblock chat user"), _("Chat block lifted"))

    @actions.register_action(ACTION_REPORT_DISMISSED)
    class DismissFormatter(_ReasonFormatter):
        label = _("Dismiss chat report")
        message = _("Chat report dismissed")
