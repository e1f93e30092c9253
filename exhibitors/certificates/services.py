"""Writes for certificates: the company adds or removes one; chamber staff verify, reject or withdraw a
verification (audit log and record log, like exhibitors.services.verification for members); the periodic
job marks expired ones and warns companies 30 days ahead. Docs: docs/certificates.md."""

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from exhibitors.certificates.enums import CertificateKind, CertificateStatus
from exhibitors.certificates.models import Certificate
from exhibitors.models import Certification, Company, Product, User
from exhibitors.records.chain import time_text
from exhibitors.records.kinds import record_kind_register, record_subject
from exhibitors.records.services import record_append
from exhibitors.services.mail import chamber_name, email_enqueue, site_url
from exhibitors.services.uploads import private_file_store, upload_atomic
from exhibitors.uploads import pdf_or_image_check

ACTION_VERIFY = "feria.certificate.verify"
ACTION_REJECT = "feria.certificate.reject"
ACTION_UNVERIFY = "feria.certificate.unverify"
ACTION_EXPIRE = "feria.certificate.expire"

KIND_VERIFIED = "certificate.verified"
KIND_UNVERIFIED = "certificate.unverified"

EXPIRY_NOTICE_DAYS = 30


def certificate_record_kinds_register() -> None:
    """Called once at start-up (exhibitors.certificates.apps)."""
    record_kind_register(KIND_VERIFIED, _("Certificate verified by the chamber"))
    record_kind_register(KIND_UNVERIFIED, _("Certificate verification withdrawn"))


def certificate_check(
    *, company: Company, kind: str, scheme: str, name: str, issued_on: date, expires_on: date, products
) -> None:
    """Raise ValidationError (by field) when the details do not fit together."""
    errors = {}
    if kind not in CertificateKind.values:
        errors["kind"] = _("Choose what kind of certificate this is.")
    if kind == CertificateKind.ORGANIC and not scheme:
        errors["scheme"] = _("Choose the organic scheme the certificate is issued under.")
    if kind == CertificateKind.OTHER and not name.strip():
        errors["name"] = _("Say what the certificate is.")
    if issued_on and expires_on and expires_on < issued_on:
        errors["expires_on"] = _("The expiry date cannot be before the issue date.")
    elif expires_on and expires_on < timezone.localdate():
        errors["expires_on"] = _("This certificate has already expired: add the one that replaced it.")
    if any(product.company_id != company.pk for product in products):
        errors["products"] = _("Choose products from your own catalogue.")
    if errors:
        raise ValidationError(errors)


def certificate_add(
    *,
    company: Company,
    by: User,
    upload,
    kind: str,
    number: str,
    issuer: str,
    issued_on: date,
    expires_on: date,
    scheme: str = "",
    name: str = "",
    certification: Certification | None = None,
    products: Iterable[Product] = (),
) -> Certificate:
    """Add a certificate awaiting the chamber's check. The document (PDF or image) is checked before anything
    is decoded or written, then kept in private storage. Raises UploadRefused / ValidationError.
    Side effects: the stored file, PrivateFile, Certificate and its product links."""
    products = list(products)
    certificate_check(
        company=company,
        kind=kind,
        scheme=scheme,
        name=name,
        issued_on=issued_on,
        expires_on=expires_on,
        products=products,
    )
    file_kind = pdf_or_image_check(upload)
    with upload_atomic():
        stored = private_file_store(
            upload=upload, kind=file_kind, company=company, user=by, name=f"certificate-{number}"
        )
        certificate = Certificate.objects.create(
            company=company,
            kind=kind,
            scheme=scheme if kind == CertificateKind.ORGANIC else "",
            name=name.strip() if kind == CertificateKind.OTHER else "",
            certification=certification,
            number=number.strip(),
            issuer=issuer.strip(),
            issued_on=issued_on,
            expires_on=expires_on,
            file=stored,
            uploaded_by=by,
        )
        certificate.products.set(products)
    return certificate


@transaction.atomic
def certificate_delete(*, certificate: Certificate) -> None:
    """The company removes a certificate: its row, its private file (after commit) and its badge go.
    Records already written about it stay in the record log."""
    stored = certificate.file
    certificate.delete()
    stored_file = stored.file
    stored.delete()
    transaction.on_commit(lambda: stored_file.storage.delete(stored_file.name))


def _facts(certificate: Certificate) -> dict:
    return {
        "certificate_id": certificate.pk,
        "company_id": certificate.company_id,
        "company": certificate.company.legal_name,
        "kind": certificate.kind,
        "scheme": certificate.scheme,
        "name": certificate.name,
        "number": certificate.number,
        "issuer": certificate.issuer,
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
    }


def _locked(certificate: Certificate) -> Certificate:
    return Certificate.objects.select_for_update().select_related("company").get(pk=certificate.pk)


def _copy_back(certificate: Certificate, locked: Certificate) -> None:
    for field in (
        "status",
        "verified_at",
        "verified_by_id",
        "verified_chamber",
        "verification_note",
        "rejection_reason",
        "decided_at",
        "decided_by_id",
    ):
        setattr(certificate, field, getattr(locked, field))


