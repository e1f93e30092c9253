"""The demo seed's certificates step: the demo coffee exporter holds a chamber-verified EU Organic
certificate (a badge on its booth, a QR code in the catalogue), the cacao exporter a Fairtrade certificate
still waiting for the chamber's check, and the grains exporter an organic certificate that has expired.
A certificate already there (same company and number) is skipped, so a second run changes nothing."""

import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from exhibitors.certificates.enums import CertificateKind, OrganicScheme
from exhibitors.certificates.models import Certificate
from exhibitors.certificates.services import certificate_add, certificate_verify, certificates_expire
from exhibitors.models import Certification, Company

# (company slug, kind, scheme, certification slug, number, issuer, issued days ago, valid days from issue,
# verified by the chamber)
DEMO_CERTIFICATES = (
    (
        "cafetalera-selva-alta",
        CertificateKind.ORGANIC,
        OrganicScheme.EU,
        "organic-eu",
        "PE-BIO-149.02-0001234",
        "Control Union Perú S.A.C.",
        120,
        365,
        True,
    ),
    (
        "kallpa-cacao-peru",
        CertificateKind.FAIR_TRADE,
        "",
        "fairtrade",
        "FLO-ID 38211",
        "FLOCERT GmbH",
        60,
        1095,
        False,
    ),
    (
        "altiplano-granos-andinos",
        CertificateKind.ORGANIC,
        OrganicScheme.USDA_NOP,
        "usda-organic",
        "NOP-PE-2023-0457",
        "BCS Öko-Garantie Perú",
        500,
        365,
        False,
    ),
)


def _document(company: Company, number: str) -> SimpleUploadedFile:
    """A one-page PDF standing in for the scanned certificate."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    page.setFont("Helvetica", 14)
    page.drawString(72, 760, "Certificate (demo)")
    page.setFont("Helvetica", 11)
    page.drawString(72, 730, f"{company.legal_name} - No. {number}")
    page.showPage()
    page.save()
    return SimpleUploadedFile("certificate.pdf", buffer.getvalue(), content_type="application/pdf")


def certificates_seed(seeder) -> None:
    staff = seeder.people["staff"]
    owner = seeder.people["owner"]
    today = timezone.localdate()
    for slug, kind, scheme, certification, number, issuer, age, valid_days, verify in DEMO_CERTIFICATES:
        company = Company.objects.filter(slug=slug).first()
        if company is None or Certificate.objects.filter(company=company, number=number).exists():
            continue
        issued_on: date = today - timedelta(days=age)
        expires_on = issued_on + timedelta(days=valid_days)
        certificate = certificate_add(
            company=company,
            by=owner if company.memberships.filter(user=owner).exists() else None,
            upload=_document(company, number),
            kind=kind,
            scheme=scheme,
            certification=Certification.objects.filter(slug=certification).first(),
            number=number,
            issuer=issuer,
            issued_on=issued_on,
            expires_on=max(expires_on, today),
            products=list(company.products.order_by("sort_order", "id")[:2]) if verify else [],
        )
        if expires_on < today:
            # An old upload, as it stood before its date passed (a company cannot add one already expired).
            Certificate.objects.filter(pk=certificate.pk).update(expires_on=expires_on)
        if verify:
            certificate_verify(
                certificate=certificate, by=staff, note="Compared with the original certificate."
            )
        seeder.report.count("certificates")
    # The grains exporter's certificate is past its date: the periodic job's first run marks it expired.
    certificates_expire(today=today)
