from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "fair.meetings"
    label = "meetings"
    verbose_name = _("Meetings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from fair.meetings.chat import register_meeting_kind
        from fair.meetings.selectors.calendar import (
            export_sections_register as calendar_export_sections_register,
        )
        from fair.meetings.selectors.exports import export_sections_register
        from fair.meetings.services.records import meeting_record_kinds_register

        register_meeting_kind()
        meeting_record_kinds_register()
        export_sections_register()
        calendar_export_sections_register()
        from exhibitors.services.closing import closing_handler_register
        from fair.meetings.services.closing import meetings_close_preview, meetings_company_close

        closing_handler_register(handler=meetings_company_close, preview=meetings_close_preview)
