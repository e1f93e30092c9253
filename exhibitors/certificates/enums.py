from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateKind(models.TextChoices):
    ORGANIC = "organic", _("Organic")
    FAIR_TRADE = "fair_trade", _("Fair trade")
    ISO_9001 = "iso_9001", _("ISO 9001 (quality management)")
    ISO_22000 = "iso_22000", _("ISO 22000 (food safety)")
    ISO_14001 = "iso_14001", _("ISO 14001 (environmental management)")
    HACCP = "haccp", _("HACCP")
    GLOBALGAP = "globalgap", _("GlobalG.A.P.")
    RAINFOREST = "rainforest", _("Rainforest Alliance")
    ORIGIN = "origin", _("Certificate of origin issued by the chamber")
    OTHER = "other", _("Other")


class OrganicScheme(models.TextChoices):
    EU = "eu", _("EU Organic")
    USDA_NOP = "usda_nop", _("USDA NOP")
    JAS = "jas", _("JAS (Japan)")
    COR = "cor", _("Canada Organic")
    OTHER = "other", _("Other organic scheme")


class CertificateStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")
