"""Write the demo data (cms/demo/data.py) through the models and Wagtail's APIs.

Everything is looked up by a natural key (a slug, an e-mail, a name within its parent) and created only when
missing, so a second run writes nothing new: it only moves the fairs' dates so that one fair stays live
(started two days ago, ends in five) and the other stays upcoming (starts in six weeks).
"""

import io
import logging
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Revision, Site
from wagtail.rich_text import RichText
from wagtail.search.backends import get_search_backend
from wagtail.utils.file import hash_filelike

from cms.demo import data, images
from cms.demo.calls import seed_call
from cms.demo.certificates import certificates_seed
from cms.demo.chat import ChatSteps
from cms.demo.closing import closing_demo
from cms.demo.complaints import seed_complaints
from cms.demo.exhibitors import ExhibitorSteps
from cms.demo.leads import seed_leads
from cms.demo.matchmaking import demo_matchmaking
from cms.demo.meetings import seed_meetings
from cms.demo.privacy import privacy_demo
from cms.demo.quotes import seed_quotes
from cms.demo.records import RecordSteps
from cms.demo.results import results_demo
from cms.demo.translations import translations_seed
from cms.models import ChamberSettings, HomePage, StandardPage
from exhibitors.enums import ConsentKind
from exhibitors.hs import hs_is_subheading
from exhibitors.models import (
    Booth,
    BoothImage,
    BuyerProfile,
    Certification,
    Company,
    Consent,
    Product,
    ProductImage,
    Sector,
    User,
)
from exhibitors.renditions import (
    BOOTH_COVER_SIZES,
    FAIR_COVER_SIZES,
    GALLERY_SIZES,
    LOGO_SIZES,
    PRODUCT_IMAGE_SIZES,
    rendition_specs,
)
from exhibitors.services.renditions import image_renditions_make
from fair.models import BoothPackage, FairPage, Hall
from payments.models import PaymentSettings, TaxRate

logger = logging.getLogger("feria.demo")

CHAMBER_STAFF_GROUP = "Chamber staff"
DEMO_COLLECTION = "Demo exhibitors"
FAIR_TIME_ZONE = "America/Lima"
DATE_FIELDS = ("applications_open_at", "applications_close_at", "starts_at", "ends_at")


class DemoDataError(Exception):
    """The demo data itself is wrong (e.g. an HS code that is not in the nomenclature)."""


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    live_fair: FairPage | None = None
    upcoming_fair: FairPage | None = None
    dates_moved: bool = False

    def count(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n


def demo_data_check() -> None:
    """Refuse demo data that would not pass the site's own validation."""
    for company in data.COMPANIES:
        for product in company.products:
            if not hs_is_subheading(product.hs_code):
                raise DemoDataError(f"{company.slug}: {product.hs_code} is not an HS 2022 subheading")
            if product.price_max < product.price_min:
                raise DemoDataError(f"{company.slug}: {product.name}: price range reversed")
        if not 3 <= len(company.products) <= 8:
            raise DemoDataError(f"{company.slug}: a demo company has 3 to 8 products")


def fair_dates(key: str, now: datetime) -> dict[str, datetime]:
    """The live fair started two days ago and ends in five; the upcoming one starts in six weeks."""
    zone = zoneinfo.ZoneInfo(FAIR_TIME_ZONE)
    today = timezone.localtime(now, zone).date()

    def at(day, hour: int) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=zone)

    if key == "live":
        starts = at(today - timedelta(days=2), 9)
        ends = at(today + timedelta(days=5), 18)
        return {
            "applications_open_at": at(today - timedelta(days=60), 0),
            "applications_close_at": ends - timedelta(days=1),
            "starts_at": starts,
            "ends_at": ends,
        }
    starts = at(today + timedelta(days=42), 9)
    return {
        "applications_open_at": at(today - timedelta(days=10), 0),
        "applications_close_at": starts - timedelta(days=7),
        "starts_at": starts,
        "ends_at": at(today + timedelta(days=46), 18),
    }


def demo_seed(
    *, image_scale: float = 1.0, now: datetime | None = None, log: Callable[[str], None] = logger.info
) -> SeedReport:
    """Create whatever demo rows are missing and move the fairs' dates; writes image and PDF files to
    media storage and updates the search index for companies, products and fairs synchronously."""
    demo_data_check()
    now = now or timezone.now()
    report = SeedReport()
    seeder = _Seeder(image_scale=image_scale, now=now, report=report, log=log)
    seeder.run()
    return report


