from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "exhibitors.records"
    label = "records"
    verbose_name = _("Record log")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from exhibitors.records.selectors import export_sections_register

        export_sections_register()
        from django.conf import settings

        from exhibitors.records.signing import private_key_from_text

        # Fails at start-up, not at the first receipt, when the configured key is unusable.
        if getattr(settings, "FERIA_RECORDS_SIGNING_KEY", ""):
            private_key_from_text(settings.FERIA_RECORDS_SIGNING_KEY)
