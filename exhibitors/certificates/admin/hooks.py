"""The certificates admin screen and its audit-log actions."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from exhibitors.certificates.admin.certificates import CertificateViewSet
from exhibitors.certificates.services import ACTION_EXPIRE, ACTION_REJECT, ACTION_UNVERIFY, ACTION_VERIFY


@hooks.register("register_admin_viewset")
def register_certificates():
    return CertificateViewSet()


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    actions.register_action(
        ACTION_UNVERIFY, _("Withdraw certificate verification"), _("Certificate verification withdrawn")
    )
    actions.register_action(ACTION_EXPIRE, _("Mark certificate expired"), _("Certificate expired"))

    @actions.register_action(ACTION_VERIFY)
    class VerifyFormatter(LogFormatter):
        label = _("Verify certificate")

        def format_message(self, log_entry):
            return _("Certificate verified against the original")

        def format_comment(self, log_entry):
            return log_entry.data.get("note", "")

    @actions.register_action(ACTION_REJECT)
    class RejectFormatter(LogFormatter):
        label = _("Reject certificate")

        def format_message(self, log_entry):
            return _("Certificate rejected")

        def format_comment(self, log_entry):
            return log_entry.data.get("reason", "")
