"""Companies, the people in them, their catalogues, and their booths at fairs.

Booths and applications point at the fair's original-language page and at its halls and packages (models
of the fair app, named here only as strings), so a booth never splits when the fair page is translated.
"""

import uuid
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.search import index

from exhibitors.enums import (
    ApplicationStatus,
    CompanySize,
    ConsentKind,
    DataExportStatus,
    MembershipRole,
    OrderSize,
    Weekday,
)
from exhibitors.multilingual import Multilingual, translations_field
from exhibitors.validators import validate_hs_code

TIME_ZONE_CHOICES = sorted((name, name) for name in zoneinfo.available_timezones())


def language_field(**kwargs) -> models.CharField:
    """The language a person wrote a text in, so it can be translated later."""
    return models.CharField(_("written in"), max_length=8, choices=settings.LANGUAGES, default="en", **kwargs)


class EmailUserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email=None, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person. Their role in a company is a Membership, not a field here."""

    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="UTC")
    # Erasure (exhibitors/services/erasure.py): asked for until `erasure_due_at`, done at `erased_at`.
    erasure_due_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    # None until the person chooses; then it wins over the anonymous cookie (exhibitors.selectors.lite).
    lite_mode = models.BooleanField(_("lite mode"), null=True, blank=True, default=None)

    username = None

    objects = EmailUserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self):
        # Shown to other people (chat, orders, e-mails): never the e-mail address. Sign-up asks for a name;
        # only accounts made another way (createsuperuser) can lack one.
        if self.erased_at:
            return gettext("A deleted account")
        return self.get_full_name() or member_label(self.pk)


def member_label(user_id: int) -> str:
    """What a person without a name is called, in the active language ("Member 12")."""
    return gettext("Member %(number)s") % {"number": user_id}


class Sector(Multilingual):
    """A branch of trade (agrifood, textiles...). Halls, companies and buyers' interests use it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    translations = translations_field()

    # Staff type the name in the site's default language, and the others beside it.
    translated_fields = ("name",)
    source_language_field = None

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.translated("name")


class Certification(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self):
        return self.name


