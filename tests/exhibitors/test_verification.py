"""Chamber-verified members: staff verify a company against the member register in the admin; the badge
shows on booth cards, in the directory and on the booth page at once, and goes at once when withdrawn."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from exhibitors.enums import ApplicationStatus
from exhibitors.records.models import Record
from exhibitors.services.verification import ACTION_UNVERIFY, ACTION_VERIFY, company_unverify, company_verify
from tests.factories.exhibitors import BoothFactory, CompanyFactory
from tests.factories.fair import FairPageFactory

pytestmark = pytest.mark.django_db

VALID_RUC = "20100070970"


def admin_url(company, action=""):
    return f"/admin/member_companies/{company.pk}/{action}"


def test_verify_checks_the_tax_id_and_records_it(staff):
    company = CompanyFactory(country="PE", tax_id="")

    company_verify(company=company, by=staff, register_number="CCL-0042", tax_id=f" {VALID_RUC} ")

    company.refresh_from_db()
    assert company.verified_at is not None
    assert company.verified_by == staff
    assert (company.member_register_number, company.tax_id) == ("CCL-0042", VALID_RUC)
    assert ModelLogEntry.objects.filter(object_id=str(company.pk), action=ACTION_VERIFY).exists()
    record = Record.objects.get(kind="company.verified")
    assert record.party_companies == [company.pk]
    assert VALID_RUC in record.canonical


def test_verify_refuses_a_tax_id_of_the_wrong_format(staff):
    company = CompanyFactory(country="PE")
    with pytest.raises(ValidationError) as error:
        company_verify(company=company, by=staff, register_number="CCL-1", tax_id="20100070971")
    assert "tax_id" in error.value.message_dict
    company.refresh_from_db()
    assert company.verified_at is None
    assert not Record.objects.exists()


def test_verify_accepts_a_country_without_a_known_format(staff):
    company = CompanyFactory(country="BO")
    company_verify(company=company, by=staff, register_number="R-7", tax_id="1234567")
    company.refresh_from_db()
    assert company.verified_at is not None
    assert '"tax_id_format_checked":false' in Record.objects.get().canonical


def test_unverify_clears_the_mark_logs_and_records_it(staff):
    company = CompanyFactory(country="PE")
    company_verify(company=company, by=staff, register_number="CCL-1", tax_id=VALID_RUC)

    company_unverify(company=company, by=staff)

    company.refresh_from_db()
    assert company.verified_at is None
    assert ModelLogEntry.objects.filter(object_id=str(company.pk), action=ACTION_UNVERIFY).exists()
    assert list(Record.objects.values_list("kind", flat=True)) == ["company.verified", "company.unverified"]


def test_admin_verifies_and_shows_errors_with_the_data_kept(staff_client):
    company = CompanyFactory(country="PE", legal_name="Granos del Sur S.A.C.")

    assert "Granos del Sur" in staff_client.get("/admin/member_companies/").content.decode()
    bad = staff_client.post(admin_url(company, "verify/"), {"register_number": "CCL-9", "tax_id": "123"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "not a valid tax id" in html
    assert 'value="CCL-9"' in html

    good = staff_client.post(admin_url(company, "verify/"), {"register_number": "CCL-9", "tax_id": VALID_RUC})
    assert good.status_code == 302
    company.refresh_from_db()
    assert company.verified_at is not None
    assert "Chamber membership verified" in staff_client.get(admin_url(company)).content.decode()

    assert staff_client.post(admin_url(company, "unverify/")).status_code == 302
    company.refresh_from_db()
    assert company.verified_at is None


def test_admin_refuses_people_without_access(client):
    from tests.factories.exhibitors import UserFactory

    company = CompanyFactory(country="PE")
    client.force_login(UserFactory())
    response = client.post(admin_url(company, "verify/"), {"register_number": "X", "tax_id": VALID_RUC})
    assert response.status_code in (302, 403)
    company.refresh_from_db()
    assert company.verified_at is None


def test_badge_on_booth_page_and_directory_then_gone_at_once(client, home_page, staff, settings):
    settings.FERIA_PAGE_CACHE_SECONDS = 0
    fair = FairPageFactory(slug="andean")
    company = CompanyFactory(country="PE", legal_name="Cafe Inca", slug="cafe-inca")
    BoothFactory(fair=fair, company=company, status=ApplicationStatus.APPROVED)
    booth_url = f"/en/{fair.slug}/booths/{company.slug}/"
    directory_url = f"/en/{fair.slug}/exhibitors/"

    assert "Verified by" not in client.get(booth_url).content.decode()
    company_verify(company=company, by=staff, register_number="CCL-1", tax_id=VALID_RUC)

    for url in (booth_url, directory_url):
        html = client.get(url).content.decode()
        assert "badge-verified" in html, url
        assert "Verified by" in html

    company_unverify(company=company, by=staff)
    for url in (booth_url, directory_url):
        assert "badge-verified" not in client.get(url).content.decode()
