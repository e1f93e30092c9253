import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageChops
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision
from wagtail.search.backends import get_search_backend

from cms.demo import data, images
from cms.demo.seed import fair_dates
from cms.models import ChamberSettings
from exhibitors.certificates.models import Certificate
from exhibitors.enums import ApplicationStatus, MembershipRole
from exhibitors.models import (
    Booth,
    BoothApplication,
    BoothDocument,
    BoothImage,
    BoothLink,
    BoothProduct,
    BuyerProfile,
    Certification,
    Company,
    Consent,
    Membership,
    OfficeHours,
    Product,
    ProductImage,
    Sector,
    User,
)
from exhibitors.validators import validate_hs_code
from fair.chat.models import Conversation, Message, ReadState
from fair.enums import FairPhase
from fair.leads.models import Lead, LeadEvent, LeadNote, LeadStageChange
from fair.models import BoothPackage, FairPage, Hall
from payments.models import PaymentSettings, TaxRate

SCALE = 0.05
COUNTED = [
    Company,
    Product,
    ProductImage,
    Booth,
    BoothApplication,
    BoothImage,
    BoothDocument,
    BoothLink,
    BoothProduct,
    OfficeHours,
    Membership,
    User,
    EmailAddress,
    BuyerProfile,
    Consent,
    Sector,
    Certification,
    Hall,
    BoothPackage,
    FairPage,
    Page,
    Revision,
    ChamberSettings,
    get_image_model(),
    get_document_model(),
    Conversation,
    Message,
    ReadState,
    Lead,
    LeadEvent,
    LeadNote,
    LeadStageChange,
    PaymentSettings,
    TaxRate,
    Certificate,
]


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", image_scale=SCALE, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in COUNTED}


def media_files() -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One first run for the whole module (it is the slow part); each test's changes roll back."""
    with django_db_blocker.unblock(), transaction.atomic():
        first_output = seed()
        yield first_output
        transaction.set_rollback(True)


def live_fair() -> FairPage:
    return FairPage.objects.get(slug=data.LIVE_FAIR.slug)


def upcoming_fair() -> FairPage:
    return FairPage.objects.get(slug=data.UPCOMING_FAIR.slug)


@pytest.mark.django_db
def test_seed_demo_second_run_adds_nothing_and_moves_dates(seeded):
    counts, files = row_counts(), media_files()
    # A month goes by: both fairs are over.
    for fair in FairPage.objects.all():
        FairPage.objects.filter(pk=fair.pk).update(
            **{name: getattr(fair, name) - timedelta(days=60) for name in fair_dates("live", timezone.now())}
        )
    assert live_fair().phase == FairPhase.CLOSED

    output = seed()

    assert row_counts() == counts
    assert media_files() == files
    assert "Nothing to create" in output
    now = timezone.now()
    live, upcoming = live_fair(), upcoming_fair()
    assert live.phase == FairPhase.LIVE
    assert live.accepts_applications
    assert live.starts_at < now - timedelta(days=1) and live.ends_at > now + timedelta(days=4)
    assert upcoming.phase == FairPhase.APPLICATIONS_OPEN
    assert upcoming.starts_at > now + timedelta(days=35)
    # The admin edits the latest revision: it must carry the moved dates too.
    revision = live.latest_revision.as_object()
    assert revision.starts_at == live.starts_at
    assert revision.ends_at == live.ends_at


@pytest.mark.django_db
def test_seed_demo_run_on_same_day_changes_no_dates(seeded):
    before = {fair.pk: (fair.starts_at, fair.ends_at) for fair in FairPage.objects.all()}
    revisions = Revision.objects.count()

    output = seed()

    assert {fair.pk: (fair.starts_at, fair.ends_at) for fair in FairPage.objects.all()} == before
    assert Revision.objects.count() == revisions
    assert "Moved" not in output


