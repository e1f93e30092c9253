"""Choices of the results app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutcomeResult(models.TextChoices):
    """What came of a held meeting, as one side tells it."""

    DEAL = "deal", _("A deal")
    SAMPLE_ORDER = "sample_order", _("A sample order")
    LETTER_OF_INTENT = "letter_of_intent", _("A letter of intent")
    NOTHING = "nothing", _("Nothing (yet)")


class OutcomeRound(models.IntegerChoices):
    """When the survey asks: right after the fair, and again about six months later, when deals that were
    only projected at the fair have happened or not."""

    AFTER_FAIR = 1, _("Right after the fair")
    SIX_MONTHS = 2, _("Six months on")


class OutcomeSide(models.TextChoices):
    """The two parties of a meeting (the same values as the meetings' sides)."""

    BUYER = "buyer", _("Buyer")
    COMPANY = "company", _("Exhibitor")
