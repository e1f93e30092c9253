import factory
from factory.django import DjangoModelFactory

from exhibitors.enums import ApplicationStatus, MembershipRole
from exhibitors.models import (
    Booth,
    BoothApplication,
    BuyerProfile,
    Certification,
    Company,
    Membership,
    Product,
    Sector,
    User,
)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """allauth needs a verified address to sign in; tests sign in with client.force_login."""
        if create:
            obj.save()
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


class SectorFactory(DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"sector-{n}")


class CertificationFactory(DjangoModelFactory):
    class Meta:
        model = Certification
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Certification {n}")
    slug = factory.Sequence(lambda n: f"certification-{n}")


class CompanyFactory(DjangoModelFactory):
    class Meta:
        model = Company

    legal_name = factory.Sequence(lambda n: f"Company {n} S.A.C.")
    slug = factory.Sequence(lambda n: f"company-{n}")
    country = "PE"
    city = "Lima"
    description = "We grow and export organic coffee and cacao."
    description_language = "en"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = MembershipRole.OWNER


class BuyerProfileFactory(DjangoModelFactory):
    class Meta:
        model = BuyerProfile

    user = factory.SubFactory(UserFactory)
    company_name = factory.Sequence(lambda n: f"Buyer Company {n} GmbH")
    country = "DE"
    hs_codes = ["090111"]
    keywords = "coffee"


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Product {n}")
    description = "Green coffee beans, washed arabica."
    language = "en"
    hs_code = "090111"
    unit = "kg"
    currency = "USD"


class BoothFactory(DjangoModelFactory):
    """A booth with its application (pending unless `status` is given)."""

    class Meta:
        model = Booth
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    fair = factory.SubFactory("tests.factories.fair.FairPageFactory")
    hall = factory.LazyAttribute(lambda o: o.fair.halls.first() or _hall_for(o.fair))
    package = factory.LazyAttribute(lambda o: o.fair.packages.first() or _package_for(o.fair))
    tagline = "Specialty coffee from the Andes"
    description = "Family farms, direct trade."

    @factory.post_generation
    def status(obj, create, extracted, **kwargs):
        if create:
            BoothApplication.objects.create(booth=obj, status=extracted or ApplicationStatus.PENDING)


def _hall_for(fair):
    from tests.factories.fair import HallFactory

    return HallFactory(fair=fair)


def _package_for(fair):
    from tests.factories.fair import BoothPackageFactory

    return BoothPackageFactory(fair=fair)