@pytest.mark.django_db
def test_seed_demo_logins_work(seeded, client):
    for account in data.ACCOUNTS:
        assert account.email in seeded and account.password in seeded
        response = client.post(
            reverse("account_login"), {"login": account.email, "password": account.password}
        )
        assert response.status_code == 302 and "_auth_user_id" in client.session, account.email
        address = EmailAddress.objects.get(user__email=account.email)
        assert address.verified and address.primary
        client.logout()
    admin = User.objects.get(email="admin@feria.example")
    assert admin.is_superuser and admin.is_staff
    staff = User.objects.get(email="staff@feria.example")
    assert list(staff.groups.values_list("name", flat=True)) == ["Chamber staff"]
    assert staff.has_perm("wagtailadmin.access_admin")
    owner = User.objects.get(email="owner@feria.example")
    assert owner.memberships.get().company.slug == data.DEMO_OWNER_COMPANY
    assert owner.memberships.get().role == MembershipRole.OWNER
    buyer = User.objects.get(email="buyer@feria.example")
    assert buyer.buyer_profile.company_name == data.BUYER_PROFILE["company_name"]

    client.post(reverse("account_login"), {"login": "staff@feria.example", "password": "feria-staff-2026"})
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_seed_demo_content_matches_the_brief(seeded):
    companies = Company.objects.filter(closed_at__isnull=True).prefetch_related("products", "booths__gallery")
    assert companies.count() == 24
    assert len({company.country.code for company in companies}) >= 8
    assert {company.description_language for company in companies} == {"es", "en", "fr", "pt"}
    for company in companies:
        assert company.description and company.founded_year and company.size
        assert company.sectors.exists() and company.export_markets
        products = list(company.products.all())
        assert 3 <= len(products) <= 8
        for product in products:
            validate_hs_code(product.hs_code)
            assert product.price_min <= product.price_max and product.currency
            assert product.images.count() == 1
    live = live_fair()
    booths = Booth.objects.filter(fair=live).select_related("application", "package")
    assert booths.count() == 24
    assert {booth.application.status for booth in booths} == {ApplicationStatus.APPROVED}
    assert booths.filter(featured=True).count() == 2
    assert booths.filter(package__sponsored=True).count() == 3
    for booth in booths:
        assert booth.logo_id and booth.cover_id
        assert 3 <= booth.gallery.count() <= min(5, booth.package.gallery_size)
        assert booth.office_hours.exists() and booth.links.exists()
        assert 0 < booth.booth_products.count() <= booth.package.max_products
    assert {package.name: package.price_amount for package in live.packages.all()} == {
        "Basic": 0,
        "Standard": 15000,
        "Premium": 45000,
    }
    assert live.halls.count() == 4 and live.time_zone == "America/Lima"
    pending = BoothApplication.objects.filter(booth__fair=upcoming_fair())
    assert pending.count() == len(data.UPCOMING_APPLICANTS)
    assert {application.status for application in pending} == {ApplicationStatus.PENDING}
    assert ChamberSettings.objects.get().chamber_name == data.CHAMBER["chamber_name"]


@pytest.mark.django_db
def test_seed_demo_files_are_real_images_and_pdfs(seeded):
    gallery = BoothImage.objects.select_related("image").first().image
    with gallery.open_file() as handle:
        picture = PILImage.open(handle)
        assert picture.format == "JPEG"
        assert picture.size == images.scaled(images.PHOTO_SIZE, SCALE)
    brochure = BoothDocument.objects.select_related("document").first().document
    with brochure.open_file() as handle:
        assert handle.read(5) == b"%PDF-"
    assert brochure.file_size > 0 and brochure.file_hash


def test_demo_photo_is_photo_sized_jpeg():
    content = images.photo_jpeg(
        size=images.PHOTO_SIZE, palette=("#2d1b12", "#c98b4a", "#e9d8a6"), seed="test", caption="Café"
    )
    picture = PILImage.open(io.BytesIO(content))
    assert (picture.format, picture.size) == ("JPEG", (1600, 1200))
    # Grain makes it weigh what a phone photo weighs, not a few kilobytes of flat colour.
    assert len(content) > 100_000


