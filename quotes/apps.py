from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuotesConfig(AppConfig):
    name = "quotes"
    label = "quotes"
    verbose_name = _("Requests for quotation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from quotes.chat import register_quote_kind

        register_quote_kind()
        from quotes.services.records import quote_record_kinds_register

        quote_record_kinds_register()
        from quotes.selectors.exports import export_sections_register

        export_sections_register()
