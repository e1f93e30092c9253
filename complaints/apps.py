from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    label = "complaints"
    verbose_name = _("Complaints")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from complaints.selectors import booth_not_suspended_q, meeting_request_check
        from complaints.services.decisions import complaint_record_kinds_register
        from complaints.services.privacy import export_sections_register
        from exhibitors.selectors.booths import BOOTH_LIVE_RULES
        from fair.meetings.services.requests import MEETING_REQUEST_CHECKS

        if booth_not_suspended_q not in BOOTH_LIVE_RULES:
            BOOTH_LIVE_RULES.append(booth_not_suspended_q)
        if meeting_request_check not in MEETING_REQUEST_CHECKS:
            MEETING_REQUEST_CHECKS.append(meeting_request_check)
        complaint_record_kinds_register()
        export_sections_register()
