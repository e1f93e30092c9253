from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairConfig(AppConfig):
    name = "fair"
    verbose_name = _("Fairs")

    def ready(self):
        # A person's favourites go into their data export and are deleted when their account is erased.
        from exhibitors.services.erasure import ERASURE_HOOKS
        from fair import holes  # noqa: F401  (registers the public pages' personal parts)
        from fair.selectors.exports import export_sections_register
        from fair.services import favourites_erase

        export_sections_register()
        if favourites_erase not in ERASURE_HOOKS:
            ERASURE_HOOKS.append(favourites_erase)
