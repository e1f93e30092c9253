import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, ModelLogEntry
from wagtail.users.models import UserProfile
from wagtail_localize.operations import translate_object

from exhibitors.enums import ApplicationStatus, MembershipRole
from exhibitors.models import BoothApplication
from exhibitors.tasks import application_decision_email
from fair.models import FairPage
from tests.factories.exhibitors import BoothFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.factories.fair import BoothPackageFactory, FairPageFactory, HallFactory

LIST_URL = "/admin/booth_applications/"


def review_url(application):
    return f"/admin/booth_applications/{application.pk}/"


def logs_for(instance, action):
    return ModelLogEntry.objects.filter(object_id=str(instance.pk), action=action)


def test_application_list_shows_columns(staff_client, home_page):
    booth = BoothFactory(company=CompanyFactory(legal_name="Café Andino S.A.C.", country="PE"))

    response = staff_client.get(LIST_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Café Andino S.A.C." in content
    assert "Peru" in content
    assert booth.fair.title in content
    assert booth.hall.name in content
    assert booth.package.name in content
    assert "Pending review" in content
    assert review_url(booth.application) in content


def test_application_list_filters_by_fair(staff_client, home_page):
    kept = BoothFactory(company=CompanyFactory(legal_name="Kept Coffee"))
    BoothFactory(company=CompanyFactory(legal_name="Other Cacao"))

    response = staff_client.get(LIST_URL, {"fair": kept.fair_id})

    assert "Kept Coffee" in response.content.decode()
    assert "Other Cacao" not in response.content.decode()


def test_application_list_filters_by_hall(staff_client, home_page):
    fair = FairPageFactory()
    coffee_hall = HallFactory(fair=fair, name="Coffee hall")
    textile_hall = HallFactory(fair=fair, name="Textile hall")
    BoothFactory(fair=fair, hall=coffee_hall, company=CompanyFactory(legal_name="Kept Coffee"))
    BoothFactory(fair=fair, hall=textile_hall, company=CompanyFactory(legal_name="Alpaca Knits"))

    response = staff_client.get(LIST_URL, {"hall": coffee_hall.pk})

    assert "Kept Coffee" in response.content.decode()
    assert "Alpaca Knits" not in response.content.decode()


def test_application_list_filters_by_status(staff_client, home_page):
    fair = FairPageFactory()
    BoothFactory(
        fair=fair, company=CompanyFactory(legal_name="Approved Coffee"), status=ApplicationStatus.APPROVED
    )
    BoothFactory(fair=fair, company=CompanyFactory(legal_name="Waiting Cacao"))

    response = staff_client.get(LIST_URL, {"status": ApplicationStatus.APPROVED})

    assert "Approved Coffee" in response.content.decode()
    assert "Waiting Cacao" not in response.content.decode()


def test_application_list_filters_by_country(staff_client, home_page):
    fair = FairPageFactory()
    BoothFactory(fair=fair, company=CompanyFactory(legal_name="Lima Coffee", country="PE"))
    BoothFactory(fair=fair, company=CompanyFactory(legal_name="Quito Cacao", country="EC"))

    response = staff_client.get(LIST_URL, {"country": "EC"})

    content = response.content.decode()
    assert "Quito Cacao" in content
    assert "Lima Coffee" not in content
    # Only countries that have applications are offered.
    assert '<option value="EC"' in content
    assert '<option value="FR"' not in content


def test_application_list_query_count_does_not_grow_with_rows(staff_client, home_page):
    fair = FairPageFactory()
    BoothFactory(fair=fair)
    with CaptureQueriesContext(connection) as one_row:
        assert staff_client.get(LIST_URL).status_code == 200

    for _ in range(6):
        BoothFactory(fair=fair, hall=HallFactory(fair=fair), package=BoothPackageFactory(fair=fair))
    with CaptureQueriesContext(connection) as many_rows:
        response = staff_client.get(LIST_URL)

    assert response.content.decode().count("/admin/booth_applications/") > 7
    assert len(many_rows) == len(one_row)


def test_review_page_shows_company_profile_and_booth(staff_client, home_page):
    company = CompanyFactory(legal_name="Café Andino S.A.C.", city="Cusco", website="https://andino.example")
    owner = MembershipFactory(company=company, user=UserFactory(email="owner@andino.example")).user
    package = BoothPackageFactory(name="Premium", price_amount=15000, currency="USD", sponsored=True)
    booth = BoothFactory(company=company, fair=package.fair, package=package, tagline="Single-origin beans")

    response = staff_client.get(review_url(booth.application))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Cusco" in content
    assert "https://andino.example" in content
    assert owner.email in content
    assert "Single-origin beans" in content
    assert "$150.00" in content
    assert "Yes: the package is a sponsored placement." in content
    assert f"/admin/booth_applications/{booth.application.pk}/approve/" in content
    assert f"/admin/booth_applications/{booth.application.pk}/reject/" in content
    assert 'name="csrfmiddlewaretoken"' in content


def test_approve_moves_application_logs_and_emails(
    staff_client, staff, home_page, django_capture_on_commit_callbacks
):
    booth = BoothFactory()
    member = MembershipFactory(company=booth.company, user=UserFactory(email="owner@sme.example")).user

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"{review_url(booth.application)}approve/")

    assert response.status_code == 302
    application = BoothApplication.objects.get(pk=booth.application.pk)
    assert application.status == ApplicationStatus.APPROVED
    assert application.decided_by == staff
    entry = logs_for(application, "feria.application.approve").get()
    assert entry.user == staff
    assert entry.data["from"] == ApplicationStatus.PENDING
    assert entry.data["to"] == ApplicationStatus.APPROVED
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert "approved" in mail.outbox[0].subject
    assert f"http://127.0.0.1:8000/en/booths/{booth.pk}/" in mail.outbox[0].body


