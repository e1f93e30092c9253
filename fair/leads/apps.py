from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "fair.leads"
    label = "leads"
    verbose_name = _("Leads")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from exhibitors.services.exports import export_section_register
        from fair.leads.selectors import company_leads_export

        export_section_register("leads", company=company_leads_export)