@pytest.mark.django_db
def test_seed_demo_makes_companies_and_products_searchable(seeded):
    backend = get_search_backend()

    products = backend.search("quinoa", Product.objects.all())
    companies = backend.search("Cafetalera", Company.objects.all())

    assert {product.hs_code for product in products} >= {"100850"}
    assert [company.slug for company in companies] == ["cafetalera-selva-alta"]


@pytest.mark.django_db
def test_seed_demo_live_fair_and_booth_pages_render(seeded, client):
    live = live_fair()

    response = client.get(live.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Cafetalera Selva Alta" in html
    links = re.findall(r'href="([^"]*cafetalera-selva-alta[^"]*)"', html)
    assert links, "the fair page links to the company's booth"
    booth = client.get(links[0])
    assert booth.status_code == 200
    # The coffee exporter's products are written in Spanish and English (cms/demo/translations.py).
    assert '<h3 lang="en">Washed green coffee, Typica</h3>' in booth.content.decode()


@pytest.mark.django_db
def test_seed_demo_inboxes_have_conversations(seeded, client):
    buyer = User.objects.get(email="buyer@feria.example")
    owner = User.objects.get(email="owner@feria.example")
    client.force_login(buyer)

    html = client.get("/en/chat/").content.decode()

    # Three open conversations and one with the demo owner's closed company (cms/demo/closing.py).
    assert html.count("data-chat-inbox-row") == 4
    assert "Cafetalera Selva Alta" in html
    assert re.search(r"data-chat-unread-count>1<", html), "the buyer has an unread answer"
    client.force_login(owner)
    assert "Could you send 3 samples" in client.get("/en/chat/").content.decode()


@pytest.mark.django_db
def test_seed_demo_booth_fee_can_be_paid_by_transfer_with_igv(seeded, client):
    owner = User.objects.get(email="owner@feria.example")
    booth = owner.memberships.get().company.booths.get(fair__slug="expopacifico-2026")
    client.force_login(owner)

    html = client.get(f"/en/payments/booth-fees/{booth.pk}/").content.decode()

    assert data.PAYMENT_SETTINGS["bank_account_number"] in html
    assert "IGV (18 %)" in html


@pytest.mark.django_db
def test_seed_demo_refuses_bad_image_scale(seeded):
    counts = row_counts()
    with pytest.raises(CommandError):
        call_command("seed_demo", image_scale=0, stdout=io.StringIO())
    assert row_counts() == counts


@pytest.mark.django_db
def test_seed_demo_first_run_reports_what_it_created(seeded):
    assert "24 companies" in seeded and "95 products" in seeded
    assert "Nothing to create" not in seeded


@pytest.mark.django_db
def test_seed_demo_links_terms_and_privacy_pages_from_signup(seeded, client):
    chamber = ChamberSettings.objects.get()
    assert chamber.terms_page.title == "Terms of use"
    assert chamber.privacy_page.title == "Privacy notice"

    html = client.get("/en/accounts/signup/").content.decode()

    assert 'href="/en/terms/"' in html
    assert 'href="/en/privacy/"' in html
    assert client.get("/en/privacy/").status_code == 200


@pytest.mark.django_db
def test_seed_demo_staff_sees_the_edit_bar_and_buyers_do_not(seeded, client):
    staff = User.objects.get(email="staff@feria.example")
    buyer = User.objects.get(email="buyer@feria.example")
    assert staff.is_staff and not buyer.is_staff

    client.force_login(staff)
    assert "wagtail-userbar" in client.get(f"/en/{data.LIVE_FAIR.slug}/").content.decode()
    client.force_login(buyer)
    assert "wagtail-userbar" not in client.get(f"/en/{data.LIVE_FAIR.slug}/").content.decode()


@pytest.mark.django_db
def test_seed_demo_fair_opens_in_the_editor_in_lima_time(seeded, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.fair.admin.test_forms import field_value
    from tests.fair.admin.test_panels import EDITOR_QUERY_BUDGET

    fair = live_fair()
    staff = User.objects.get(email="staff@feria.example")
    staff.preferred_language = "en"  # the demo's staff member reads the admin in Spanish
    staff.save(update_fields=["preferred_language"])
    client.force_login(staff)
    client.get(f"/admin/pages/{fair.pk}/edit/")  # the first opening also makes the cover's thumbnail
    with CaptureQueriesContext(connection) as queries:
        content = client.get(f"/admin/pages/{fair.pk}/edit/").content.decode()

    assert field_value(content, "starts_at") == f"{fair.starts_at.astimezone(fair.zone):%Y-%m-%d} 09:00"
    assert "In the fair&#x27;s time zone: America/Lima (UTC−05:00)." in content
    assert "Halls and packages" in content
    assert len(queries) <= EDITOR_QUERY_BUDGET
    assert "America/Lima" in seeded.split("Live fair:")[1]


def test_demo_cover_caption_stays_inside_the_card_crop():
    palette = ("#2d1b12", "#c98b4a", "#e9d8a6")

    def cover(caption: str) -> PILImage.Image:
        content = images.photo_jpeg(
            size=images.COVER_SIZE, palette=palette, seed="fair", caption=caption, caption_within=4 / 3
        )
        return PILImage.open(io.BytesIO(content)).convert("RGB")

    plain = cover("")
    width, height = images.COVER_SIZE
    card_left = (width - height * 4 // 3) // 2  # the fair card shows the middle 4:3 of the cover
    for caption in ("ExpoPacífico 2026", "Feria Internacional de Exportadores del Pacífico Sur 2026"):
        left, top, right, bottom = ImageChops.difference(cover(caption), plain).getbbox()
        # JPEG blocks (16 px with chroma subsampling) around the caption may differ too.
        assert card_left - 16 <= left and right <= width - card_left + 16, caption
    assert bottom - top > height // 5  # the long one wrapped onto several lines


@pytest.mark.django_db
def test_seed_demo_has_a_closed_company_the_buyer_wrote_to(seeded, client):
    from cms.demo.closing import DEMO_NAME
    from fair.chat.models import Conversation

    closed = Company.objects.get(legal_name=DEMO_NAME)
    assert closed.closed_at is not None and not closed.memberships.exists()
    conversation = Conversation.objects.get(company=closed, buyer__email="buyer@feria.example")
    client.force_login(conversation.buyer)
    html = client.get(f"/en/chat/conversations/{conversation.pk}/").content.decode()
    assert "This company has closed." in html


@pytest.mark.django_db
def test_seed_demo_has_verified_members_and_an_intact_record_log(seeded):
    from exhibitors.models import Company
    from exhibitors.records.selectors import records_verify

    assert Company.objects.filter(verified_at__isnull=False).count() == 3
    result = records_verify()
    assert result.ok and result.checked >= 3


@pytest.mark.django_db
def test_seed_demo_has_a_verified_a_pending_and_an_expired_certificate(seeded, client):
    from exhibitors.certificates.enums import CertificateStatus
    from exhibitors.certificates.selectors import verified_certificates

    coffee = Company.objects.get(slug=data.DEMO_OWNER_COMPANY)
    (organic,) = verified_certificates([coffee.pk])[coffee.pk]
    assert organic.title == "EU Organic"
    statuses = set(Certificate.objects.exclude(company=coffee).values_list("status", flat=True))
    assert statuses == {CertificateStatus.PENDING, CertificateStatus.EXPIRED}
    html = client.get(f"/en/{data.LIVE_FAIR.slug}/booths/{coffee.slug}/").content.decode()
    assert "EU Organic ✓ verified by the chamber" in html


@pytest.mark.django_db
def test_seed_demo_has_leads_with_and_without_shared_contact(seeded):
    from fair.leads.selectors import lead_counts, leads_by_stage

    company = Company.objects.get(slug=data.DEMO_OWNER_COMPANY)
    counts = lead_counts(company)
    assert counts["total"] >= 3
    assert 0 < counts["with_contact"] < counts["total"]
    assert leads_by_stage(company)["sample_sent"] == 1
    assert LeadNote.objects.filter(lead__company=company).count() == 3
