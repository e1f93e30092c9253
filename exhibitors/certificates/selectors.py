"""Reads for certificates. `verified_certificates` is the one other pages use (booth, directory, quotes):
one query for any number of companies. Validity is computed from the date, never from a job having run."""

import uuid
from collections import defaultdict
from datetime import date

from django.db.models import Aggregate, JSONField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import JSONObject
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


class _JSONArrayAgg(Aggregate):
    """The rows' JSON objects as one JSON array (SQLite's json_group_array, PostgreSQL's jsonb_agg)."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


# What a badge needs, and nothing private.
BADGE_FIELDS = ("kind", "scheme", "name", "number", "public_token", "expires_on", "verified_chamber")


def verified_certificates_subquery(company_ref: str = "company_id", *, today: date | None = None) -> Subquery:
    """An annotation holding the company's verified, unexpired certificates as a JSON list, for a page
    that has no query to spare (the booth page): it rides on the page's own query. Turn it into
    certificates with `certificates_from_json`."""
    rows = (
        valid_certificates_queryset(today=today)
        .filter(company_id=OuterRef(company_ref))
        .order_by()
        .values("company_id")
        .annotate(items=_JSONArrayAgg(JSONObject(**{field: field for field in BADGE_FIELDS})))
        .values("items")
    )
    return Subquery(rows, output_field=JSONField())


def verified_certifications_subquery(
    company_ref: str = "company_id", *, today: date | None = None
) -> Subquery:
    """An annotation listing what the company's verified, unexpired certificates prove, for matchmaking:
    a JSON list of {"slug": certification slug, "product": a covered product's id, or null when the
    certificate names no products and so covers the company}. Read it with
    `verified_certifications_from_json`."""
    rows = (
        valid_certificates_queryset(today=today)
        .filter(company_id=OuterRef(company_ref), certification__isnull=False)
        .order_by()
        .values("company_id")
        .annotate(items=_JSONArrayAgg(JSONObject(slug="certification__slug", product="products")))
        .values("items")
    )
    return Subquery(rows, output_field=JSONField())


def verified_certifications_from_json(items) -> tuple[frozenset[str], dict[int, frozenset[str]]]:
    """(slugs proven for the whole company, slugs proven per product id)."""
    company: set[str] = set()
    products: dict[int, set[str]] = defaultdict(set)
    for item in items or []:
        if item.get("product") is None:
            company.add(item["slug"])
        else:
            products[int(item["product"])].add(item["slug"])
    return frozenset(company), {pk: frozenset(slugs) for pk, slugs in products.items()}


def certificates_from_json(items) -> list[Certificate]:
    """Unsaved Certificate objects (only the badge's fields) from `verified_certificates_subquery`."""
    found = []
    for item in items or []:
        found.append(
            Certificate(
                kind=item["kind"],
                scheme=item["scheme"] or "",
                name=item["name"] or "",
                number=item["number"],
                public_token=uuid.UUID(str(item["public_token"])),
                expires_on=date.fromisoformat(str(item["expires_on"])[:10]),
                verified_chamber=item["verified_chamber"] or "",
                status=CertificateStatus.VERIFIED,
            )
        )
    return sorted(found, key=lambda certificate: (certificate.kind, certificate.expires_on))


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
