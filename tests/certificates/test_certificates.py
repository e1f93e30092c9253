"""The company's certificates page: adding one (the document checked before anything is decoded or
stored), the private document, removing one; other companies get 404."""

import datetime
import tracemalloc

import pytest
from django.utils import timezone

from exhibitors.certificates.enums import CertificateStatus
from exhibitors.certificates.models import Certificate
from exhibitors.certificates.services import certificate_add
from exhibitors.models import PrivateFile
from exhibitors.uploads import UploadRefused
from tests.factories.certificates import CertificateFactory
from tests.factories.exhibitors import CertificationFactory, CompanyFactory, MembershipFactory, ProductFactory
from tests.factories.staff import ChamberStaffFactory
from tests.factories.uploads import image_bytes, pdf_bytes, png_claiming, upload

pytestmark = pytest.mark.django_db


def page_url(company) -> str:
    return f"/en/companies/{company.pk}/certificates/"


def form_data(**changes) -> dict:
    today = timezone.localdate()
    data = {
        "kind": "organic",
        "scheme": "eu",
        "number": "PE-BIO-0001",
        "issuer": "Control Union Perú",
        "issued_on": (today - datetime.timedelta(days=10)).isoformat(),
        "expires_on": (today + datetime.timedelta(days=355)).isoformat(),
        "document": upload(pdf_bytes("EU organic"), name="organic.pdf", content_type="application/pdf"),
    }
    data.update(changes)
    return data


def test_member_adds_a_certificate_waiting_for_the_chamber(member_client, company, member):
    organic = CertificationFactory(name="EU Organic", slug="organic-eu")
    coffee = ProductFactory(company=company, name="Green coffee")

    response = member_client.post(
        page_url(company), form_data(certification=organic.pk, products=[coffee.pk])
    )

    assert response.status_code == 302
    certificate = Certificate.objects.get()
    assert certificate.status == CertificateStatus.PENDING
    assert (certificate.title, certificate.number, certificate.certification) == (
        "EU Organic",
        "PE-BIO-0001",
        organic,
    )
    assert list(certificate.products.all()) == [coffee]
    assert certificate.file.company == company
    assert certificate.file.content_type == "application/pdf"
    assert certificate.uploaded_by == member
    html = member_client.get(page_url(company)).content.decode()
    assert "PE-BIO-0001" in html
    assert "Pending verification" in html


def test_an_image_is_accepted_too(member_client, company):
    response = member_client.post(
        page_url(company), form_data(document=upload(image_bytes("jpeg"), "scan.jpg", "image/jpeg"))
    )
    assert response.status_code == 302
    assert Certificate.objects.get().file.content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            upload(b"MZ\x90\x00 not a document", "certificate.pdf", "application/pdf"),
            "not a PNG, JPEG, GIF or WebP",
        ),
        (upload(png_claiming(14000, 14000), "huge.png"), "14000 × 14000 pixels"),
    ],
)
def test_a_bad_file_is_refused_with_nothing_stored_and_the_form_kept(
    member_client, company, document, message
):
    response = member_client.post(page_url(company), form_data(document=document))

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'value="PE-BIO-0001"' in html
    assert not Certificate.objects.exists()
    assert not PrivateFile.objects.exists()


def test_a_pixel_bomb_is_refused_before_it_is_decoded(company, member):
    bomb = upload(png_claiming(14000, 14000), name="bomb.png")
    today = timezone.localdate()
    tracemalloc.start()
    try:
        with pytest.raises(UploadRefused):
            certificate_add(
                company=company,
                by=member,
                upload=bomb,
                kind="haccp",
                number="H-1",
                issuer="SGS",
                issued_on=today,
                expires_on=today,
            )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Decoding 14000 × 14000 pixels would take hundreds of megabytes.
    assert peak < 5 * 1024 * 1024
    assert not PrivateFile.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"scheme": ""}, "Choose the organic scheme"),
        ({"kind": "other", "scheme": ""}, "Say what the certificate is"),
        ({"issued_on": "2030-01-02", "expires_on": "2030-01-01"}, "cannot be before the issue date"),
        ({"issued_on": "2020-01-01", "expires_on": "2021-01-01"}, "has already expired"),
    ],
)
def test_details_that_do_not_fit_are_refused(member_client, company, changes, field_error):
    response = member_client.post(page_url(company), form_data(**changes))
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert not PrivateFile.objects.exists()


def test_products_of_another_company_are_refused(member_client, company):
    other = ProductFactory(company=CompanyFactory())
    response = member_client.post(page_url(company), form_data(products=[other.pk]))
    assert response.status_code == 400
    assert not Certificate.objects.exists()


def test_another_company_gets_404_on_page_document_and_removal(client, company):
    certificate = CertificateFactory(company=company)
    outsider = MembershipFactory(company=CompanyFactory()).user
    client.force_login(outsider)

    assert client.get(page_url(company)).status_code == 404
    assert client.post(page_url(company), form_data()).status_code == 404
    assert client.get(f"/en/files/{certificate.file.public_id}/").status_code == 404
    assert client.post(f"/en/companies/{company.pk}/certificates/{certificate.pk}/remove/").status_code == 404
    assert Certificate.objects.filter(pk=certificate.pk).exists()


def test_a_member_cannot_remove_another_company_certificate_through_their_own_url(member_client, company):
    foreign = CertificateFactory(company=CompanyFactory())
    response = member_client.post(f"/en/companies/{company.pk}/certificates/{foreign.pk}/remove/")
    assert response.status_code == 404
    assert Certificate.objects.filter(pk=foreign.pk).exists()


def test_the_document_is_served_to_the_company_and_chamber_staff_only(client, company, member):
    certificate = CertificateFactory(company=company)
    url = f"/en/files/{certificate.file.public_id}/"

    assert client.get(url).status_code == 404  # signed out
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(ChamberStaffFactory())
    assert client.get(url).status_code == 200


def test_member_removes_a_certificate_and_its_file(member_client, company):
    certificate = CertificateFactory(company=company)
    stored = certificate.file

    response = member_client.post(f"/en/companies/{company.pk}/certificates/{certificate.pk}/remove/")

    assert response.status_code == 302
    assert not Certificate.objects.exists()
    assert not PrivateFile.objects.filter(pk=stored.pk).exists()


def test_the_dashboard_links_the_certificates_page(member_client, company):
    html = member_client.get("/en/dashboard/").content.decode()
    assert page_url(company) in html