def test_approve_shown_in_application_history(staff_client, home_page, django_capture_on_commit_callbacks):
    booth = BoothFactory()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"{review_url(booth.application)}approve/")

    response = staff_client.get(f"{review_url(booth.application)}history/")

    assert response.status_code == 200
    assert "Booth application approved" in response.content.decode()


def test_reject_without_reason_rerenders_form_with_error(staff_client, home_page):
    booth = BoothFactory()
    MembershipFactory(company=booth.company)

    response = staff_client.post(f"{review_url(booth.application)}reject/", {"reason": "   "})

    assert response.status_code == 200
    assert "Say why the application is rejected" in response.content.decode()
    booth.application.refresh_from_db()
    assert booth.application.status == ApplicationStatus.PENDING
    assert not logs_for(booth.application, "feria.application.reject").exists()
    assert mail.outbox == []


def test_reject_with_reason_logs_and_emails_reason(
    staff_client, staff, home_page, django_capture_on_commit_callbacks
):
    booth = BoothFactory()
    MembershipFactory(company=booth.company)
    reason = "The catalogue has no products yet."

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"{review_url(booth.application)}reject/", {"reason": reason})

    assert response.status_code == 302
    booth.application.refresh_from_db()
    assert booth.application.status == ApplicationStatus.REJECTED
    assert booth.application.reason == reason
    entry = logs_for(booth.application, "feria.application.reject").get()
    assert entry.user == staff
    assert entry.data["reason"] == reason
    assert len(mail.outbox) == 1
    assert reason in mail.outbox[0].body
    assert f"/en/booths/{booth.pk}/" in mail.outbox[0].body


def test_approve_forbidden_move_shows_error(staff_client, home_page, django_capture_on_commit_callbacks):
    booth = BoothFactory(status=ApplicationStatus.WITHDRAWN)
    MembershipFactory(company=booth.company)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"{review_url(booth.application)}approve/", follow=True)

    assert "An application cannot go from “Withdrawn” to “Approved”." in response.content.decode()
    booth.application.refresh_from_db()
    assert booth.application.status == ApplicationStatus.WITHDRAWN
    assert not logs_for(booth.application, "feria.application.approve").exists()
    assert mail.outbox == []


def test_approve_refuses_get(staff_client, home_page):
    booth = BoothFactory()

    response = staff_client.get(f"{review_url(booth.application)}approve/")

    assert response.status_code == 405
    booth.application.refresh_from_db()
    assert booth.application.status == ApplicationStatus.PENDING


def test_decision_email_uses_each_members_language(
    staff_client, home_page, django_capture_on_commit_callbacks
):
    booth = BoothFactory()
    MembershipFactory(
        company=booth.company, user=UserFactory(email="dueña@sme.example", preferred_language="es")
    )
    MembershipFactory(
        company=booth.company,
        user=UserFactory(email="staff@sme.example", preferred_language="fr"),
        role=MembershipRole.STAFF,
    )

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"{review_url(booth.application)}approve/")

    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address["dueña@sme.example"].extra_headers["Content-Language"] == "es"
    assert f"http://127.0.0.1:8000/es/booths/{booth.pk}/" in by_address["dueña@sme.example"].body
    assert by_address["staff@sme.example"].extra_headers["Content-Language"] == "fr"
    assert f"http://127.0.0.1:8000/fr/booths/{booth.pk}/" in by_address["staff@sme.example"].body


