from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "fair.chat"
    label = "chat"
    verbose_name = _("Live chat")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Messages go into people's and companies' data exports (fair/chat/selectors/exports.py).
        from fair.chat.selectors.exports import export_sections_register

        export_sections_register()
