from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageKind(models.TextChoices):
    """What a message carries. Rendering and who may send it go by kind (fair/chat/kinds.py)."""

    TEXT = "text", _("Text")
    PAYMENT_REQUEST = "payment_request", _("Payment request")
    MEETING_PROPOSAL = "meeting_proposal", _("Meeting proposal")
    QUOTE = "quote", _("Quote")


class Side(models.TextChoices):
    """The two sides of a conversation."""

    BUYER = "buyer", _("Buyer")
    COMPANY = "company", _("Exhibitor")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DISMISSED = "dismissed", _("Dismissed")
    ACTIONED = "actioned", _("Action taken")


class SanctionKind(models.TextChoices):
    WARNING = "warning", _("Warning")
    BLOCK = "block", _("Blocked from chat")