def test_decision_email_skips_inactive_members(staff_client, home_page, django_capture_on_commit_callbacks):
    booth = BoothFactory()
    MembershipFactory(company=booth.company, user=UserFactory(email="gone@sme.example", is_active=False))

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"{review_url(booth.application)}approve/")

    assert mail.outbox == []


def test_decision_email_task_sends_nothing_once_decision_changed(home_page):
    booth = BoothFactory(status=ApplicationStatus.REJECTED)
    MembershipFactory(company=booth.company)

    result = application_decision_email.enqueue(
        application_id=booth.application.pk, status=ApplicationStatus.APPROVED
    )

    assert result.return_value == 0
    assert mail.outbox == []


def test_feature_toggle_logs_both_ways(staff_client, staff, home_page):
    booth = BoothFactory(status=ApplicationStatus.APPROVED)
    url = f"{review_url(booth.application)}featured/"

    staff_client.post(url, {"featured": "true"})
    booth.refresh_from_db()
    assert booth.featured is True
    assert logs_for(booth, "feria.booth.feature").get().user == staff

    staff_client.post(url, {"featured": "false"})
    booth.refresh_from_db()
    assert booth.featured is False
    assert logs_for(booth, "feria.booth.unfeature").get().user == staff


def test_feature_refused_for_pending_application(staff_client, home_page):
    booth = BoothFactory()

    response = staff_client.post(
        f"{review_url(booth.application)}featured/", {"featured": "true"}, follow=True
    )

    assert "Only booths with an approved application can be featured." in response.content.decode()
    booth.refresh_from_db()
    assert booth.featured is False
    assert not logs_for(booth, "feria.booth.feature").exists()


def test_featured_is_not_sponsored(staff_client, home_page):
    package = BoothPackageFactory(sponsored=False)
    booth = BoothFactory(fair=package.fair, package=package, status=ApplicationStatus.APPROVED)

    staff_client.post(f"{review_url(booth.application)}featured/", {"featured": "true"})

    booth.refresh_from_db()
    package.refresh_from_db()
    assert booth.featured is True
    assert package.sponsored is False
    content = staff_client.get(review_url(booth.application)).content.decode()
    assert "Yes: the package is a sponsored placement." not in content
    assert "Stop featuring this booth" in content


def test_reject_unfeatures_booth(staff_client, home_page, django_capture_on_commit_callbacks):
    # Featured while approved, then withdrawn and sent again by the exhibitor: pending, still flagged.
    booth = BoothFactory(status=ApplicationStatus.PENDING, featured=True)

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"{review_url(booth.application)}reject/", {"reason": "Products are not allowed."})

    booth.refresh_from_db()
    assert booth.featured is False
    assert logs_for(booth, "feria.booth.unfeature").exists()


def test_approved_application_offers_no_decision_and_refuses_rejection(staff_client, home_page):
    booth = BoothFactory(status=ApplicationStatus.APPROVED)

    content = staff_client.get(review_url(booth.application)).content.decode()
    response = staff_client.post(f"{review_url(booth.application)}reject/", {"reason": "Changed our mind."})

    assert f"{review_url(booth.application)}reject/" not in content
    assert f"{review_url(booth.application)}approve/" not in content
    assert 'name="reason"' not in content
    assert "No decision to take: the application is “Approved”." in content
    assert response.status_code == 302
    booth.application.refresh_from_db()
    assert booth.application.status == ApplicationStatus.APPROVED
    assert not logs_for(booth.application, "feria.application.reject").exists()


def test_reason_field_belongs_to_the_reject_form_only(staff_client, home_page):
    booth = BoothFactory()

    content = staff_client.get(review_url(booth.application)).content.decode()

    forms = re.findall(r"<form method=\"post\" action=\"([^\"]+)\".*?</form>", content, flags=re.DOTALL)
    by_action = dict(
        re.findall(r"<form method=\"post\" action=\"([^\"]+)\"(.*?)</form>", content, flags=re.DOTALL)
    )
    assert len(forms) >= 2
    assert 'name="reason"' in by_action[f"{review_url(booth.application)}reject/"]
    assert 'name="reason"' not in by_action[f"{review_url(booth.application)}approve/"]
    assert content.count('name="reason"') == 1


