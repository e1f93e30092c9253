"""Chamber staff check certificates against the originals in the admin: verify with a note, reject with a
reason the company is told in its language, withdraw a verification. Who and when are kept, each step is
in the audit log, and verifications are appended to the record log."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from exhibitors.certificates.enums import CertificateStatus
from exhibitors.certificates.services import (
    ACTION_REJECT,
    ACTION_UNVERIFY,
    ACTION_VERIFY,
    certificate_reject,
    certificate_unverify,
    certificate_verify,
)
from exhibitors.records.models import Record
from exhibitors.records.selectors import records_verify
from tests.factories.certificates import CertificateFactory, VerifiedCertificateFactory
from tests.factories.exhibitors import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def admin_url(certificate=None, action=""):
    if certificate is None:
        return "/admin/certificates/"
    return f"/admin/certificates/{certificate.pk}/{action}"


def test_verify_keeps_who_and_when_logs_and_records_it(staff, company):
    certificate = CertificateFactory(company=company, number="PE-BIO-77")

    certificate_verify(certificate=certificate, by=staff, note="Original seen at the front desk")

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VERIFIED
    assert certificate.verified_by == staff
    assert certificate.verified_at is not None
    assert certificate.verified_chamber
    assert certificate.verification_note == "Original seen at the front desk"
    entry = ModelLogEntry.objects.get(object_id=str(certificate.pk), action=ACTION_VERIFY)
    assert entry.user == staff
    record = Record.objects.get(kind="certificate.verified")
    assert record.party_companies == [company.pk]
    assert record.subject == f"certificates.certificate:{certificate.pk}"
    assert "PE-BIO-77" in record.canonical
    assert records_verify().ok


def test_an_expired_certificate_cannot_be_verified(staff, company):
    certificate = CertificateFactory(company=company)
    type(certificate).objects.filter(pk=certificate.pk).update(
        issued_on=timezone.localdate() - datetime.timedelta(days=400),
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    certificate.refresh_from_db()
    with pytest.raises(ValidationError):
        certificate_verify(certificate=certificate, by=staff)
    assert not Record.objects.exists()


def test_reject_tells_each_member_in_their_language(staff, company, django_capture_on_commit_callbacks):
    MembershipFactory(
        company=company, user=UserFactory(email="ana@selva-alta.example", preferred_language="es")
    )
    MembershipFactory(
        company=company, user=UserFactory(email="joao@selva-alta.example", preferred_language="pt")
    )
    certificate = CertificateFactory(company=company, number="PE-BIO-9")

    with django_capture_on_commit_callbacks(execute=True):
        certificate_reject(certificate=certificate, by=staff, reason="The scan is unreadable.")

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REJECTED
    assert certificate.rejection_reason == "The scan is unreadable."
    assert ModelLogEntry.objects.filter(object_id=str(certificate.pk), action=ACTION_REJECT).exists()
    by_address = {message.to[0]: message for message in mail.outbox}
    spanish = by_address["ana@selva-alta.example"]
    assert spanish.extra_headers["Content-Language"] == "es"
    assert "no pudo verificar" in spanish.body
    assert "The scan is unreadable." in spanish.body
    assert "PE-BIO-9" in spanish.body
    assert by_address["joao@selva-alta.example"].extra_headers["Content-Language"] == "pt"
    assert not Record.objects.exists()  # nothing was vouched for


def test_reject_needs_a_reason(staff, company):
    certificate = CertificateFactory(company=company)
    with pytest.raises(ValidationError) as error:
        certificate_reject(certificate=certificate, by=staff, reason="  ")
    assert "reason" in error.value.message_dict


def test_unverify_withdraws_at_once_logs_and_records_it(staff, company):
    certificate = CertificateFactory(company=company)
    certificate_verify(certificate=certificate, by=staff)

    certificate_unverify(certificate=certificate, by=staff)

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.PENDING
    assert certificate.verified_at is None
    assert ModelLogEntry.objects.filter(object_id=str(certificate.pk), action=ACTION_UNVERIFY).exists()
    assert list(Record.objects.order_by("pk").values_list("kind", flat=True)) == [
        "certificate.verified",
        "certificate.unverified",
    ]


def test_rejecting_a_verified_certificate_records_the_withdrawal(staff, company):
    certificate = CertificateFactory(company=company)
    certificate_verify(certificate=certificate, by=staff)
    certificate_reject(certificate=certificate, by=staff, reason="Revoked by the issuer.")
    assert Record.objects.filter(kind="certificate.unverified").count() == 1


def test_admin_queue_filters_and_actions(staff_client, company):
    pending = CertificateFactory(company=company, number="PENDING-1")
    verified = VerifiedCertificateFactory(company=company, number="VERIFIED-1")
    expired = VerifiedCertificateFactory(company=company, number="EXPIRED-1")
    type(expired).objects.filter(pk=expired.pk).update(
        issued_on=timezone.localdate() - datetime.timedelta(days=400),
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )

    everything = staff_client.get(admin_url()).content.decode()
    assert all(number in everything for number in ("PENDING-1", "VERIFIED-1", "EXPIRED-1"))
    only_pending = staff_client.get(admin_url(), {"queue": "pending"}).content.decode()
    assert "PENDING-1" in only_pending and "VERIFIED-1" not in only_pending
    only_expired = staff_client.get(admin_url(), {"queue": "expired"}).content.decode()
    # Expired from its date, before any job marked it.
    assert "EXPIRED-1" in only_expired and "VERIFIED-1" not in only_expired

    page = staff_client.get(admin_url(pending)).content.decode()
    assert f"/en/files/{pending.file.public_id}/" in page
    assert staff_client.post(admin_url(pending, "verify/"), {"note": "Checked"}).status_code == 302
    pending.refresh_from_db()
    assert pending.status == CertificateStatus.VERIFIED

    refused = staff_client.post(admin_url(verified, "reject/"), {"reason": ""})
    assert refused.status_code == 400
    assert staff_client.post(admin_url(verified, "reject/"), {"reason": "Forged"}).status_code == 302
    verified.refresh_from_db()
    assert verified.status == CertificateStatus.REJECTED

    assert staff_client.post(admin_url(pending, "unverify/")).status_code == 302
    pending.refresh_from_db()
    assert pending.status == CertificateStatus.PENDING
    history = staff_client.get(admin_url(pending)).content.decode()
    assert "Certificate verified against the original" in history
    assert "Certificate verification withdrawn" in history


def test_admin_refuses_people_without_access(client, company):
    certificate = CertificateFactory(company=company)
    client.force_login(UserFactory())
    response = client.post(admin_url(certificate, "verify/"), {"note": ""})
    assert response.status_code in (302, 403)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.PENDING
