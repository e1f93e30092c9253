from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site")

    def ready(self):
        # Connect the receivers: cache invalidation, and group permissions for translated pages.
        from cms import cache_purge, chamber, signals  # noqa: F401
        from exhibitors.services.mail import chamber_name_source_register

        chamber_name_source_register(chamber.default_chamber_name)
        from exhibitors.two_factor import staff_requirement_source_register

        staff_requirement_source_register(chamber.staff_two_factor_required)
        # The anonymous page cache: which writes purge which pages (cms/cache_purge.py).
        cache_purge.connect()