@pytest.mark.parametrize(
    ("language", "approve", "reject"),
    [
        ("en", "Approve", "Reject"),
        ("es", "Aprobar", "Rechazar"),
        ("fr", "Approuver", "Refuser"),
        ("pt", "Aprovar", "Recusar"),
    ],
)
def test_decision_buttons_have_visible_text_labels_in_each_language(
    staff_client, staff, home_page, language, approve, reject
):
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = language
    profile.save()
    booth = BoothFactory()

    content = staff_client.get(review_url(booth.application)).content.decode()

    buttons = {
        label.strip(): classes
        for classes, label in re.findall(
            r'<button type="submit" class="([^"]+)">\s*<span class="icon-wrapper">.*?</span>([^<]+)</button>',
            content,
            flags=re.DOTALL,
        )
    }
    # Wagtail sizes a button's icon only with "button--icon"; without it the icon fills the button.
    assert "button--icon" in buttons[approve]
    assert "button--icon" in buttons[reject]
    assert re.search(r'<svg class="icon icon-check[^"]*" aria-hidden="true"', content)


def test_application_screens_refuse_anonymous(client, home_page):
    booth = BoothFactory()

    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert client.get(review_url(booth.application)).status_code == 302


def test_application_screens_refuse_exhibitor(client, home_page):
    booth = BoothFactory()
    owner = MembershipFactory(company=booth.company).user
    client.force_login(owner)

    assert client.get(LIST_URL).status_code == 302
    response = client.post(f"{review_url(booth.application)}approve/")

    assert response.status_code == 302
    booth.application.refresh_from_db()
    assert booth.application.status == ApplicationStatus.PENDING


def test_application_screens_refuse_admin_user_outside_chamber_staff(client, home_page):
    booth = BoothFactory(status=ApplicationStatus.APPROVED)
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)

    assert client.get("/admin/").status_code == 200
    list_response = client.get(LIST_URL)
    feature_response = client.post(f"{review_url(booth.application)}featured/", {"featured": "true"})

    assert list_response.status_code == 302
    assert list_response["Location"] == "/admin/"
    assert feature_response.status_code == 302
    booth.refresh_from_db()
    assert booth.featured is False


def test_viewer_without_booth_permission_cannot_feature(client, home_page):
    booth = BoothFactory(status=ApplicationStatus.APPROVED)
    reviewer = UserFactory()
    reviewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_boothapplication"),
    )
    client.force_login(reviewer)

    assert client.get(review_url(booth.application)).status_code == 200
    response = client.post(f"{review_url(booth.application)}featured/", {"featured": "true"})

    assert response.status_code == 302
    booth.refresh_from_db()
    assert booth.featured is False


def test_dashboard_lists_pending_applications_per_fair(staff_client, home_page):
    fair = FairPageFactory(title="Andean Coffee Fair")
    BoothFactory(fair=fair)
    BoothFactory(fair=fair, hall=HallFactory(fair=fair))
    BoothFactory(fair=fair, hall=HallFactory(fair=fair), status=ApplicationStatus.APPROVED)

    content = staff_client.get("/admin/").content.decode()

    assert "Booth applications awaiting review" in content
    assert f"/admin/booth_applications/?fair={fair.pk}&amp;status=pending" in content
    assert "<td>2</td>" in content


def test_dashboard_hides_pending_applications_from_other_editors(client, home_page):
    BoothFactory()
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)

    assert "Booth applications awaiting review" not in client.get("/admin/").content.decode()


def test_decision_email_names_fair_in_members_language(
    staff_client, home_page, django_capture_on_commit_callbacks
):
    fair = FairPageFactory(title="Andean Coffee Fair")
    spanish = Locale.objects.get(language_code="es")
    translate_object(fair, [spanish])
    copy = FairPage.objects.get(translation_key=fair.translation_key, locale=spanish)
    copy.title = "Feria Andina del Café"
    copy.save_revision().publish()
    booth = BoothFactory(fair=fair)
    member_es = UserFactory(email="es@sme.example", preferred_language="es")
    MembershipFactory(company=booth.company, user=member_es)
    member_en = UserFactory(email="en@sme.example", preferred_language="en")
    MembershipFactory(company=booth.company, user=member_en)

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"{review_url(booth.application)}approve/")

    by_address = {message.to[0]: message for message in mail.outbox}
    assert "Feria Andina del Café" in by_address["es@sme.example"].subject
    assert "Andean Coffee Fair" in by_address["en@sme.example"].subject
