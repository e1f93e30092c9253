"""Choices of the results app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutcomeResult(models.TextChoices):
    """What came of a held meeting, as one side tells it."""

    DEAL = "deal", _("A deal")
    SAMPLE_ORDER = "sample_order", _("A sample order")
    LETTER_OF_INTENT = "letter_of_intent", _("A letter of intent")
    NOTHING = "nothing", _("Nothing (yet)")


class OutcomeSide(models.TextChoices):
    """The two parties of a meeting (the same values as the meetings' sides)."""

    BUYER = "buyer", _("Buyer")
    COMPANY = "company", _("Exhibitor")
