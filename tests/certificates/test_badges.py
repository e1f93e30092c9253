"""A verified, unexpired certificate shows as a badge on the booth page, in the directory and on booth
cards, counts in matchmaking with "verified by the chamber", and drops the day after its expiry date,
read from the date (no job has to run)."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from exhibitors.certificates.enums import CertificateStatus
from exhibitors.certificates.models import Certificate
from exhibitors.certificates.selectors import verified_certificates
from tests.factories.certificates import CertificateFactory, VerifiedCertificateFactory
from tests.factories.exhibitors import BuyerProfileFactory, CertificationFactory, CompanyFactory
from tests.fair.conftest import approved_booth
from tests.fair.matchmaking.conftest import exhibitor

pytestmark = pytest.mark.django_db

BADGE = "EU Organic ✓ verified by the chamber"


def urls(fair, company):
    return [f"/en/{fair.slug}/booths/{company.slug}/", f"/en/{fair.slug}/exhibitors/?q=Selva"]


def frozen_day(day: datetime.date):
    """Django's clock set to noon of `day` in the site's time zone."""
    moment = datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_current_timezone())
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_badge_on_booth_page_and_search_only_when_verified(client, fair, company, settings):
    settings.FERIA_PAGE_CACHE_SECONDS = 0
    approved_booth(fair, company=company)
    pending = CertificateFactory(company=company)

    for url in urls(fair, company):
        assert "badge-certificate" not in client.get(url).content.decode(), url

    Certificate.objects.filter(pk=pending.pk).update(
        status=CertificateStatus.VERIFIED, verified_at=timezone.now(), verified_chamber="Cámara de Lima"
    )
    for url in urls(fair, company):
        html = client.get(url).content.decode()
        assert BADGE in html, url
        assert reverse("certificate_check", kwargs={"token": pending.public_token}) in html


def test_badge_drops_the_day_after_expiry_without_any_job(client, fair, company, settings):
    settings.FERIA_PAGE_CACHE_SECONDS = 0
    approved_booth(fair, company=company)
    expires_on = timezone.localdate() + datetime.timedelta(days=20)
    certificate = VerifiedCertificateFactory(company=company, expires_on=expires_on)

    with frozen_day(expires_on):
        for url in urls(fair, company):
            assert BADGE in client.get(url).content.decode(), url
    with frozen_day(expires_on + datetime.timedelta(days=1)):
        for url in urls(fair, company):
            assert BADGE not in client.get(url).content.decode(), url
        assert verified_certificates([company.pk]) == {company.pk: []}
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VERIFIED  # nothing ran; the date alone decided


def test_verified_certificates_is_one_query_for_many_companies(django_assert_num_queries):
    companies = [CompanyFactory() for _ in range(5)]
    for company in companies:
        VerifiedCertificateFactory(company=company)
        CertificateFactory(company=company)
    rejected = VerifiedCertificateFactory(company=companies[0])
    Certificate.objects.filter(pk=rejected.pk).update(status=CertificateStatus.REJECTED)
    nothing = CompanyFactory()

    with django_assert_num_queries(1):
        found = verified_certificates([company.pk for company in companies] + [nothing.pk])

    assert [len(found[company.pk]) for company in companies] == [1] * 5
    assert found[nothing.pk] == []


def test_matchmaking_counts_a_verified_certificate_and_says_so(buyer_client, buyer, fair):
    organic = CertificationFactory(name="EU Organic", slug="organic-eu")
    profile = BuyerProfileFactory(user=buyer, country="DE", hs_codes=["0901"], keywords="")
    profile.target_certifications.add(organic)
    booth = exhibitor(fair, name="Cafe Alto S.A.C.", hs_code="090111")
    url = reverse("matchmaking:recommended", args=[fair.slug])

    before = buyer_client.get(url).context["suggestions"].booths[0]
    assert not any("EU Organic" in reason for reason in before.reasons)

    VerifiedCertificateFactory(company=booth.company, certification=organic)
    after = buyer_client.get(url).context["suggestions"].booths[0]
    assert "certified EU Organic, as you asked (verified by the chamber)" in after.reasons
    assert after.score > before.score


def test_matchmaking_labels_a_declared_certification_once_the_chamber_verified_it(buyer_client, buyer, fair):
    organic = CertificationFactory(name="EU Organic", slug="organic-eu")
    profile = BuyerProfileFactory(user=buyer, country="DE", hs_codes=["0901"], keywords="")
    profile.target_certifications.add(organic)
    booth = exhibitor(fair, name="Cafe Alto S.A.C.", hs_code="090111")
    booth.company.certifications.add(organic)
    url = reverse("matchmaking:recommended", args=[fair.slug])

    assert (
        "certified EU Organic, as you asked" in buyer_client.get(url).context["suggestions"].booths[0].reasons
    )
    certificate = VerifiedCertificateFactory(company=booth.company, certification=organic)
    reasons = buyer_client.get(url).context["suggestions"].booths[0].reasons
    assert "certified EU Organic, as you asked (verified by the chamber)" in reasons

    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=timezone.localdate() - datetime.timedelta(days=400),
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    reasons = buyer_client.get(url).context["suggestions"].booths[0].reasons
    assert "certified EU Organic, as you asked" in reasons  # still declared, no longer vouched for


def test_matchmaking_reason_in_spanish(buyer_client, buyer, fair):
    organic = CertificationFactory(name="EU Organic", slug="organic-eu")
    profile = BuyerProfileFactory(user=buyer, country="DE", hs_codes=["0901"], keywords="")
    profile.target_certifications.add(organic)
    booth = exhibitor(fair, name="Cafe Alto S.A.C.", hs_code="090111")
    VerifiedCertificateFactory(company=booth.company, certification=organic)
    url = reverse("matchmaking:recommended", args=[fair.slug]).replace("/en/", "/es/")
    assert "verificado por la cámara" in buyer_client.get(url).content.decode()


def test_directory_filter_and_choices_count_a_certification_the_chamber_verified(client, fair):
    from fair.selectors.directory import directory_facets

    organic = CertificationFactory(name="EU Organic", slug="organic-eu")
    proven = approved_booth(fair, company=CompanyFactory(legal_name="Proven Co"))
    VerifiedCertificateFactory(company=proven.company, certification=organic)
    pending = approved_booth(fair, company=CompanyFactory(legal_name="Pending Co"))
    CertificateFactory(company=pending.company, certification=organic)

    assert directory_facets(fair=fair).certifications == [(organic.pk, "EU Organic")]
    response = client.get(f"/en/{fair.slug}/exhibitors/", {"certification": organic.pk})
    assert [booth.company.legal_name for booth in response.context["page_obj"]] == ["Proven Co"]
