from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    label = "results"
    verbose_name = _("Results")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from results.selectors.outcomes import export_sections_register
        from results.selectors.report import report_sections_register

        report_sections_register()
        export_sections_register()
