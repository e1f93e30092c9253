from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExhibitorsConfig(AppConfig):
    name = "exhibitors"
    verbose_name = _("Exhibitors")

    def ready(self):
        from exhibitors.converters import converters_register

        converters_register()
        from exhibitors.signin import connect_receivers

        connect_receivers()
        from exhibitors.selectors.exports import export_sections_register
        from exhibitors.two_factor import connect_receivers as connect_two_factor_receivers

        export_sections_register()
        connect_two_factor_receivers()
