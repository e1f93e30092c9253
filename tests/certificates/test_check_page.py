"""The public check page (no sign-in, nothing private), the QR code in the printable catalogue, the
expiry job, the export section."""

import base64
import datetime
import re
import zlib

import pytest
import segno
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.template.loader import render_to_string
from django.utils import timezone

from exhibitors.certificates.enums import CertificateStatus
from exhibitors.certificates.models import Certificate
from exhibitors.certificates.services import certificate_unverify, certificates_expire
from exhibitors.services.exports import EXPORT_SECTIONS
from exhibitors.services.mail import site_url
from fair.pdf import render_pdf
from fair.selectors.catalogue import catalogue_entries
from tests.factories.certificates import CertificateFactory, VerifiedCertificateFactory
from tests.factories.exhibitors import ProductFactory, UserFactory
from tests.fair.conftest import approved_booth

pytestmark = pytest.mark.django_db


def check_url(certificate, language="en"):
    return f"/{language}/certificates/{certificate.public_token}/"


def past(certificate, days_ago=1):
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=timezone.localdate() - datetime.timedelta(days=400),
        expires_on=timezone.localdate() - datetime.timedelta(days=days_ago),
    )
    certificate.refresh_from_db()


def test_check_page_works_signed_out_and_shows_nothing_private(client, company):
    certificate = VerifiedCertificateFactory(
        company=company, number="PE-BIO-42", issuer="Control Union Perú", verification_note="Seen at desk 3"
    )
    certificate.verified_by = UserFactory(email="clerk@chamber.example")
    certificate.save()

    response = client.get(check_url(certificate))

    assert response.status_code == 200
    html = response.content.decode()
    assert "EU Organic" in html and "PE-BIO-42" in html
    assert company.legal_name in html and "Control Union Perú" in html
    assert "Verified by the chamber" in html
    assert certificate.verified_chamber in html
    assert "Seen at desk 3" not in html
    assert "clerk@chamber.example" not in html
    assert str(certificate.file.public_id) not in html
    assert "/files/" not in html


def test_check_page_says_expired_or_no_longer_verified(client, company, staff):
    expired = VerifiedCertificateFactory(company=company)
    past(expired)
    assert "expired on" in client.get(check_url(expired)).content.decode()

    withdrawn = VerifiedCertificateFactory(company=company)
    certificate_unverify(certificate=withdrawn, by=staff)
    html = client.get(check_url(withdrawn)).content.decode()
    assert "Not verified" in html
    assert "Verified by the chamber" not in html


def test_check_page_unknown_token_is_404(client):
    assert client.get("/en/certificates/not-a-token/").status_code == 404
    assert client.get("/en/certificates/6f1d3c1e-8f7a-4a0e-9a53-000000000000/").status_code == 404


def test_check_page_in_spanish(client, company):
    certificate = VerifiedCertificateFactory(company=company)
    html = client.get(check_url(certificate, "es")).content.decode()
    assert "Verificado por la cámara" in html


def _streams(pdf: bytes) -> list[bytes]:
    """Every stream of the PDF, undone from ReportLab's ASCII85 and Flate encodings."""
    found = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\n?endstream", pdf, re.S):
        data = match.group(1).strip()
        if data.endswith(b"~>"):
            data = base64.a85decode(data[:-2].replace(b"\n", b""))
        try:
            found.append(zlib.decompress(data))
        except zlib.error:
            found.append(data)
    return found


def test_catalogue_pdf_has_a_qr_code_of_the_check_url(fair, company):
    booth = approved_booth(fair, company=company)
    ProductFactory(company=company)
    certificate = VerifiedCertificateFactory(company=company, number="PE-BIO-42")
    CertificateFactory(company=company, number="PENDING-7")  # not vouched for: not printed
    url = site_url(check_url(certificate))
    entries = catalogue_entries(fair=fair, user=AnonymousUser())
    context = {"page": fair, "fair_original": fair, "entries": entries, "generated_at": timezone.now()}

    markup = render_to_string("fair/catalogue_pdf.html", context)
    assert f'<img src="qr:{url}"' in markup
    assert "PENDING-7" not in markup
    assert [entry.booth for entry in entries] == [booth]

    pdf = render_pdf("fair/catalogue_pdf.html", context)
    streams = _streams(pdf)
    assert any(url.encode() in stream for stream in streams)  # the address, printed and as a link
    # The QR image is drawn one pixel per module: its pixels are exactly segno's code for the address.
    code = segno.make(url, error="m", micro=False)
    size = code.symbol_size(scale=1, border=4)[0]
    images = re.findall(rb"/Subtype /Image.*?/Width (\d+)", pdf, re.S)
    assert str(size).encode() in images
    expected = bytes(
        channel
        for row in code.matrix_iter(scale=1, border=4)
        for dark in row
        for channel in ((0, 0, 0) if dark else (255, 255, 255))
    )
    assert any(expected == stream for stream in streams)


def test_expiry_job_marks_expired_and_warns_30_days_ahead_once(
    company, member, django_capture_on_commit_callbacks
):
    soon = VerifiedCertificateFactory(
        company=company, expires_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    later = VerifiedCertificateFactory(
        company=company, expires_on=timezone.localdate() + datetime.timedelta(days=31)
    )
    gone = VerifiedCertificateFactory(company=company)
    past(gone)

    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_expire() == (1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_expire() == (0, 0)

    gone.refresh_from_db()
    assert gone.status == CertificateStatus.EXPIRED
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.expiry_notice_sent_at is not None and later.expiry_notice_sent_at is None
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert soon.number in mail.outbox[0].body
    assert "expires soon" in mail.outbox[0].subject


def test_company_export_has_a_certificates_section(company):
    VerifiedCertificateFactory(company=company, number="PE-BIO-42")
    rows = EXPORT_SECTIONS["certificates"].company(company=company)
    assert [row["number"] for row in rows] == ["PE-BIO-42"]
    assert rows[0]["status"] == "verified"


def test_expiry_job_is_registered_with_run_periodic(company):
    from cms.periodic import JOBS

    (job,) = [job for job in JOBS if job.name == "certificates_expire"]
    gone = VerifiedCertificateFactory(company=company)
    past(gone)
    job.run()
    gone.refresh_from_db()
    assert gone.status == CertificateStatus.EXPIRED
