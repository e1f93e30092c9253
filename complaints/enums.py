from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SubjectKind(models.TextChoices):
    ORDER = "order", pgettext_lazy("what is owed", "Order")
    MEETING = "meeting", _("Meeting")
    CONVERSATION = "conversation", _("Chat conversation")


class Side(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    COMPANY = "company", _("Exhibitor")


class Wish(models.TextChoices):
    REFUND = "refund", _("A refund")
    REPLACEMENT = "replacement", _("A replacement")
    APOLOGY = "apology", _("An apology")
    OTHER = "other", _("Something else")


class Status(models.TextChoices):
    AWAITING_ANSWER = "awaiting", _("Awaiting the other party's answer")
    ANSWERED = "answered", _("Answered")
    MEDIATION = "mediation", _("In mediation by the chamber")
    DECIDED = "decided", _("Decided")


OPEN_STATUSES = [Status.AWAITING_ANSWER, Status.ANSWERED, Status.MEDIATION]


class Outcome(models.TextChoices):
    AGREEMENT = "agreement", _("Resolved by agreement")
    REFUND = "refund", _("Refund recommended")
    WARNING = "warning", _("Warning")
    SUSPENSION = "suspension", _("Suspension from the fair")


class Audience(models.TextChoices):
    BOTH = "both", _("Both parties")
    BUYER = "buyer", _("The buyer only")
    COMPANY = "company", _("The exhibitor only")


class EntryKind(models.TextChoices):
    OPENED = "opened", _("Complaint opened")
    ANSWER = "answer", _("Answer")
    MESSAGE = "message", _("Message")
    OVERDUE = "overdue", _("Answer deadline missed")
    DECISION = "decision", _("Decision")
    REFUND = "refund", _("Refund issued")
    FEEDBACK = "feedback", _("Feedback")
    SUSPENSION_LIFTED = "lifted", _("Suspension lifted")
