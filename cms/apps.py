from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site")

    def ready(self):
        from cms import chamber  # connects the cache invalidation receivers
        from exhibitors.mail import chamber_name_source_register

        chamber_name_source_register(chamber.default_chamber_name)