class Company(index.Indexed, Multilingual):
    legal_name = models.CharField(_("legal name"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    sectors = models.ManyToManyField(Sector, blank=True, verbose_name=_("sectors"))
    description = models.TextField(_("description"), blank=True)
    description_language = language_field()
    translations = translations_field()
    website = models.URLField(_("website"), blank=True)
    export_markets = CountryField(_("export markets"), multiple=True, blank=True)
    certifications = models.ManyToManyField(Certification, blank=True, verbose_name=_("certifications"))
    founded_year = models.PositiveSmallIntegerField(
        _("founding year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    size = models.CharField(_("size"), max_length=10, choices=CompanySize.choices, blank=True)
    tax_id = models.CharField(_("tax id"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Checked by chamber staff against the chamber's member register (exhibitors/services/verification.py).
    verified_at = models.DateTimeField(_("membership verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_chamber = models.CharField(_("verified by chamber"), max_length=200, blank=True)
    member_register_number = models.CharField(_("member register number"), max_length=60, blank=True)
    # Set once when an owner closes the company (exhibitors/services/closing.py): the row stays so orders,
    # receipts and records still name it, but it is gone from every public list and page.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    search_fields = [
        index.SearchField("legal_name", boost=3),
        index.AutocompleteField("legal_name"),
        index.SearchField("description"),
        index.SearchField("search_translations"),
        index.SearchField("city"),
        index.FilterField("id"),
    ]

    translated_fields = ("description",)
    source_language_field = "description_language"

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self):
        return self.legal_name


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=MembershipRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "company"], name="membership_unique_person")]

    def __str__(self):
        return f"{self.user} – {self.company} ({self.role})"


class Invitation(models.Model):
    """An e-mailed invitation to join a company as owner or staff."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=MembershipRole.choices)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "email"],
                condition=Q(accepted_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]


class BuyerProfile(models.Model):
    """A buyer's own company and what they are looking for (matchmaking reads it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buyer_profile"
    )
    company_name = models.CharField(_("company name"), max_length=200)
    country = CountryField(_("country"))
    sectors = models.ManyToManyField(Sector, blank=True, verbose_name=_("sectors of interest"))
    hs_codes = models.JSONField(_("HS codes of interest"), default=list, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    looking_for = models.TextField(_("what you are looking for"), blank=True)
    looking_for_language = language_field()
    # What matchmaking weighs besides the fields above (docs/matchmaking.md).
    target_certifications = models.ManyToManyField(
        Certification, blank=True, related_name="+", verbose_name=_("certifications you ask for")
    )
    origin_countries = CountryField(_("countries you buy from"), multiple=True, blank=True)
    order_size = models.CharField(_("usual order size"), max_length=10, choices=OrderSize.choices, blank=True)
    personalised = models.BooleanField(_("personalised suggestions"), default=True)

    def __str__(self):
        return f"{self.company_name} ({self.user})"


class Consent(models.Model):
    """What a person agreed to, when, and to which version of the text."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=20, choices=ConsentKind.choices)
    version = models.CharField(max_length=20)
    granted = models.BooleanField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Set for a consent given to one company (sharing contact details with it); empty for site-wide kinds.
    company = models.ForeignKey(
        "exhibitors.Company",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="consents_received",
    )

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["user", "kind", "company"], name="consent_user_kind_company")]


class Product(index.Indexed, Multilingual):
    """A product in a company's catalogue, reused across fairs."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    language = language_field()
    translations = translations_field()
    hs_code = models.CharField(
        _("HS code"), max_length=6, validators=[validate_hs_code], help_text=_("6 digits")
    )
    min_order_quantity = models.PositiveIntegerField(_("minimum order"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    price_min = models.DecimalField(_("price from"), max_digits=12, decimal_places=2, null=True, blank=True)
    price_max = models.DecimalField(_("price up to"), max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), null=True, blank=True)
    certifications = models.ManyToManyField(Certification, blank=True, verbose_name=_("certifications"))
    sort_order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    search_fields = [
        index.SearchField("name", boost=2),
        index.SearchField("description"),
        index.SearchField("search_translations"),
        index.SearchField("hs_code"),
        index.FilterField("company_id"),
    ]

    translated_fields = ("name", "description")

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(
                condition=Q(price_min__isnull=True)
                | Q(price_max__isnull=True)
                | Q(price_max__gte=F("price_min")),
                name="product_price_range_ordered",
            ),
            models.CheckConstraint(
                condition=(Q(price_min__isnull=True) | Q(price_min__gte=0))
                & (Q(price_max__isnull=True) | Q(price_max__gte=0)),
                name="product_prices_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(currency="") | Q(currency__regex=r"^[A-Z]{3}$"), name="product_currency_iso"
            ),
            models.CheckConstraint(
                condition=Q(price_min__isnull=True, price_max__isnull=True) | ~Q(currency=""),
                name="product_price_has_currency",
            ),
        ]

    def __str__(self):
        return self.name


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]


class Booth(Multilingual):
    """A company's stand at one fair. Created by applying; built while the chamber reviews it."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="booths")
    fair = models.ForeignKey("fair.FairPage", on_delete=models.PROTECT, related_name="booths")
    hall = models.ForeignKey("fair.Hall", on_delete=models.PROTECT, related_name="booths")
    package = models.ForeignKey("fair.BoothPackage", on_delete=models.PROTECT, related_name="booths")
    tagline = models.CharField(_("tagline"), max_length=160, blank=True)
    description = models.TextField(_("booth text"), blank=True)
    language = language_field()
    translations = translations_field()
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cover = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    video_url = models.URLField(
        _("video link"), blank=True, help_text=_("Shown as a link; nothing is loaded from it.")
    )
    featured = models.BooleanField(_("featured by the chamber"), default=False)
    products = models.ManyToManyField(Product, through="BoothProduct", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    translated_fields = ("tagline", "description")

    class Meta:
        ordering = ["company__legal_name"]
        constraints = [models.UniqueConstraint(fields=["company", "fair"], name="booth_one_per_company_fair")]

    def __str__(self):
        return f"{self.company} @ {self.fair_id}"


class BoothApplication(models.Model):
    """The chamber's review of a booth. Its status changes only through booth_application_transition."""

    booth = models.OneToOneField(Booth, on_delete=models.CASCADE, related_name="application")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    reason = models.TextField(_("reason"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("booth application")
        verbose_name_plural = _("booth applications")

    def __str__(self):
        return f"{self.booth} ({self.get_status_display()})"


class BoothProduct(models.Model):
    """Which of the company's products a booth shows, in which order."""

    booth = models.ForeignKey(Booth, on_delete=models.CASCADE, related_name="booth_products")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["booth", "product"], name="booth_product_unique")]


class BoothImage(models.Model):
    booth = models.ForeignKey(Booth, on_delete=models.CASCADE, related_name="gallery")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]


class BoothDocument(models.Model):
    """A PDF brochure."""

    booth = models.ForeignKey(Booth, on_delete=models.CASCADE, related_name="brochures")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]


class BoothLink(models.Model):
    booth = models.ForeignKey(Booth, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=100)
    url = models.URLField(_("address"))
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]


class OfficeHours(models.Model):
    """A weekly slot when the booth is staffed, in the fair's time zone."""

    booth = models.ForeignKey(Booth, on_delete=models.CASCADE, related_name="office_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens"))
    closes_at = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens_at"]
        verbose_name_plural = _("office hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="office_hours_closes_after_opening"
            )
        ]


def private_storage():
    """Where private files live: `STORAGES["private"]`, never under MEDIA_ROOT or the public bucket."""
    from django.core.files.storage import storages

    return storages["private"]


def private_file_name(instance: "PrivateFile", filename: str) -> str:
    # Random, so a name can be neither guessed nor derived from another one; the extension is the real type's.
    from django.utils import timezone

    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class PrivateFile(models.Model):
    """A file only the owning company's members (or, without a company, its uploader) and the chamber's staff
    may read: proofs of transfer and every other private upload. Stored in private storage under a random
    name and handed out only by exhibitors.views.files.private_file_download, as an attachment."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(storage=private_storage, upload_to=private_file_name, max_length=200)
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(max_length=60)
    size = models.PositiveBigIntegerField()
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.PROTECT, related_name="private_files"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("private file")
        verbose_name_plural = _("private files")

    def __str__(self):
        return self.name


class DataExport(models.Model):
    """A ZIP of what the platform holds about a person or, asked by an owner, a company: prepared by the
    task worker, in private storage, downloadable only by the person who asked, until `expires_at`."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(
        max_length=10, choices=DataExportStatus.choices, default=DataExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(storage=private_storage, upload_to=private_file_name, max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
