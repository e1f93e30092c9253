from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Unit(models.TextChoices):
    """Common trade units, by their UN/CEFACT Recommendation 20 codes."""

    KGM = "KGM", _("kilogram (kg)")
    TNE = "TNE", _("tonne (t)")
    GRM = "GRM", _("gram (g)")
    H87 = "H87", _("piece")
    C62 = "C62", pgettext_lazy("unit of measure", "unit")
    LTR = "LTR", _("litre (l)")
    MTQ = "MTQ", _("cubic metre (m³)")
    MTR = "MTR", _("metre (m)")
    MTK = "MTK", _("square metre (m²)")
    DZN = "DZN", _("dozen")
    PR = "PR", _("pair")
    BX = "BX", _("box")
    CT = "CT", _("carton")
    PK = "PK", _("pack")
    BG = "BG", _("bag")
    SA = "SA", _("sack")
    BO = "BO", _("bottle")
    CH = "CH", _("container")


class Incoterm(models.TextChoices):
    """Incoterms® 2020."""

    EXW = "EXW", _("EXW – Ex Works")
    FCA = "FCA", _("FCA – Free Carrier")
    CPT = "CPT", _("CPT – Carriage Paid To")
    CIP = "CIP", _("CIP – Carriage and Insurance Paid To")
    DAP = "DAP", _("DAP – Delivered at Place")
    DPU = "DPU", _("DPU – Delivered at Place Unloaded")
    DDP = "DDP", _("DDP – Delivered Duty Paid")
    FAS = "FAS", _("FAS – Free Alongside Ship")
    FOB = "FOB", _("FOB – Free on Board")
    CFR = "CFR", _("CFR – Cost and Freight")
    CIF = "CIF", _("CIF – Cost, Insurance and Freight")


class RequestStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("request for quotation", "Open")
    ACCEPTED = "accepted", pgettext_lazy("request for quotation", "Quote accepted")
    CLOSED = "closed", pgettext_lazy("request for quotation", "Closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("request for quotation", "Withdrawn")
    EXPIRED = "expired", pgettext_lazy("request for quotation", "Expired")


class QuoteStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("quote", "Submitted")
    ACCEPTED = "accepted", pgettext_lazy("quote", "Accepted")
    DECLINED = "declined", pgettext_lazy("quote", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("quote", "Withdrawn")
    EXPIRED = "expired", pgettext_lazy("quote", "Expired")


class PaymentRoute(models.TextChoices):
    CARD = "card", _("Card payment (payment request)")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    LETTER_OF_CREDIT = "letter_of_credit", _("Letter of credit")
