"""Company profile: the services that create and update it, and the pages that call them."""

from django.urls import reverse

from exhibitors.enums import CompanySize, MembershipRole
from exhibitors.models import Company, Membership
from exhibitors.services.companies import company_create, company_update
from tests.factories.exhibitors import (
    CertificationFactory,
    CompanyFactory,
    MembershipFactory,
    SectorFactory,
    UserFactory,
)


def company_post(**overrides) -> dict:
    data = {
        "legal_name": "Café Andino S.A.C.",
        "country": "PE",
        "city": "Cusco",
        "description": "Organic coffee from family farms.",
        "description_language": "es",
        "website": "cafe-andino.example",
        "export_markets": ["DE", "US"],
        "founded_year": "2009",
        "size": CompanySize.SMALL,
        "tax_id": "20123456789",
    }
    data.update(overrides)
    return data


# --- Services ---


def test_company_create_makes_the_creator_its_owner(db):
    user = UserFactory()
    sector = SectorFactory()
    certification = CertificationFactory()

    company = company_create(
        user=user,
        legal_name="Textiles del Sur",
        country="BO",
        sectors=[sector],
        certifications=[certification],
        export_markets=["AR", "CL"],
    )

    assert Membership.objects.get(company=company).user == user
    assert Membership.objects.get(company=company).role == MembershipRole.OWNER
    assert list(company.sectors.all()) == [sector]
    assert list(company.certifications.all()) == [certification]
    assert [country.code for country in Company.objects.get(pk=company.pk).export_markets] == ["AR", "CL"]


def test_company_create_gives_each_company_its_own_slug(db):
    user = UserFactory()

    first = company_create(user=user, legal_name="Café Andino S.A.C.", country="PE")
    second = company_create(user=user, legal_name="Café Andino S.A.C.", country="PE")
    third = company_create(user=user, legal_name="Café Andino S.A.C.", country="PE")

    assert first.slug == "cafe-andino-sac"
    assert second.slug == "cafe-andino-sac-2"
    assert third.slug == "cafe-andino-sac-3"


def test_company_create_slugs_a_name_without_latin_letters(db):
    user = UserFactory()

    first = company_create(user=user, legal_name="北京茶叶", country="CN")
    second = company_create(user=user, legal_name="上海丝绸", country="CN")

    assert first.slug == "company"
    assert second.slug == "company-2"


def test_company_update_keeps_the_slug_and_replaces_sectors(db):
    company = CompanyFactory(slug="old-name")
    old_sector, new_sector = SectorFactory(), SectorFactory()
    company.sectors.add(old_sector)

    company_update(
        company=company,
        legal_name="New Name Ltd",
        country="CO",
        city="Medellín",
        sectors=[new_sector],
        founded_year=1999,
        size=CompanySize.MEDIUM,
    )

    company.refresh_from_db()
    assert (company.legal_name, company.slug, company.city, company.founded_year) == (
        "New Name Ltd",
        "old-name",
        "Medellín",
        1999,
    )
    assert list(company.sectors.all()) == [new_sector]


# --- Pages ---


def test_company_form_registers_the_company_with_every_field(client, db):
    user = UserFactory()
    sector = SectorFactory()
    certification = CertificationFactory()
    client.force_login(user)

    response = client.post(
        reverse("company_create"),
        company_post(sectors=[sector.pk], certifications=[certification.pk]),
    )

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    company = Company.objects.get()
    assert company.legal_name == "Café Andino S.A.C."
    assert (company.country.code, company.city, company.description_language) == ("PE", "Cusco", "es")
    assert company.website == "https://cafe-andino.example"
    assert sorted(country.code for country in company.export_markets) == ["DE", "US"]
    assert (company.founded_year, company.size, company.tax_id) == (2009, "small", "20123456789")
    assert list(company.sectors.all()) == [sector]
    assert list(company.certifications.all()) == [certification]
    assert Membership.objects.get(company=company, user=user).role == MembershipRole.OWNER


def test_company_form_with_bad_input_shows_errors_and_keeps_the_input(client, db):
    client.force_login(UserFactory())

    response = client.post(
        reverse("company_create"),
        company_post(founded_year="1700", website="not a website at all", country=""),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"founded_year", "website", "country"}
    assert Company.objects.count() == 0
    html = response.content.decode()
    assert 'value="Café Andino S.A.C."' in html
    assert "Organic coffee from family farms." in html


def test_company_form_needs_a_signed_in_person(client, db):
    response = client.get(reverse("company_create"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_owner_edits_the_company_profile(client, db):
    membership = MembershipFactory(role=MembershipRole.OWNER, company__slug="keep-me")
    client.force_login(membership.user)

    page = client.get(reverse("company_edit", args=[membership.company_id]))
    response = client.post(
        reverse("company_edit", args=[membership.company_id]), company_post(legal_name="Renamed S.A.")
    )

    assert page.status_code == 200
    assert response.status_code == 302
    company = Company.objects.get(pk=membership.company_id)
    assert (company.legal_name, company.slug, company.city) == ("Renamed S.A.", "keep-me", "Cusco")


def test_staff_cannot_edit_the_company_profile(client, db):
    membership = MembershipFactory(role=MembershipRole.STAFF)
    client.force_login(membership.user)

    get = client.get(reverse("company_edit", args=[membership.company_id]))
    post = client.post(
        reverse("company_edit", args=[membership.company_id]), company_post(legal_name="Hijack")
    )

    assert (get.status_code, post.status_code) == (404, 404)
    assert Company.objects.get(pk=membership.company_id).legal_name != "Hijack"


def test_another_companys_profile_answers_404(client, db):
    mine = MembershipFactory()
    theirs = CompanyFactory(legal_name="Theirs")
    client.force_login(mine.user)

    get = client.get(reverse("company_edit", args=[theirs.pk]))
    post = client.post(reverse("company_edit", args=[theirs.pk]), company_post(legal_name="Hijack"))

    assert (get.status_code, post.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert theirs.legal_name == "Theirs"
