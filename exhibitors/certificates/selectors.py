"""Reads for certificates. `verified_certificates` is the one other pages use (booth, directory, quotes):
one query for any number of companies. Validity is computed from the date, never from a job having run."""

import uuid
from collections import defaultdict
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from exhibitors.certificates.enums import CertificateStatus
from exhibitors.certificates.models import Certificate
from exhibitors.models import Company


def valid_certificates_queryset(*, today: date | None = None) -> QuerySet[Certificate]:
    """Verified certificates not past their expiry date (today in the site's time zone)."""
    today = today or timezone.localdate()
    return Certificate.objects.filter(status=CertificateStatus.VERIFIED, expires_on__gte=today).order_by(
        "kind", "expires_on", "id"
    )


def verified_certificates(company_ids, *, today: date | None = None) -> dict[int, list[Certificate]]:
    """Each company's verified, unexpired certificates (company id -> list, [] for none), in one query."""
    ids = [pk for pk in company_ids if pk is not None]
    found: dict[int, list[Certificate]] = defaultdict(list)
    if ids:
        for certificate in valid_certificates_queryset(today=today).filter(company_id__in=ids):
            found[certificate.company_id].append(certificate)
    return {pk: found.get(pk, []) for pk in ids}


def verified_certificates_prefetch(lookup: str = "company__certificates") -> Prefetch:
    """For list pages that load booths or companies: one more query fills each company's
    `verified_certificates`."""
    return Prefetch(lookup, queryset=valid_certificates_queryset(), to_attr="verified_certificates")


def company_certificates(*, company: Company) -> list[Certificate]:
    """The company's certificates for its own page, newest first, with their file and products."""
    return list(
        company.certificates.select_related("file", "certification")
        .prefetch_related("products")
        .order_by("-created_at", "-id")
    )


def certificate_public(*, token: str) -> Certificate | None:
    """The certificate a public check link names, or None (for an unknown or malformed token)."""
    try:
        value = uuid.UUID(str(token))
    except ValueError:
        return None
    return Certificate.objects.select_related("company").filter(public_token=value).first()


def certificate_export_rows(*, company: Company) -> list[dict]:
    """The company export's "certificates" section (docs/privacy.md)."""
    return [
        {
            "kind": certificate.kind,
            "scheme": certificate.scheme,
            "name": certificate.name,
            "certification": certificate.certification.name if certificate.certification else "",
            "number": certificate.number,
            "issuer": certificate.issuer,
            "issued_on": certificate.issued_on,
            "expires_on": certificate.expires_on,
            "status": certificate.status,
            "verified_at": certificate.verified_at,
            "verified_chamber": certificate.verified_chamber,
            "rejection_reason": certificate.rejection_reason,
            "document": certificate.file.name,
            "products": [product.name for product in certificate.products.all()],
            "uploaded_at": certificate.created_at,
        }
        for certificate in company_certificates(company=company)
    ]
