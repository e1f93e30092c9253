from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "fair.meetings"
    label = "meetings"
    verbose_name = _("Meetings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from fair.meetings.chat import register_meeting_kind

        register_meeting_kind()
        from fair.meetings.selectors.calendar import export_sections_register

        export_sections_register()
