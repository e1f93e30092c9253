from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from exhibitors.enums import ApplicationStatus, MembershipRole
from exhibitors.models import Booth, BoothApplication
from exhibitors.services.applications import ApplicationTransitionError, booth_application_transition
from exhibitors.services.booths import booth_application_resubmit, booth_application_withdraw, booth_apply
from tests.factories.exhibitors import BoothFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.factories.fair import BoothPackageFactory, FairPageFactory, HallFactory
from tests.factories.uploads import BoothImageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return MembershipFactory(role=MembershipRole.STAFF)


@pytest.fixture
def fair():
    fair = FairPageFactory()
    HallFactory(fair=fair, name="Coffee")
    HallFactory(fair=fair, name="Textiles")
    BoothPackageFactory(fair=fair, name="Basic", gallery_size=2, max_products=2)
    BoothPackageFactory(fair=fair, name="Premium", price_amount=15000, gallery_size=8, max_products=20)
    return fair


def _apply_url(member, fair):
    return reverse("booth_apply", kwargs={"company_id": member.company_id, "fair_id": fair.pk})


def test_booth_apply_creates_booth_and_pending_application(member, fair):
    hall, package = fair.halls.first(), fair.packages.first()

    booth = booth_apply(
        company=member.company, fair=fair, hall=hall, package=package, by=member.user, language="es"
    )

    application = BoothApplication.objects.get(booth=booth)
    assert application.status == ApplicationStatus.PENDING
    assert application.submitted_by == member.user
    assert (booth.hall, booth.package, booth.language) == (hall, package, "es")


def test_booth_apply_second_booth_same_fair_refused(member, fair):
    hall, package = fair.halls.first(), fair.packages.first()
    booth_apply(company=member.company, fair=fair, hall=hall, package=package, by=member.user, language="en")

    with pytest.raises(ValidationError) as caught:
        booth_apply(
            company=member.company, fair=fair, hall=hall, package=package, by=member.user, language="en"
        )

    assert caught.value.code == "booth_exists"
    assert Booth.objects.filter(company=member.company).count() == 1


def test_booth_apply_closed_fair_refused(member):
    fair = FairPageFactory(applications_close_at=timezone.now() - timedelta(hours=1))
    hall, package = HallFactory(fair=fair), BoothPackageFactory(fair=fair)

    with pytest.raises(ValidationError) as caught:
        booth_apply(
            company=member.company, fair=fair, hall=hall, package=package, by=member.user, language="en"
        )

    assert caught.value.code == "closed"
    assert not Booth.objects.exists()


def test_booth_apply_hall_of_other_fair_refused(member, fair):
    other_hall = HallFactory()

    with pytest.raises(ValidationError) as caught:
        booth_apply(
            company=member.company,
            fair=fair,
            hall=other_hall,
            package=fair.packages.first(),
            by=member.user,
            language="en",
        )

    assert "hall" in caught.value.message_dict
    assert not Booth.objects.exists()


def test_booth_apply_translated_fair_page_uses_original(member, fair):
    french, _created = Locale.objects.get_or_create(language_code="fr")
    translation = fair.copy_for_translation(french, copy_parents=True)
    translation.save_revision().publish()

    booth = booth_apply(
        company=member.company,
        fair=translation,
        hall=fair.halls.first(),
        package=fair.packages.first(),
        by=member.user,
        language="fr",
    )

    assert booth.fair_id == fair.pk


def test_booth_application_resubmit_after_rejection(member, fair):
    booth = BoothFactory(company=member.company, fair=fair, status=ApplicationStatus.REJECTED)
    new_hall = fair.halls.get(name="Textiles")

    application = booth_application_resubmit(
        booth=booth, hall=new_hall, package=booth.package, by=member.user
    )

    booth.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING
    assert booth.hall == new_hall
    assert BoothApplication.objects.get(booth=booth).submitted_by == member.user


def test_booth_application_resubmit_while_pending_refused(member, fair):
    booth = BoothFactory(company=member.company, fair=fair)

    with pytest.raises(ApplicationTransitionError):
        booth_application_resubmit(booth=booth, hall=booth.hall, package=booth.package, by=member.user)


def test_booth_application_resubmit_to_smaller_package_than_gallery_refused(member, fair):
    premium = fair.packages.get(name="Premium")
    basic = fair.packages.get(name="Basic")
    booth = BoothFactory(
        company=member.company, fair=fair, package=premium, status=ApplicationStatus.WITHDRAWN
    )
    BoothImageFactory.create_batch(3, booth=booth)

    with pytest.raises(ValidationError) as caught:
        booth_application_resubmit(booth=booth, hall=booth.hall, package=basic, by=member.user)

    assert "package" in caught.value.message_dict
    assert BoothApplication.objects.get(booth=booth).status == ApplicationStatus.WITHDRAWN


def test_booth_application_withdraw_then_resubmit(member, fair):
    booth = BoothFactory(company=member.company, fair=fair, status=ApplicationStatus.APPROVED)

    booth_application_withdraw(booth=booth, by=member.user)
    assert BoothApplication.objects.get(booth=booth).status == ApplicationStatus.WITHDRAWN
    booth_application_resubmit(booth=booth, hall=booth.hall, package=booth.package, by=member.user)

    assert BoothApplication.objects.get(booth=booth).status == ApplicationStatus.PENDING


def test_booth_apply_view_get_shows_halls_and_packages(client, member, fair):
    client.force_login(member.user)

    response = client.get(_apply_url(member, fair))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Coffee" in content and "Textiles" in content
    assert "Premium" in content and "free" in content
    assert 'name="csrfmiddlewaretoken"' in content


