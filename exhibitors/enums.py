from django.db import models
from django.utils.translation import gettext_lazy as _


class MembershipRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    STAFF = "staff", _("Staff")


class CompanySize(models.TextChoices):
    MICRO = "micro", _("Micro (1–9 people)")
    SMALL = "small", _("Small (10–49 people)")
    MEDIUM = "medium", _("Medium (50–249 people)")
    LARGE = "large", _("Large (250 people or more)")


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConsentKind(models.TextChoices):
    TERMS = "terms", _("Terms of use")
    PRIVACY = "privacy", _("Privacy notice")
    MARKETING = "marketing", _("E-mails about fairs")
    DISCOVERABLE = "discoverable", _("Exhibitors may find me among recommended buyers")
    CONTACT_SHARING = "contact_sharing", _("Sharing my contact details with companies I talk to")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class AccountKind(models.TextChoices):
    EXHIBITOR = "exhibitor", _("Exhibitor (I represent an SME)")
    BUYER = "buyer", _("Buyer")


class OrderSize(models.TextChoices):
    """How much a buyer usually orders; matchmaking compares it with exhibitors' minimum orders."""

    SMALL = "small", _("Small lots and samples")
    MEDIUM = "medium", _("Pallets")
    LARGE = "large", _("Full containers")


class DataExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be prepared")
    RUNNING = "running", _("Being prepared")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Could not be prepared")
