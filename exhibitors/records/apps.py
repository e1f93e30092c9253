from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "exhibitors.records"
    label = "records"
    verbose_name = _("Record log")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from exhibitors.records import signing

        # Fails at start-up, not at the first receipt, when the configured key is unusable.
        signing.signing_key()