def test_booth_apply_view_post_creates_booth(client, member, fair):
    client.force_login(member.user)
    hall, package = fair.halls.get(name="Coffee"), fair.packages.get(name="Premium")

    response = client.post(_apply_url(member, fair), {"hall": hall.pk, "package": package.pk})

    booth = Booth.objects.get(company=member.company, fair=fair)
    assert response.status_code == 302
    assert response["Location"] == reverse("booth_edit", kwargs={"booth_id": booth.pk})
    assert booth.application.status == ApplicationStatus.PENDING


def test_booth_apply_view_missing_choice_rerenders_with_choice_kept(client, member, fair):
    client.force_login(member.user)
    hall = fair.halls.get(name="Textiles")

    response = client.post(_apply_url(member, fair), {"hall": hall.pk})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert response.context["form"].data["hall"] == str(hall.pk)
    assert not Booth.objects.exists()


def test_booth_apply_view_package_of_other_fair_refused(client, member, fair):
    client.force_login(member.user)
    foreign_package = BoothPackageFactory()

    response = client.post(
        _apply_url(member, fair), {"hall": fair.halls.first().pk, "package": foreign_package.pk}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["package"]
    assert not Booth.objects.exists()


def test_booth_apply_view_existing_pending_booth_shows_status_not_form(client, member, fair):
    booth = BoothFactory(company=member.company, fair=fair)
    client.force_login(member.user)

    response = client.get(_apply_url(member, fair))

    content = response.content.decode()
    assert "Pending review" in content
    assert reverse("booth_withdraw", kwargs={"booth_id": booth.pk}) in content
    assert 'name="package"' not in content


def test_booth_apply_view_duplicate_post_refused_with_message(client, member, fair):
    BoothFactory(company=member.company, fair=fair)
    client.force_login(member.user)

    response = client.post(
        _apply_url(member, fair), {"hall": fair.halls.first().pk, "package": fair.packages.first().pk}
    )

    assert response.status_code == 200
    assert "already has a booth at this fair" in response.content.decode()
    assert Booth.objects.filter(company=member.company).count() == 1


def test_booth_apply_view_rejected_shows_reason_and_resubmits(client, member, fair):
    booth = BoothFactory(company=member.company, fair=fair)
    chamber = UserFactory(is_staff=True)
    booth_application_transition(
        application=booth.application, to=ApplicationStatus.REJECTED, by=chamber, reason="Logo missing."
    )
    client.force_login(member.user)

    page = client.get(_apply_url(member, fair)).content.decode()
    response = client.post(_apply_url(member, fair), {"hall": booth.hall_id, "package": booth.package_id})

    assert "Rejected" in page and "Logo missing." in page
    assert "Send the application again" in page
    assert response.status_code == 302
    assert BoothApplication.objects.get(booth=booth).status == ApplicationStatus.PENDING


def test_booth_apply_view_closed_fair_says_so(client, member):
    fair = FairPageFactory(applications_open_at=timezone.now() + timedelta(days=1))
    HallFactory(fair=fair)
    BoothPackageFactory(fair=fair)
    client.force_login(member.user)

    response = client.get(_apply_url(member, fair))
    post = client.post(
        _apply_url(member, fair), {"hall": fair.halls.first().pk, "package": fair.packages.first().pk}
    )

    assert "not accepting applications" in response.content.decode()
    assert 'name="hall"' not in response.content.decode()
    assert post.status_code == 200
    assert not Booth.objects.exists()


def test_booth_apply_view_other_company_404(client, member, fair):
    other = CompanyFactory()
    client.force_login(member.user)

    url = reverse("booth_apply", kwargs={"company_id": other.pk, "fair_id": fair.pk})

    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"hall": fair.halls.first().pk, "package": fair.packages.first().pk}).status_code
        == 404
    )
    assert not Booth.objects.exists()


def test_booth_apply_view_unknown_fair_404(client, member):
    client.force_login(member.user)

    url = reverse("booth_apply", kwargs={"company_id": member.company_id, "fair_id": 999999})

    assert client.get(url).status_code == 404


def test_booth_apply_view_anonymous_redirected_to_login(client, member, fair):
    response = client.get(_apply_url(member, fair))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_booth_withdraw_view_withdraws(client, member, fair):
    booth = BoothFactory(company=member.company, fair=fair)
    client.force_login(member.user)

    response = client.post(reverse("booth_withdraw", kwargs={"booth_id": booth.pk}))

    assert response.status_code == 302
    assert BoothApplication.objects.get(booth=booth).status == ApplicationStatus.WITHDRAWN


def test_booth_withdraw_view_get_not_allowed(client, member, fair):
    booth = BoothFactory(company=member.company, fair=fair)
    client.force_login(member.user)

    response = client.get(reverse("booth_withdraw", kwargs={"booth_id": booth.pk}))

    assert response.status_code == 405
    assert BoothApplication.objects.get(booth=booth).status == ApplicationStatus.PENDING


def test_booth_withdraw_view_twice_shows_error(client, member, fair):
    booth = BoothFactory(company=member.company, fair=fair, status=ApplicationStatus.WITHDRAWN)
    client.force_login(member.user)

    response = client.post(reverse("booth_withdraw", kwargs={"booth_id": booth.pk}), follow=True)

    assert "cannot go from" in response.content.decode()


def test_booth_withdraw_view_other_company_404(client, member, fair):
    booth = BoothFactory(fair=fair)
    client.force_login(member.user)

    response = client.post(reverse("booth_withdraw", kwargs={"booth_id": booth.pk}))

    assert response.status_code == 404
    assert BoothApplication.objects.get(booth=booth).status == ApplicationStatus.PENDING
