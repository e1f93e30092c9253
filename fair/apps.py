from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairConfig(AppConfig):
    name = "fair"
    verbose_name = _("Fairs")