@transaction.atomic
def certificate_verify(*, certificate: Certificate, by: User, note: str = "") -> Certificate:
    """Mark the certificate as checked against the original (row locked). Refused once it has expired.
    Side effects: the verification fields, an audit-log entry and a `certificate.verified` record."""
    locked = _locked(certificate)
    if locked.expires_on < timezone.localdate():
        raise ValidationError(
            _("This certificate has expired; it can no longer be verified."), code="expired"
        )
    now = timezone.now()
    locked.status = CertificateStatus.VERIFIED
    locked.verified_at = now
    locked.verified_by = by
    locked.verified_chamber = chamber_name()
    locked.verification_note = note.strip()[:300]
    locked.rejection_reason = ""
    locked.decided_at, locked.decided_by = now, by
    locked.save()
    facts = _facts(locked) | {
        "chamber": locked.verified_chamber,
        "verified_by_id": by.pk,
        "verified_at": time_text(now),
        "note": locked.verification_note,
    }
    log(instance=locked, action=ACTION_VERIFY, user=by, data=facts)
    record_append(
        kind=KIND_VERIFIED,
        facts=facts,
        subject=record_subject("certificates.certificate", locked.pk),
        companies=[locked.company_id],
    )
    _copy_back(certificate, locked)
    return locked


@transaction.atomic
def certificate_reject(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    """Refuse the certificate with a reason the company is told by e-mail, in each member's language (row
    locked). Side effects: status and reason, an audit-log entry, e-mails queued after commit."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Tell the company why, so it can send a better copy.")})
    locked = _locked(certificate)
    was_verified = locked.status == CertificateStatus.VERIFIED
    now = timezone.now()
    locked.status = CertificateStatus.REJECTED
    locked.rejection_reason = reason[:500]
    locked.verified_at, locked.verified_by, locked.verified_chamber = None, None, ""
    locked.decided_at, locked.decided_by = now, by
    locked.save()
    facts = _facts(locked) | {"reason": locked.rejection_reason, "rejected_by_id": by.pk}
    log(instance=locked, action=ACTION_REJECT, user=by, data=facts)
    if was_verified:
        _record_unverified(locked, by, now)
    transaction.on_commit(lambda: certificate_notify(certificate=locked, template="rejected"))
    _copy_back(certificate, locked)
    return locked


def _record_unverified(locked: Certificate, by: User, now) -> None:
    record_append(
        kind=KIND_UNVERIFIED,
        facts=_facts(locked) | {"unverified_by_id": by.pk, "unverified_at": time_text(now)},
        subject=record_subject("certificates.certificate", locked.pk),
        companies=[locked.company_id],
    )


@transaction.atomic
def certificate_unverify(*, certificate: Certificate, by: User) -> Certificate:
    """Withdraw a verification at once: the certificate waits for a new check (row locked). Side effects:
    the verification fields cleared, an audit-log entry and a `certificate.unverified` record. Nothing
    happens when it was not verified."""
    locked = _locked(certificate)
    if locked.status != CertificateStatus.VERIFIED:
        return locked
    now = timezone.now()
    locked.status = CertificateStatus.PENDING
    locked.verified_at, locked.verified_by, locked.verified_chamber = None, None, ""
    locked.verification_note = ""
    locked.decided_at, locked.decided_by = now, by
    locked.save()
    log(instance=locked, action=ACTION_UNVERIFY, user=by, data=_facts(locked))
    _record_unverified(locked, by, now)
    _copy_back(certificate, locked)
    return locked


def certificate_notify(*, certificate: Certificate, template: str) -> int:
    """E-mail every member of the certificate's company, each in their own language (`template`:
    "rejected" or "expiring"); returns how many were queued."""
    company = certificate.company
    sent = 0
    for membership in company.memberships.select_related("user"):
        user = membership.user
        if not user.is_active or not user.email:
            continue
        language = user.preferred_language or "en"
        with translation.override(language):
            context = {
                "user": user,
                "certificate": certificate,
                "title": certificate.title,
                "company": company,
                "url": site_url(reverse("certificate_list", kwargs={"company_id": company.pk})),
                "chamber_name": chamber_name(),
            }
            subject = " ".join(
                render_to_string(f"certificates/emails/{template}_subject.txt", context).split()
            )
            body = render_to_string(f"certificates/emails/{template}_message.txt", context)
        email_enqueue(
            EmailMessage(subject=subject, body=body, to=[user.email], headers={"Content-Language": language})
        )
        sent += 1
    return sent


def certificates_expire(*, today: date | None = None) -> tuple[int, int]:
    """The periodic job: mark certificates past their expiry date as expired (the badge already dropped by
    date) and warn companies once, 30 days ahead, about verified ones about to expire. Returns (marked
    expired, companies warned)."""
    today = today or timezone.localdate()
    expired = 0
    for certificate in Certificate.objects.filter(
        expires_on__lt=today, status__in=[CertificateStatus.VERIFIED, CertificateStatus.PENDING]
    ).select_related("company"):
        with transaction.atomic():
            locked = _locked(certificate)
            if locked.expires_on >= today or locked.status == CertificateStatus.EXPIRED:
                continue
            locked.status = CertificateStatus.EXPIRED
            locked.save(update_fields=["status"])
            log(instance=locked, action=ACTION_EXPIRE, user=None, data=_facts(locked))
            expired += 1
    warned = 0
    for certificate in Certificate.objects.filter(
        status=CertificateStatus.VERIFIED,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=EXPIRY_NOTICE_DAYS),
        expiry_notice_sent_at__isnull=True,
    ).select_related("company"):
        with transaction.atomic():
            claimed = Certificate.objects.filter(
                pk=certificate.pk, expiry_notice_sent_at__isnull=True
            ).update(expiry_notice_sent_at=timezone.now())
            if claimed:
                transaction.on_commit(
                    lambda certificate=certificate: certificate_notify(
                        certificate=certificate, template="expiring"
                    )
                )
                warned += 1
    return expired, warned