class _Seeder(ExhibitorSteps, ChatSteps, RecordSteps):
    def __init__(self, *, image_scale: float, now: datetime, report: SeedReport, log):
        self.scale = image_scale
        self.now = now
        self.report = report
        self.log = log

    # --- the whole run ---

    def run(self) -> None:
        with transaction.atomic():
            self.site = Site.objects.get(is_default_site=True)
            self.home = self.site.root_page.specific
            self.locale = Locale.get_default()
            self.chamber()
            self.payment_settings()
            self.home_intro()
            self.legal_pages()
            self.sectors = self.by_slug(Sector, data.SECTORS)
            self.certifications = self.by_slug(Certification, data.CERTIFICATIONS)
            self.collection = self.demo_collection()
            self.accounts()
        fairs = {}
        for fair_data in (data.LIVE_FAIR, data.UPCOMING_FAIR):
            with transaction.atomic():
                fairs[fair_data.key] = self.fair(fair_data)
        self.report.live_fair = fairs["live"]
        self.report.upcoming_fair = fairs["upcoming"]
        self.halls = {key: {hall.name: hall for hall in fair.halls.all()} for key, fair in fairs.items()}
        self.packages = {key: {p.name: p for p in fair.packages.all()} for key, fair in fairs.items()}
        self.fairs = fairs
        for number, company_data in enumerate(data.COMPANIES, start=1):
            with transaction.atomic():
                self.company(company_data)
            if number % 6 == 0:
                self.log(f"  {number}/{len(data.COMPANIES)} companies")
        with transaction.atomic():
            self.upcoming_applications()
            translations_seed(self.report)
        seed_meetings(self)
        seed_call(self)
        with transaction.atomic():
            self.chat()
        demo_matchmaking(self)  # cms/demo/matchmaking.py
        seed_quotes(self)  # cms/demo/quotes.py
        with transaction.atomic():
            self.records()
        seed_complaints(self)  # cms/demo/complaints.py
        privacy_demo(self.people["buyer"])
        certificates_seed(self)  # cms/demo/certificates.py
        results_demo(self)  # cms/demo/results.py
        seed_leads(self)  # cms/demo/leads.py
        closing_demo(self)  # cms/demo/closing.py
        self.renditions()
        self.search_index()

    # --- site ---

    def chamber(self) -> None:
        chamber, created = ChamberSettings.objects.get_or_create(site=self.site, defaults=data.CHAMBER)
        default_name = ChamberSettings._meta.get_field("chamber_name").default
        # Any page view creates the row with the model's defaults; fill it in only while it is untouched.
        if not created and chamber.chamber_name == default_name and not chamber.address:
            for name, value in data.CHAMBER.items():
                setattr(chamber, name, value)
            chamber.save()
            created = True
        if created:
            self.report.count("chamber settings")

    def payment_settings(self) -> None:
        """Bank details and the tax on booth fees, so a booth fee can be paid by transfer in the demo."""
        settings_row, created = PaymentSettings.objects.get_or_create(site=self.site)
        if not settings_row.bank_account_number:
            for name, value in data.PAYMENT_SETTINGS.items():
                setattr(settings_row, name, value)
            settings_row.save()
            self.report.count("payment settings")
        for rate in data.TAX_RATES:
            _tax, created = TaxRate.objects.get_or_create(
                name=rate["name"], defaults={"rate": Decimal(rate["rate"])}
            )
            if created:
                self.report.count("tax rates")

    def legal_pages(self) -> None:
        """The terms of use and privacy notice accepted at sign-up, linked from the chamber settings."""
        chamber = ChamberSettings.for_site(self.site)
        changed = False
        for setting, slug, title, paragraphs in data.LEGAL_PAGES:
            page = StandardPage.objects.child_of(self.home).filter(slug=slug).first()
            if page is None:
                body = [("paragraph", RichText(f"<p>{text}</p>")) for text in paragraphs]
                page = StandardPage(title=title, slug=slug, body=body)
                self.home.add_child(instance=page)
                page.save_revision().publish()
                self.report.count("legal pages")
            if getattr(chamber, f"{setting}_id") is None:
                setattr(chamber, setting, page)
                changed = True
        if changed:
            chamber.save()

    def home_intro(self) -> None:
        home = self.home
        if not isinstance(home, HomePage) or len(home.intro):
            return
        home.intro = [("paragraph", RichText(data.HOME_INTRO))]
        home.save_revision().publish()
        self.report.count("home page intro")

    def by_slug(self, model, rows) -> dict:
        found = {obj.slug: obj for obj in model.objects.filter(slug__in=[slug for slug, _ in rows])}
        for slug, name in rows:
            if slug in found:
                continue
            # A row of the same name made by hand (other slug) is the same thing: use it.
            existing = model.objects.filter(name=name).first()
            if existing is None:
                existing = model.objects.create(slug=slug, name=name)
                self.report.count(model._meta.verbose_name_plural)
            found[slug] = existing
        return found

    def demo_collection(self) -> Collection:
        root = Collection.get_first_root_node()
        collection = root.get_children().filter(name=DEMO_COLLECTION).first()
        if collection is None:
            collection = root.add_child(name=DEMO_COLLECTION)
            self.report.count("collections")
        return collection

    # --- people ---

    def user(self, *, email: str, password: str | None, **fields) -> tuple[User, bool]:
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            user = User(email=email, **fields)
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
            self.report.count("users")
        EmailAddress.objects.get_or_create(
            user=user, email__iexact=email, defaults={"email": email, "verified": True, "primary": True}
        )
        return user, created

    def accounts(self) -> None:
        group, created = Group.objects.get_or_create(name=CHAMBER_STAFF_GROUP)
        if created:
            self.report.count("groups")
        # The group's full permissions come from its data migration; admin access is the one thing the
        # demo staff login cannot do without.
        access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        if not group.permissions.filter(pk=access_admin.pk).exists():
            group.permissions.add(access_admin)

        self.people: dict[str, User] = {}
        for account in data.ACCOUNTS:
            extra = {
                "first_name": account.first_name,
                "last_name": account.last_name,
                "preferred_language": account.preferred_language,
                "time_zone": account.time_zone,
            }
            if account.key == "admin":
                extra.update(is_staff=True, is_superuser=True)
            elif account.key == "staff":
                # Staff see Wagtail's edit bar on the public pages (base.html shows it to is_staff only).
                extra.update(is_staff=True)
            user, _ = self.user(email=account.email, password=account.password, **extra)
            self.people[account.key] = user
            for kind in (ConsentKind.TERMS, ConsentKind.PRIVACY):
                version = (
                    settings.FERIA_TERMS_VERSION
                    if kind == ConsentKind.TERMS
                    else settings.FERIA_PRIVACY_VERSION
                )
                Consent.objects.get_or_create(
                    user=user, kind=kind, version=version, defaults={"granted": True}
                )
        staff = self.people["staff"]
        if not staff.groups.filter(pk=group.pk).exists():
            staff.groups.add(group)

        profile = data.BUYER_PROFILE
        buyer_profile, created = BuyerProfile.objects.get_or_create(
            user=self.people["buyer"],
            defaults={
                "company_name": profile["company_name"],
                "country": profile["country"],
                "hs_codes": profile["hs_codes"],
                "keywords": profile["keywords"],
                "looking_for": profile["looking_for"],
                "looking_for_language": profile["looking_for_language"],
            },
        )
        if created:
            buyer_profile.sectors.set([self.sectors[slug] for slug in profile["sectors"]])
            self.report.count("buyer profiles")

    # --- fairs ---

    def fair(self, fair_data: data.FairData) -> FairPage:
        dates = fair_dates(fair_data.key, self.now)
        fair = FairPage.objects.filter(slug=fair_data.slug, locale=self.locale).first()
        if fair is None:
            fair = FairPage(
                title=fair_data.title,
                slug=fair_data.slug,
                summary=fair_data.summary,
                intro=[("paragraph", RichText(fair_data.intro))],
                time_zone=FAIR_TIME_ZONE,
                cover_image=self.image(
                    title=f"{fair_data.title} – cover",
                    content=images.photo_jpeg(
                        size=images.scaled(images.COVER_SIZE, self.scale),
                        palette=fair_data.palette,
                        seed=fair_data.slug,
                        caption=fair_data.title,
                        # The home page's fair card shows the middle 4:3 of the cover (rendition "card").
                        caption_within=4 / 3,
                    ),
                    filename=f"{fair_data.slug}-cover.jpg",
                ),
                **dates,
            )
            self.home.add_child(instance=fair)
            fair.save_revision().publish()
            fair = FairPage.objects.get(pk=fair.pk)
            self.report.count("fairs")
        else:
            self.move_dates(fair, dates)
        for order, hall_data in enumerate(data.HALLS):
            _, created = Hall.objects.get_or_create(
                fair=fair,
                name=hall_data.name,
                defaults={
                    "description": hall_data.description,
                    "sector": self.sectors[hall_data.sector],
                    "sort_order": order,
                },
            )
            if created:
                self.report.count("halls")
        for order, package_data in enumerate(data.PACKAGES):
            _, created = BoothPackage.objects.get_or_create(
                fair=fair,
                name=package_data.name,
                defaults={
                    "description": package_data.description,
                    "price_amount": package_data.price_amount,
                    "currency": "USD",
                    "max_products": package_data.max_products,
                    "gallery_size": package_data.gallery_size,
                    "sponsored": package_data.sponsored,
                    "sort_order": order,
                },
            )
            if created:
                self.report.count("booth packages")
        return fair

    def move_dates(self, fair: FairPage, dates: dict[str, datetime]) -> None:
        """Move the fair (and its translations) to the new dates, in the pages and their revisions.

        A queryset update, not page.save(): nothing else about the page changes, so no new revision and no
        queued index or reference-index task.
        """
        if all(getattr(fair, name) == value for name, value in dates.items()):
            return
        copies = FairPage.objects.filter(translation_key=fair.translation_key)
        copies.update(**dates)
        for page in copies:
            serialized = page.serializable_data()
            revision_ids = {page.latest_revision_id, page.live_revision_id} - {None}
            for revision in Revision.objects.filter(pk__in=revision_ids):
                content = dict(revision.content)
                content.update({name: serialized[name] for name in DATE_FIELDS})
                Revision.objects.filter(pk=revision.pk).update(content=content)
        fair.refresh_from_db()
        self.report.dates_moved = True

    # --- files ---

    def image(self, *, title: str, content: bytes, filename: str):
        image = get_image_model()(title=title, collection=self.collection)
        image.file = ContentFile(content, name=filename)
        image.file_size = len(content)
        image.file_hash = hash_filelike(io.BytesIO(content))
        image.save()
        self.report.count("images")
        return image

    def document(self, *, title: str, content: bytes, filename: str):
        document = get_document_model()(title=title, collection=self.collection)
        document.file = ContentFile(content, name=filename)
        document.file_size = len(content)
        document.file_hash = hash_filelike(io.BytesIO(content))
        document.save()
        self.report.count("documents")
        return document

    # --- renditions ---

    def renditions(self) -> None:
        """Make every rendition the pages show of the demo pictures, as the task worker does after an upload,
        so no visitor's first view waits for one. Only missing ones are made (a second run makes none)."""
        demo = self.collection
        shown = [
            (Booth.objects.filter(logo__collection=demo).values_list("logo", flat=True), LOGO_SIZES),
            (Booth.objects.filter(cover__collection=demo).values_list("cover", flat=True), BOOTH_COVER_SIZES),
            (
                BoothImage.objects.filter(image__collection=demo).values_list("image", flat=True),
                GALLERY_SIZES,
            ),
            (
                ProductImage.objects.filter(image__collection=demo).values_list("image", flat=True),
                PRODUCT_IMAGE_SIZES,
            ),
            (
                FairPage.objects.filter(cover_image__collection=demo).values_list("cover_image", flat=True),
                FAIR_COVER_SIZES,
            ),
        ]
        sizes: dict[int, set[str]] = {}
        for image_ids, kind_sizes in shown:
            for image_id in image_ids:
                sizes.setdefault(image_id, set()).update(kind_sizes)
        made = 0
        for image in get_image_model().objects.filter(pk__in=sizes).prefetch_related("renditions"):
            existing = {rendition.filter_spec for rendition in image.renditions.all()}
            missing = [
                size
                for size in sorted(sizes[image.pk])
                if not set(rendition_specs(size)) <= existing  # the WebP, and its AVIF copy where made
            ]
            if missing:
                image_renditions_make(image=image, sizes=missing)
                made += len(missing)
        if made:
            self.log(f"  made {made} image renditions")
            self.report.count("image renditions", made)

    # --- search ---

    def search_index(self) -> None:
        """Index companies, products and fairs now: the task worker that would do it may not be running."""
        backend = get_search_backend()
        backend.add_bulk(Company, list(Company.get_indexed_objects().filter(slug__in=_slugs())))
        backend.add_bulk(Product, list(Product.get_indexed_objects().filter(company__slug__in=_slugs())))
        fairs = [self.fairs["live"], self.fairs["upcoming"]]
        backend.add_bulk(FairPage, fairs)


def _slugs() -> list[str]:
    return [company.slug for company in data.COMPANIES]
