import importlib

from django.apps import apps
from django.contrib.auth.models import Group
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission
from wagtail.permissions import policy_registry

from tests.factories.exhibitors import UserFactory
from tests.factories.fair import FairPageFactory

EXPECTED_PERMISSIONS = {
    "wagtailadmin.access_admin",
    "wagtail_localize.submit_translation",
    "exhibitors.view_boothapplication",
    "exhibitors.change_boothapplication",
    "exhibitors.change_booth",
    *(f"fair.{action}_hall" for action in ("add", "change", "delete")),
    *(f"fair.{action}_boothpackage" for action in ("add", "change", "delete")),
    *(f"exhibitors.{action}_sector" for action in ("add", "change", "delete")),
    *(f"exhibitors.{action}_certification" for action in ("add", "change", "delete")),
    # Chat moderation (fair/chat/migrations/0002_chamber_staff_chat_reports.py).
    "chat.view_messagereport",
    "chat.change_messagereport",
    # Booth fees (payments/migrations/0002_chamber_staff_payments.py).
    "payments.view_order",
    "payments.add_banktransferreceipt",
    "payments.change_paymentsettings",
    *(f"payments.{action}_taxrate" for action in ("add", "change", "delete")),
    # Proofs of transfer and other private files (payments/migrations/0006_move_bank_proofs_...).
    "exhibitors.view_privatefile",
    # Stripe events, including the ones given up (payments/migrations/0008_stripe_event_gave_up.py).
    "payments.view_stripeevent",
    # The meetings overview and repeated no-shows (fair/meetings/migrations/0003_chamber_staff_meetings.py).
    "meetings.view_meeting",
    # Verifying member companies (exhibitors/migrations/0008_chamber_staff_verify_companies.py).
    "exhibitors.view_company",
    "exhibitors.change_company",
    # Checking certificates against the originals (exhibitors/certificates/migrations/0002_...).
    "certificates.view_certificate",
    "certificates.change_certificate",
    # Complaints: the queue, mediation and decisions (complaints/migrations/0002_chamber_staff_complaints.py).
    "complaints.view_complaint",
    "complaints.change_complaint",
    # Requests for quotation and who asked (quotes/migrations/0002_chamber_staff_quotes.py).
    "quotes.view_quoterequest",
    "quotes.view_quote",
    # The chamber report (results/migrations/0002_chamber_staff_report.py).
    "results.view_chamber_report",
}


def group_permissions(group):
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_chamber_staff_group_exists_after_migrate(home_page):
    group = Group.objects.get(name="Chamber staff")

    assert group_permissions(group) == EXPECTED_PERMISSIONS
    assert set(
        group.page_permissions.filter(page=home_page).values_list("permission__codename", flat=True)
    ) == {
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
    }
    root = Collection.get_first_root_node()
    assert set(
        group.collection_permissions.filter(collection=root).values_list("permission__codename", flat=True)
    ) == {
        f"{action}_{kind}"
        for action in ("add", "change", "delete", "choose")
        for kind in ("image", "document")
    }


def test_chamber_staff_migration_is_idempotent(home_page):
    migration = importlib.import_module("cms.migrations.0004_chamber_staff_group")
    group = Group.objects.get(name="Chamber staff")
    before = (
        group.permissions.count(),
        GroupPagePermission.objects.filter(group=group).count(),
        GroupCollectionPermission.objects.filter(group=group).count(),
    )

    migration.create_chamber_staff_group(apps, None)

    assert Group.objects.filter(name="Chamber staff").count() == 1
    assert (
        group.permissions.count(),
        GroupPagePermission.objects.filter(group=group).count(),
        GroupCollectionPermission.objects.filter(group=group).count(),
    ) == before


def test_chamber_staff_edit_and_publish_fair_pages(staff, home_page):
    fair = FairPageFactory()

    home_permissions = home_page.permissions_for_user(staff)
    fair_permissions = fair.permissions_for_user(staff)

    assert home_permissions.can_add_subpage()
    assert fair_permissions.can_edit()
    assert fair_permissions.can_publish()
    assert fair_permissions.can_lock()
    assert policy_registry.get_by_type(get_image_model()).user_has_permission(staff, "add")
    assert policy_registry.get_by_type(get_document_model()).user_has_permission(staff, "choose")


def test_chamber_staff_reach_their_admin_screens(staff_client, home_page):
    for url in (
        "/admin/",
        "/admin/booth_applications/",
        "/admin/halls/",
        "/admin/booth_packages/",
        "/admin/sectors/",
        "/admin/certifications/",
        f"/admin/pages/add/fair/fairpage/{home_page.pk}/",
        "/admin/images/",
        "/admin/documents/",
    ):
        assert staff_client.get(url).status_code == 200, url


def test_user_outside_chamber_staff_cannot_reach_fair_setup(client, home_page):
    client.force_login(UserFactory())

    for url in ("/admin/booth_applications/", "/admin/halls/", "/admin/booth_packages/", "/admin/sectors/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
