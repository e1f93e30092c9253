import datetime

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from exhibitors.certificates.enums import CertificateKind, CertificateStatus, OrganicScheme
from exhibitors.certificates.models import Certificate
from exhibitors.models import PrivateFile
from tests.factories.exhibitors import CompanyFactory
from tests.factories.uploads import pdf_bytes


class PrivateFileFactory(DjangoModelFactory):
    class Meta:
        model = PrivateFile

    company = factory.SubFactory(CompanyFactory)
    file = factory.LazyFunction(lambda: ContentFile(pdf_bytes("Certificate"), name="document.pdf"))
    name = "certificate.pdf"
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda o: o.file.size)


class CertificateFactory(DjangoModelFactory):
    """A pending EU Organic certificate valid for a year from today."""

    class Meta:
        model = Certificate

    company = factory.SubFactory(CompanyFactory)
    kind = CertificateKind.ORGANIC
    scheme = OrganicScheme.EU
    number = factory.Sequence(lambda n: f"PE-BIO-{n:05d}")
    issuer = "Control Union Perú"
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=335))
    file = factory.SubFactory(PrivateFileFactory, company=factory.SelfAttribute("..company"))


class VerifiedCertificateFactory(CertificateFactory):
    status = CertificateStatus.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)
    verified_chamber = "Cámara de Comercio de Lima"
