from django.db import models
from django.utils.translation import gettext_lazy as _


class FairPhase(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    APPLICATIONS_OPEN = "applications_open", _("Applications open")
    LIVE = "live", _("Live")
    CLOSED = "closed", _("Closed")
