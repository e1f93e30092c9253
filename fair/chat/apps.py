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
        from exhibitors.services.closing import closing_handler_register
        from fair.chat.services.closing import chat_close_preview, chat_company_close

        # Last, so the cancellation cards of meetings and payments still reach the conversation.
        closing_handler_register(handler=chat_company_close, preview=chat_close_preview, order=90)
