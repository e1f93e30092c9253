"""Certificates a company holds (organic, fair trade, ISO, HACCP, certificates of origin…), each with its
document in private storage, checked by chamber staff against the original (docs/certificates.md).

Whether a certificate counts is decided from its dates when it is read (`valid_on`): a verified certificate
stops counting the day after `expires_on`, whether or not the periodic job has marked it expired yet."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from exhibitors.certificates.enums import CertificateKind, CertificateStatus, OrganicScheme


class Certificate(models.Model):
    company = models.ForeignKey("exhibitors.Company", on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices)
    scheme = models.CharField(_("organic scheme"), max_length=20, choices=OrganicScheme.choices, blank=True)
    name = models.CharField(
        _("name"), max_length=120, blank=True, help_text=_("Only for “Other”: what the certificate is.")
    )
    # The entry of the chamber's certification list it proves (what buyers ask for in matchmaking).
    certification = models.ForeignKey(
        "exhibitors.Certification",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("certification it proves"),
    )
    number = models.CharField(_("certificate number"), max_length=80)
    issuer = models.CharField(_("issued by"), max_length=200)
    issued_on = models.DateField(_("issue date"))
    expires_on = models.DateField(_("expiry date"))
    file = models.ForeignKey("exhibitors.PrivateFile", on_delete=models.PROTECT, related_name="+")
    products = models.ManyToManyField(
        "exhibitors.Product", blank=True, related_name="certificates", verbose_name=_("products it covers")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.PENDING
    )
    # For the public check page: random, so certificates cannot be listed by counting.
    public_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_chamber = models.CharField(_("verified by chamber"), max_length=200, blank=True)
    verification_note = models.CharField(_("note"), max_length=300, blank=True)
    rejection_reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the company was told that it expires soon, so it is told once.
    expiry_notice_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["expires_on", "id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gte=F("issued_on")), name="certificate_expires_after_issue"
            ),
            models.CheckConstraint(
                condition=Q(status="verified", verified_at__isnull=False) | ~Q(status="verified"),
                name="certificate_verified_has_time",
            ),
        ]
        indexes = [models.Index(fields=["company", "status", "expires_on"], name="certificate_company_valid")]

    def __str__(self):
        return f"{self.title} {self.number}"

    @property
    def title(self) -> str:
        """What the certificate is, in the reader's language: "EU Organic", "ISO 9001 …", or its own name."""
        if self.kind == CertificateKind.ORGANIC and self.scheme:
            return str(self.get_scheme_display())
        if self.kind == CertificateKind.OTHER and self.name:
            return self.name
        return str(self.get_kind_display())

    def valid_on(self, day) -> bool:
        """Verified and not past its expiry date on `day` (the badge's rule)."""
        return self.status == CertificateStatus.VERIFIED and self.expires_on >= day
